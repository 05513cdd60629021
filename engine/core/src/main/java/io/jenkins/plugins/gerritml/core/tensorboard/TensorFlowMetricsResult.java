package io.jenkins.plugins.gerritml.core.tensorboard;

import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
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

    /**
     * The result for a Pipeline script: {@code passed, label, vote, gates} (each: {@code gate, status, value,
     * baseline, threshold}; absent numbers are null) and {@code metrics} (name → {@code last, min, max, mean, first,
     * count, lastStep}). Plain values only, so it can cross to the controller and be saved with a build.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("passed", isPassed());
        map.put("label", label);
        map.put("vote", vote);
        java.util.List<java.util.Map<String, Object>> gates = new java.util.ArrayList<>();
        for (GateResult result : report.getResults()) {
            java.util.Map<String, Object> gate = new java.util.LinkedHashMap<>();
            gate.put("gate", result.getGate().toString());
            gate.put("status", result.getStatus().name());
            gate.put("value", Double.isNaN(result.getValue()) ? null : result.getValue());
            gate.put("baseline", result.getBaseline().isPresent() ? result.getBaseline().getAsDouble() : null);
            gate.put("threshold", result.getThreshold().isPresent() ? result.getThreshold().getAsDouble() : null);
            gates.add(gate);
        }
        map.put("gates", gates);
        java.util.Map<String, Object> metrics = new java.util.LinkedHashMap<>();
        getMetrics().getMetrics().forEach((name, summary) -> {
            java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("last", summary.getLast());
            values.put("min", summary.getMin());
            values.put("max", summary.getMax());
            values.put("mean", summary.getMean());
            values.put("first", summary.getFirst());
            values.put("count", summary.getCount());
            values.put("lastStep", summary.getLastStep());
            metrics.put(name, values);
        });
        map.put("metrics", metrics);
        return map;
    }

    /** The review to post: the vote on the label, the message with the table, the links; tagged "tensorflow". */
    public Review toReview() {
        return Review.builder().withLabel(label, vote).withMessage(message).withLinks(links).withContext("tensorflow")
                .withCheck(toCheck()).build();
    }

    /**
     * The Checks tab's run {@code TensorBoard metrics <label>}: SUCCESS when every gate passed, ERROR otherwise, each
     * gate's subject and value as summary. Its id is a digest of the vote and the table, so the same evaluation posted
     * again is the same attempt.
     */
    public CheckBlock toCheck() {
        StringBuilder summary = new StringBuilder();
        for (GateResult gate : report.getResults()) {
            summary.append(summary.length() == 0 ? "" : ", ").append(gate.getGate().getSubject()).append(' ')
                    .append(Double.isNaN(gate.getValue()) ? "missing" : String.format(java.util.Locale.ROOT, "%.4g",
                            gate.getValue())).append(gate.isFailed() ? " (failed)" : "");
        }
        String id = "metrics-" + io.jenkins.plugins.gerritml.core.pipeline.Digests.sha256Hex(
                (label + "\u0000" + vote + "\u0000" + message).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 12);
        return CheckBlock.completed("TensorBoard metrics " + label, "metrics", id,
                report.isPassed() ? CheckBlock.Result.SUCCESS : CheckBlock.Result.ERROR)
                .withSummary(summary.length() == 0 ? (report.isPassed() ? "passed" : "failed") : summary.toString())
                .withLabel(label).build();
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
