package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.ArrayList;
import java.util.List;

/** Running aggregates of one metric: constant memory plus a ring of the last {@code keep} points. */
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
    private double compensation; // Kahan summation: means of long runs stay exact to float32 precision
    private boolean sawNaN;
    private final ScalarPoint[] ring;
    private int ringNext;

    MetricAccumulator(final String name, final int keep) {
        this.name = name;
        this.keep = keep;
        this.ring = new ScalarPoint[keep];
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
            double y = value - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        if (keep > 0) {
            ring[ringNext] = ScalarPoint.valueOf(step, wallTime, value);
            ringNext = (ringNext + 1) % keep;
        }
    }

    MetricSummary toSummary() {
        List<ScalarPoint> points = new ArrayList<>(Math.min(keep, (int) Math.min(count, Integer.MAX_VALUE)));
        if (keep > 0) {
            for (int i = 0; i < keep; i++) {
                ScalarPoint point = ring[(ringNext + i) % keep];
                if (point != null) {
                    points.add(point);
                }
            }
        }
        return MetricSummary.builder(name).withCount(count).withFirst(first).withLast(last, lastStep)
                .withMin(sawNaN ? Double.NaN : min).withMax(sawNaN ? Double.NaN : max)
                .withMean(sawNaN ? Double.NaN : sum / count).withRecentPoints(points).build();
    }
}
