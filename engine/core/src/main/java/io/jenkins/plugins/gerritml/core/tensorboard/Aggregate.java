package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which number of a metric a gate looks at; written after the metric name: {@code epoch_loss.min}. */
public enum Aggregate {
    LAST, FIRST, MIN, MAX, MEAN, COUNT;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public double of(final MetricSummary metric) {
        switch (this) {
            case LAST: return metric.getLast();
            case FIRST: return metric.getFirst();
            case MIN: return metric.getMin();
            case MAX: return metric.getMax();
            case MEAN: return metric.getMean();
            default: return metric.getCount();
        }
    }

    static Optional<Aggregate> fromToken(final String token) {
        return Arrays.stream(values()).filter(a -> a.token().equals(token.toLowerCase(Locale.ROOT))).findFirst();
    }

    static String tokens() {
        return Arrays.stream(values()).map(Aggregate::token).collect(Collectors.joining(", "));
    }
}
