package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.List;
import java.util.Objects;

/**
 * The aggregates kept for one metric of a run: count, first, last (and its step), min, max, mean, and optionally the
 * last few points. "First" and "last" follow read order: files of a run by name (TensorBoard's order; names carry the
 * writer's start time), records in file order, so a restarted run's newest values come last, as TensorBoard shows
 * them. A NaN value makes min, max and mean NaN, so a diverged run fails any threshold gate.
 */
public final class MetricSummary {
    private final String name;
    private final long count;
    private final double first;
    private final double last;
    private final long lastStep;
    private final double min;
    private final double max;
    private final double mean;
    private final List<ScalarPoint> recentPoints;

    private MetricSummary(final Builder builder) {
        if (builder.name.isBlank()) {
            throw new IllegalArgumentException("a metric needs a non-blank name");
        }
        if (builder.count < 1) {
            throw new IllegalArgumentException("metric " + builder.name + " needs at least one value, has "
                    + builder.count);
        }
        this.name = builder.name;
        this.count = builder.count;
        this.first = builder.first;
        this.last = builder.last;
        this.lastStep = builder.lastStep;
        this.min = builder.min;
        this.max = builder.max;
        this.mean = builder.mean;
        this.recentPoints = List.copyOf(builder.recentPoints);
    }

    public static Builder builder(final String name) {
        return new Builder(Objects.requireNonNull(name, "name"));
    }

    /** Run-qualified name: {@code validation/epoch_accuracy} for tag {@code epoch_accuracy} in sub-run validation. */
    public String getName() {
        return name;
    }

    public long getCount() {
        return count;
    }

    public double getFirst() {
        return first;
    }

    public double getLast() {
        return last;
    }

    public long getLastStep() {
        return lastStep;
    }

    public double getMin() {
        return min;
    }

    public double getMax() {
        return max;
    }

    public double getMean() {
        return mean;
    }

    /** The last points read, oldest first; empty unless the reader was asked to keep some. */
    public List<ScalarPoint> getRecentPoints() {
        return recentPoints;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricSummary)) {
            return false;
        }
        MetricSummary other = (MetricSummary) o;
        return count == other.count && lastStep == other.lastStep && Double.compare(first, other.first) == 0
                && Double.compare(last, other.last) == 0 && Double.compare(min, other.min) == 0
                && Double.compare(max, other.max) == 0 && Double.compare(mean, other.mean) == 0
                && name.equals(other.name) && recentPoints.equals(other.recentPoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, count, first, last, lastStep, min, max, mean, recentPoints);
    }

    @Override
    public String toString() {
        return name + "[count " + count + ", first " + first + ", last " + last + " @" + lastStep + ", min " + min
                + ", max " + max + ", mean " + mean + "]";
    }

    /** Builds a {@link MetricSummary}; the reader fills it from a {@code MetricAccumulator}. */
    public static final class Builder {
        private final String name;
        private long count;
        private double first;
        private double last;
        private long lastStep;
        private double min;
        private double max;
        private double mean;
        private List<ScalarPoint> recentPoints = List.of();

        private Builder(final String name) {
            this.name = name;
        }

        public Builder withCount(final long value) {
            this.count = value;
            return this;
        }

        public Builder withFirst(final double value) {
            this.first = value;
            return this;
        }

        public Builder withLast(final double value, final long step) {
            this.last = value;
            this.lastStep = step;
            return this;
        }

        public Builder withMin(final double value) {
            this.min = value;
            return this;
        }

        public Builder withMax(final double value) {
            this.max = value;
            return this;
        }

        public Builder withMean(final double value) {
            this.mean = value;
            return this;
        }

        public Builder withRecentPoints(final List<ScalarPoint> points) {
            this.recentPoints = Objects.requireNonNull(points, "points");
            return this;
        }

        public MetricSummary build() {
            return new MetricSummary(this);
        }
    }
}
