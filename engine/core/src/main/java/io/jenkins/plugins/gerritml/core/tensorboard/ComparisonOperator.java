package io.jenkins.plugins.gerritml.core.tensorboard;

/** The comparison of a gate. NaN compares false with everything but {@code !=}: a diverged run fails its gates. */
public enum ComparisonOperator {
    GREATER_OR_EQUAL(">="), LESS_OR_EQUAL("<="), EQUAL("=="), NOT_EQUAL("!="), GREATER(">"), LESS("<");

    private final String symbol;

    ComparisonOperator(final String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean test(final double value, final double threshold) {
        switch (this) {
            case GREATER_OR_EQUAL: return value >= threshold;
            case LESS_OR_EQUAL: return value <= threshold;
            case EQUAL: return value == threshold;
            case NOT_EQUAL: return value != threshold;
            case GREATER: return value > threshold;
            default: return value < threshold;
        }
    }
}
