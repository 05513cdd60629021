package io.jenkins.plugins.gerritml.core.tensorboard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link GateReport} as a Markdown table with padded columns: Gerrit (3.7 and later renders Markdown in
 * change messages) shows a table, and the plain text (e-mail, {@code ssh gerrit query}, older UIs) still lines up.
 * One row per gate, then — optionally — the last value of each metric no gate looks at.
 */
public final class MetricsTable {
    private static final String[] HEADER = {"metric", "value", "baseline", "delta", "gate", "result"};
    private static final MathContext SIGNIFICANT = new MathContext(6);

    private MetricsTable() {
    }

    /** Gate rows only. */
    public static String render(final GateReport report) {
        return render(report, 0);
    }

    /**
     * Gate rows, then up to {@code otherMetrics} rows of {@code METRIC.last} for metrics no gate mentions (with a
     * closing row saying how many more there are).
     */
    public static String render(final GateReport report, final int otherMetrics) {
        List<String[]> rows = new ArrayList<>();
        Set<String> gated = new TreeSet<>();
        for (GateResult result : report.getResults()) {
            gated.add(result.getGate().getMetric());
            GateExpression gate = result.getGate();
            rows.add(new String[] {gate.getSubject(), value(result, report.getCurrent()),
                    optional(result.getBaseline()), signed(result.getDelta()), gateText(result),
                    resultText(result.getStatus())});
        }
        List<MetricSummary> others = report.getCurrent().getMetrics().values().stream()
                .filter(metric -> !gated.contains(metric.getName())).toList();
        for (MetricSummary metric : others.subList(0, Math.min(otherMetrics, others.size()))) {
            OptionalDouble base = report.getBaseline().getMetric(metric.getName())
                    .map(b -> OptionalDouble.of(b.getLast())).orElse(OptionalDouble.empty());
            rows.add(new String[] {metric.getName() + ".last", number(metric.getLast()), optional(base),
                    signed(base.isPresent() ? OptionalDouble.of(metric.getLast() - base.getAsDouble())
                            : OptionalDouble.empty()), "", ""});
        }
        if (otherMetrics > 0 && others.size() > otherMetrics) {
            rows.add(new String[] {"(" + (others.size() - otherMetrics) + " more metrics)", "", "", "", "", ""});
        }
        return table(rows);
    }

    private static String table(final List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            widths[i] = HEADER[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, widths);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final String[] cells, final int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i].replace("|", "\\|"))
                    .append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        out.append('\n');
    }

    /**
     * The gated value; a NaN min, max or mean says why, since a reviewer reading "NaN" for a minimum would otherwise
     * not know that one point of the series is NaN (or, for a mean, that it has both infinities).
     */
    private static String value(final GateResult result, final RunMetrics current) {
        double value = result.getValue();
        Aggregate aggregate = result.getGate().getAggregate();
        if (!Double.isNaN(value) || aggregate != Aggregate.MIN && aggregate != Aggregate.MAX
                && aggregate != Aggregate.MEAN) {
            return number(value);
        }
        boolean seriesHasNaN = current.getMetric(result.getGate().getMetric())
                .map(metric -> Double.isNaN(metric.getMin())).orElse(true);
        return number(value) + (seriesHasNaN ? " (series has NaN)" : " (series has inf and -inf)");
    }

    private static String gateText(final GateResult result) {
        GateExpression gate = result.getGate();
        String text = gate.getOperator().symbol() + " " + gate.getThreshold();
        if (gate.getThreshold().isRelativeToBaseline() && result.getThreshold().isPresent()
                && gate.getThreshold().getAdjustment() != Threshold.Adjustment.NONE) {
            text += " (" + number(result.getThreshold().getAsDouble()) + ")";
        }
        return text;
    }

    private static String resultText(final GateResult.Status status) {
        switch (status) {
            case PASSED: return "PASS";
            case FAILED: return "FAIL";
            default: return "no baseline";
        }
    }

    /** Six significant digits: enough to see a change, short enough for a review. */
    static String number(final double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        return exponent < -4 || exponent >= 9 ? rounded.toString() : rounded.toPlainString();
    }

    private static String optional(final OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "-";
    }

    private static String signed(final OptionalDouble value) {
        if (value.isEmpty()) {
            return "-";
        }
        String text = number(value.getAsDouble());
        return value.getAsDouble() > 0 ? "+" + text : text;
    }
}
