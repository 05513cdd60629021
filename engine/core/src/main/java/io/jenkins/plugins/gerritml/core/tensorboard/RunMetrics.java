package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The metrics of one training run (a run directory with its sub-runs), by run-qualified name, and the files read. */
public final class RunMetrics {
    private static final RunMetrics EMPTY = new RunMetrics(Map.of(), List.of());

    private final SortedMap<String, MetricSummary> metrics;
    private final List<EventFileReport> files;

    private RunMetrics(final Map<String, MetricSummary> metrics, final List<EventFileReport> files) {
        this.metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        this.files = List.copyOf(files);
    }

    public static RunMetrics of(final Map<String, MetricSummary> metrics, final List<EventFileReport> files) {
        for (Map.Entry<String, MetricSummary> entry : metrics.entrySet()) {
            if (!entry.getKey().equals(entry.getValue().getName())) {
                throw new IllegalArgumentException("metric key " + entry.getKey() + " does not match its name "
                        + entry.getValue().getName());
            }
        }
        return new RunMetrics(metrics, files);
    }

    public static RunMetrics of(final List<MetricSummary> metrics) {
        SortedMap<String, MetricSummary> byName = new TreeMap<>();
        for (MetricSummary metric : metrics) {
            if (byName.put(metric.getName(), metric) != null) {
                throw new IllegalArgumentException("metric " + metric.getName() + " appears twice");
            }
        }
        return new RunMetrics(byName, List.of());
    }

    /** No metrics: e.g. no baseline yet. */
    public static RunMetrics empty() {
        return EMPTY;
    }

    public SortedMap<String, MetricSummary> getMetrics() {
        return metrics;
    }

    public Optional<MetricSummary> getMetric(final String name) {
        return Optional.ofNullable(metrics.get(name));
    }

    public SortedSet<String> getMetricNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(metrics.keySet()));
    }

    public boolean isEmpty() {
        return metrics.isEmpty();
    }

    /** The event files read, in read order; empty for metrics loaded from a metrics file. */
    public List<EventFileReport> getFiles() {
        return files;
    }

    /** Files whose last record was cut short (a run still writing). */
    public List<EventFileReport> getTruncatedFiles() {
        return files.stream().filter(EventFileReport::isTruncated).toList();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RunMetrics)) {
            return false;
        }
        RunMetrics other = (RunMetrics) o;
        return metrics.equals(other.metrics) && files.equals(other.files);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metrics, files);
    }

    @Override
    public String toString() {
        return "RunMetrics" + metrics.keySet() + " from " + files.size() + " files";
    }
}
