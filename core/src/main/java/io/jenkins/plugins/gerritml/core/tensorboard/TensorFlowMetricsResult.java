package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a {@link TensorFlowMetricsCheck} decided: the gate report, the vote on the label, and the review message. */
public final class TensorFlowMetricsResult {
    private final GateReport report;
    private final String label;
    private final int vote;
    private final String message;
    private final Map<String, String> links;

    TensorFlowMetricsResult(final GateReport report, final String label, final int vote, final String message,
            final Map<String, String> links) {
        this.report = Objects.requireNonNull(report, "report");
        this.label = Objects.requireNonNull(label, "label");
        this.vote = vote;
        this.message = Objects.requireNonNull(message, "message");
        this.links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    }

    public GateReport getReport() {
        return report;
    }

    public RunMetrics getMetrics() {
        return report.getCurrent();
    }

    public boolean isPassed() {
        return report.isPassed();
    }

    public String getLabel() {
        return label;
    }

    public int getVote() {
        return vote;
    }

    /** Plain text with a Markdown table; see {@link MetricsTable}. */
    public String getMessage() {
        return message;
    }

    /** Artifact links, name to URL, in the order given. */
    public Map<String, String> getLinks() {
        return links;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TensorFlowMetricsResult)) {
            return false;
        }
        TensorFlowMetricsResult other = (TensorFlowMetricsResult) o;
        return vote == other.vote && report.equals(other.report) && label.equals(other.label)
                && message.equals(other.message) && links.equals(other.links);
    }

    @Override
    public int hashCode() {
        return Objects.hash(report, label, vote, message, links);
    }

    @Override
    public String toString() {
        return message;
    }
}
