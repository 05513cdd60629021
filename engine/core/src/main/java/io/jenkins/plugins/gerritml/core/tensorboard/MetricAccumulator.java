package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.ArrayDeque;
import java.util.ArrayList;

/** Running aggregates of one metric: constant memory plus at most the last {@code keep} points. */
final class MetricAccumulator {
    private final String name;
    private final int keep;
    private long count;
    private double first;
    private double last;
    private long lastStep;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private double compensation; // Kahan summation keeps the mean of millions of points accurate
    private boolean sawNaN;
    // Infinities stay out of the Kahan sum: Inf - Inf in its compensation would turn every later sum into NaN,
    // where TensorBoard (numpy) gives the infinity.
    private boolean sawPositiveInfinity;
    private boolean sawNegativeInfinity;
    private final ArrayDeque<ScalarPoint> recent = new ArrayDeque<>();

    MetricAccumulator(final String name, final int keep) {
        this.name = name;
        this.keep = keep;
    }

    void add(final long step, final double wallTime, final double value) {
        if (count == 0) {
            first = value;
        }
        count++;
        last = value;
        lastStep = step;
        if (Double.isNaN(value)) {
            sawNaN = true;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
            if (Double.isInfinite(value)) {
                sawPositiveInfinity |= value > 0;
                sawNegativeInfinity |= value < 0;
            } else {
                addToSum(value);
            }
        }
        if (keep > 0) {
            if (recent.size() == keep) {
                recent.pollFirst();
            }
            recent.addLast(ScalarPoint.valueOf(step, wallTime, value));
        }
    }

    private void addToSum(final double value) {
        double y = value - compensation;
        double t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }

    /** As numpy's mean: NaN with a NaN point or with both infinities, else the infinity if there is one. */
    private double mean() {
        if (sawNaN || sawPositiveInfinity && sawNegativeInfinity) {
            return Double.NaN;
        }
        if (sawPositiveInfinity) {
            return Double.POSITIVE_INFINITY;
        }
        return sawNegativeInfinity ? Double.NEGATIVE_INFINITY : sum / count;
    }

    MetricSummary toSummary() {
        return MetricSummary.builder(name).withCount(count).withFirst(first).withLast(last, lastStep)
                .withMin(sawNaN ? Double.NaN : min).withMax(sawNaN ? Double.NaN : max)
                .withMean(mean()).withRecentPoints(new ArrayList<>(recent)).build();
    }
}
