package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The gates of one run evaluated against its metrics and a baseline (the last merged build's metrics; empty when
 * there is none). Passed when no gate failed; gates without a baseline do not block.
 */
public final class GateReport {
    private final List<GateResult> results;
    private final RunMetrics current;
    private final RunMetrics baseline;

    private GateReport(final List<GateResult> results, final RunMetrics current, final RunMetrics baseline) {
        this.results = List.copyOf(results);
        this.current = current;
        this.baseline = baseline;
    }

    /**
     * Evaluates {@code gates}. All metric names are checked first: an unknown one throws
     * {@link UnknownMetricException} listing the metrics found, before anything is judged.
     */
    public static GateReport evaluate(final List<GateExpression> gates, final RunMetrics current,
            final RunMetrics baseline) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(baseline, "baseline");
        Set<String> unknown = new LinkedHashSet<>();
        for (GateExpression gate : gates) {
            if (current.getMetric(gate.getMetric()).isEmpty()) {
                unknown.add(gate.getMetric());
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownMetricException(new ArrayList<>(unknown), current.getMetricNames());
        }
        List<GateResult> results = new ArrayList<>();
        for (GateExpression gate : gates) {
            double value = gate.getAggregate().of(current.getMetric(gate.getMetric()).orElseThrow());
            OptionalDouble base = baseline.getMetric(gate.getMetric())
                    .map(metric -> OptionalDouble.of(gate.getAggregate().of(metric))).orElse(OptionalDouble.empty());
            results.add(GateResult.evaluate(gate, value, base));
        }
        return new GateReport(results, current, baseline);
    }

    public List<GateResult> getResults() {
        return results;
    }

    public RunMetrics getCurrent() {
        return current;
    }

    public RunMetrics getBaseline() {
        return baseline;
    }

    public boolean isPassed() {
        return results.stream().noneMatch(GateResult::isFailed);
    }

    public long count(final GateResult.Status status) {
        return results.stream().filter(result -> result.getStatus() == status).count();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GateReport)) {
            return false;
        }
        GateReport other = (GateReport) o;
        return results.equals(other.results) && current.equals(other.current) && baseline.equals(other.baseline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(results, current, baseline);
    }

    @Override
    public String toString() {
        return "GateReport" + results;
    }
}
