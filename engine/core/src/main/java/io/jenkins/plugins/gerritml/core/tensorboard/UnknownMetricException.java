package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.List;
import java.util.Set;

/** Gates name metrics the run does not have; the message lists the metrics found so the name can be fixed. */
public final class UnknownMetricException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> unknown;
    private final List<String> found;

    UnknownMetricException(final List<String> unknown, final Set<String> found) {
        super("Unknown metric" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                + " in the gates. Metrics found: " + (found.isEmpty() ? "none" : String.join(", ", found))
                + ". Metric names are run-qualified (validation/epoch_accuracy for tag epoch_accuracy in "
                + "validation/); write METRIC.AGGREGATE, e.g. validation/epoch_accuracy.last.");
        this.unknown = List.copyOf(unknown);
        this.found = List.copyOf(found);
    }

    public List<String> getUnknown() {
        return unknown;
    }

    public List<String> getFound() {
        return found;
    }
}
