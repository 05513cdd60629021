package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How one gate came out: the metric's value, the baseline's value of the same metric and aggregate (if the baseline
 * has it), the threshold it was compared with, and the status.
 */
public final class GateResult {
    /** The outcome of a gate. */
    public enum Status {
        PASSED, FAILED,
        /** The gate compares with a baseline that does not have this metric (e.g. the branch's first run). */
        NO_BASELINE
    }

    private final GateExpression gate;
    private final Status status;
    private final double value;
    private final OptionalDouble baseline;
    private final OptionalDouble threshold;

    private GateResult(final GateExpression gate, final Status status, final double value,
            final OptionalDouble baseline, final OptionalDouble threshold) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.status = Objects.requireNonNull(status, "status");
        this.value = value;
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    /** Compares {@code value} with the gate's threshold resolved against {@code baseline}. */
    public static GateResult evaluate(final GateExpression gate, final double value, final OptionalDouble baseline) {
        OptionalDouble threshold = gate.getThreshold().resolve(baseline);
        if (threshold.isEmpty()) {
            return new GateResult(gate, Status.NO_BASELINE, value, baseline, threshold);
        }
        boolean passed = gate.getOperator().test(value, threshold.getAsDouble());
        return new GateResult(gate, passed ? Status.PASSED : Status.FAILED, value, baseline, threshold);
    }

    public GateExpression getGate() {
        return gate;
    }

    public Status getStatus() {
        return status;
    }

    public boolean isFailed() {
        return status == Status.FAILED;
    }

    public double getValue() {
        return value;
    }

    public OptionalDouble getBaseline() {
        return baseline;
    }

    /** Value minus baseline, when there is a baseline. */
    public OptionalDouble getDelta() {
        return baseline.isPresent() ? OptionalDouble.of(value - baseline.getAsDouble()) : OptionalDouble.empty();
    }

    public OptionalDouble getThreshold() {
        return threshold;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GateResult)) {
            return false;
        }
        GateResult other = (GateResult) o;
        return Double.compare(value, other.value) == 0 && gate.equals(other.gate) && status == other.status
                && baseline.equals(other.baseline) && threshold.equals(other.threshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gate, status, value, baseline, threshold);
    }

    @Override
    public String toString() {
        return gate + ": " + status + " (value " + value + (threshold.isPresent() ? ", threshold "
                + threshold.getAsDouble() : "") + ")";
    }
}
