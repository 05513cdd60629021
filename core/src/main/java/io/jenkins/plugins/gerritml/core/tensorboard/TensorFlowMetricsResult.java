package io.jenkins.plugins.gerritml.core.tensorboard;

import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.Link;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ReviewResult;
import java.util.List;
import java.util.Objects;

/** What a {@link TensorFlowMetricsCheck} decided: the gate report, the vote on the label, and the review message. */
public final class TensorFlowMetricsResult {
    private final GateReport report;
    private final String label;
    private final int vote;
    private final String message;
    private final List<Link> links;

    TensorFlowMetricsResult(final GateReport report, final String label, final int vote, final String message,
            final List<Link> links) {
        this.report = Objects.requireNonNull(report, "report");
        this.label = Objects.requireNonNull(label, "label");
        this.vote = vote;
        this.message = Objects.requireNonNull(message, "message");
        this.links = List.copyOf(links);
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

    /** Plain text with a Markdown table (see {@link MetricsTable}); the review adds the links below it. */
    public String getMessage() {
        return message;
    }

    /** Artifact links in the order given. */
    public List<Link> getLinks() {
        return links;
    }

    /** The review to post: the vote on the label, the message with the table, the links; tagged "tensorflow". */
    public Review toReview() {
        return Review.builder().withLabel(label, vote).withMessage(message).withLinks(links).withContext("tensorflow")
                .build();
    }

    /** Posts {@link #toReview()} on the patch set the build ran for. */
    public ReviewResult postTo(final GerritRestClient client, final GerritChange change) {
        return client.postReview(change, toReview());
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
