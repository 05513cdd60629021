package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The right-hand side of a gate: a number, or the baseline's value of the same {@code metric.aggregate} with an
 * optional adjustment ({@code baseline}, {@code baseline * 1.02}, {@code baseline + 0.01}, {@code baseline - 0.01}).
 */
public final class Threshold {
    /** How the baseline value is adjusted. */
    public enum Adjustment {
        NONE(""), TIMES("*"), PLUS("+"), MINUS("-");

        private final String symbol;

        Adjustment(final String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final boolean relativeToBaseline;
    private final Adjustment adjustment;
    private final double number;

    private Threshold(final boolean relativeToBaseline, final Adjustment adjustment, final double number) {
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException("a threshold needs a finite number, was " + number);
        }
        this.relativeToBaseline = relativeToBaseline;
        this.adjustment = adjustment;
        this.number = number;
    }

    public static Threshold constant(final double value) {
        return new Threshold(false, Adjustment.NONE, value);
    }

    public static Threshold baseline() {
        return new Threshold(true, Adjustment.NONE, 0);
    }

    public static Threshold baseline(final Adjustment adjustment, final double operand) {
        Objects.requireNonNull(adjustment, "adjustment");
        return new Threshold(true, adjustment, adjustment == Adjustment.NONE ? 0 : operand);
    }

    public boolean isRelativeToBaseline() {
        return relativeToBaseline;
    }

    public Adjustment getAdjustment() {
        return adjustment;
    }

    /** The constant, or the adjustment's operand. */
    public double getNumber() {
        return number;
    }

    /** The number to compare with; empty when it depends on a baseline that is not there. */
    public OptionalDouble resolve(final OptionalDouble baselineValue) {
        if (!relativeToBaseline) {
            return OptionalDouble.of(number);
        }
        if (baselineValue.isEmpty()) {
            return OptionalDouble.empty();
        }
        double base = baselineValue.getAsDouble();
        switch (adjustment) {
            case TIMES: return OptionalDouble.of(base * number);
            case PLUS: return OptionalDouble.of(base + number);
            case MINUS: return OptionalDouble.of(base - number);
            default: return OptionalDouble.of(base);
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Threshold)) {
            return false;
        }
        Threshold other = (Threshold) o;
        return relativeToBaseline == other.relativeToBaseline && adjustment == other.adjustment
                && Double.compare(number, other.number) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(relativeToBaseline, adjustment, number);
    }

    @Override
    public String toString() {
        if (!relativeToBaseline) {
            return GateExpression.formatNumber(number);
        }
        return adjustment == Adjustment.NONE ? "baseline"
                : "baseline " + adjustment.symbol() + " " + GateExpression.formatNumber(number);
    }
}
