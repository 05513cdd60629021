package io.jenkins.plugins.gerritml.core.tensorboard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gate: {@code METRIC.AGGREGATE OP THRESHOLD}, for example
 * <pre>
 * validation/epoch_accuracy.last >= 0.90
 * train/epoch_loss.min &lt;= baseline * 1.02
 * val_loss.mean &lt; baseline + 0.01
 * </pre>
 * METRIC is a run-qualified metric name and may contain {@code /} and {@code .}: the aggregate is what follows the
 * last dot ({@value #AGGREGATES}). OP is one of {@code >= > <= < == !=}. THRESHOLD is a number or {@code baseline}
 * (the previous run's value of the same metric and aggregate), optionally {@code * n}, {@code + n} or {@code - n}.
 * Parsed by hand: no scripting engine ever sees the text.
 */
public final class GateExpression {
    static final String AGGREGATES = "last, first, min, max, mean, count";
    private static final String NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?";
    private static final Pattern NUMBER_PATTERN = Pattern.compile(NUMBER);
    private static final Pattern BASELINE_PATTERN = Pattern.compile("baseline(?:\\s*([*+-])\\s*(" + NUMBER + "))?");
    private static final String[] OPERATORS = {">=", "<=", "==", "!=", ">", "<"};
    private static final String EXAMPLE = "e.g. validation/epoch_accuracy.last >= 0.9 or train/epoch_loss.min <= "
            + "baseline * 1.02";

    private final String metric;
    private final Aggregate aggregate;
    private final ComparisonOperator operator;
    private final Threshold threshold;

    private GateExpression(final String metric, final Aggregate aggregate, final ComparisonOperator operator,
            final Threshold threshold) {
        if (metric.isBlank() || metric.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a gate's metric name must be non-blank without spaces, was '"
                    + metric + "'");
        }
        this.metric = metric;
        this.aggregate = aggregate;
        this.operator = operator;
        this.threshold = threshold;
    }

    public static GateExpression of(final String metric, final Aggregate aggregate, final ComparisonOperator operator,
            final Threshold threshold) {
        return new GateExpression(Objects.requireNonNull(metric, "metric"), Objects.requireNonNull(aggregate,
                "aggregate"), Objects.requireNonNull(operator, "operator"), Objects.requireNonNull(threshold,
                "threshold"));
    }

    /** Parses one gate; a mistake gives an {@link IllegalArgumentException} that quotes the gate and says what to fix. */
    public static GateExpression parse(final String text) {
        String gate = Objects.requireNonNull(text, "gate").strip();
        if (gate.isEmpty()) {
            throw new IllegalArgumentException("Empty gate: write METRIC.AGGREGATE OP THRESHOLD, " + EXAMPLE);
        }
        int at = -1;
        String symbol = null;
        for (int i = 0; i < gate.length() && symbol == null; i++) {
            for (String candidate : OPERATORS) {
                if (gate.startsWith(candidate, i)) {
                    at = i;
                    symbol = candidate;
                    break;
                }
            }
            if (symbol == null && gate.charAt(i) == '=') {
                throw fail(gate, "a lone '=' is not a comparison: use == (or >=, <=)");
            }
        }
        if (symbol == null) {
            throw fail(gate, "no comparison operator: use one of >= > <= < == !=");
        }
        String left = gate.substring(0, at).strip();
        String right = gate.substring(at + symbol.length()).strip();
        int dot = left.lastIndexOf('.');
        if (dot <= 0 || dot == left.length() - 1) {
            throw fail(gate, "the left side must be METRIC.AGGREGATE with an aggregate of " + AGGREGATES);
        }
        String metric = left.substring(0, dot);
        String token = left.substring(dot + 1);
        Aggregate aggregate = Aggregate.fromToken(token).orElseThrow(() -> fail(gate, "unknown aggregate '" + token
                + "' after the last dot: use one of " + AGGREGATES));
        if (metric.chars().anyMatch(Character::isWhitespace)) {
            throw fail(gate, "the metric name '" + metric + "' contains a space");
        }
        return new GateExpression(metric, aggregate, operatorFor(symbol), parseThreshold(gate, right));
    }

    /** Parses one gate per line; blank lines and lines starting with {@code #} are ignored. */
    public static List<GateExpression> parseLines(final String text) {
        List<GateExpression> gates = new ArrayList<>();
        for (String line : Objects.requireNonNull(text, "gates").split("\\R")) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                gates.add(parse(stripped));
            }
        }
        return gates;
    }

    private static Threshold parseThreshold(final String gate, final String right) {
        if (right.isEmpty()) {
            throw fail(gate, "nothing after the operator: give a number or baseline");
        }
        if (NUMBER_PATTERN.matcher(right).matches()) {
            return Threshold.constant(Double.parseDouble(right));
        }
        Matcher baseline = BASELINE_PATTERN.matcher(right);
        if (baseline.matches()) {
            if (baseline.group(1) == null) {
                return Threshold.baseline();
            }
            Threshold.Adjustment adjustment = baseline.group(1).equals("*") ? Threshold.Adjustment.TIMES
                    : baseline.group(1).equals("+") ? Threshold.Adjustment.PLUS : Threshold.Adjustment.MINUS;
            return Threshold.baseline(adjustment, Double.parseDouble(baseline.group(2)));
        }
        throw fail(gate, "the right side '" + right + "' must be a number (0.9, 1e-3) or baseline, baseline * n, "
                + "baseline + n, baseline - n");
    }

    private static ComparisonOperator operatorFor(final String symbol) {
        for (ComparisonOperator operator : ComparisonOperator.values()) {
            if (operator.symbol().equals(symbol)) {
                return operator;
            }
        }
        throw new IllegalStateException(symbol);
    }

    private static IllegalArgumentException fail(final String gate, final String problem) {
        return new IllegalArgumentException("Gate '" + gate + "': " + problem + " (" + EXAMPLE + ")");
    }

    public String getMetric() {
        return metric;
    }

    public Aggregate getAggregate() {
        return aggregate;
    }

    public ComparisonOperator getOperator() {
        return operator;
    }

    public Threshold getThreshold() {
        return threshold;
    }

    /** {@code metric.aggregate}, as the left side is written. */
    public String getSubject() {
        return metric + "." + aggregate.token();
    }


    /** Shortest exact decimal form: 0.9 rather than 0.90000000000000002. */
    static String formatNumber(final double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString().length() <= 24
                ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : Double.toString(value);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GateExpression)) {
            return false;
        }
        GateExpression other = (GateExpression) o;
        return metric.equals(other.metric) && aggregate == other.aggregate && operator == other.operator
                && threshold.equals(other.threshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, aggregate, operator, threshold);
    }

    /** The canonical text; {@link #parse} reads it back to an equal gate. */
    @Override
    public String toString() {
        return getSubject() + " " + operator.symbol() + " " + threshold;
    }
}
