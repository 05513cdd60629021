package io.jenkins.plugins.gerritml.core.tensorboard;

import io.jenkins.plugins.gerritml.core.gerrit.Link;
import io.jenkins.plugins.gerritml.core.util.Formats;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole TensorFlow check of one build: read the run directory's event files, compare with the baseline metrics
 * file (if there is one yet), evaluate the gates, write this run's metrics file for the next build, and compose the
 * vote and the review message with the metrics table and links to the run's artifacts. Everything is checked before
 * any file is read: bad gates, labels and links fail at {@link Builder#build()}.
 * <pre>
 * TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder()
 *         .withRunDirectory(workspace.resolve("logs"))
 *         .withGateLines("validation/epoch_accuracy.last >= 0.9\ntrain/epoch_loss.min <= baseline * 1.02")
 *         .withBaselineFile(baselines.resolve("main.json"))
 *         .withMetricsFile(workspace.resolve("tensorflow-metrics.json"))
 *         .withLink("TensorBoard logs", buildUrl + "artifact/logs/")
 *         .build().run();
 * result.postTo(gerritRestClient, gerritChange);   // or result.toReview() to post it yourself
 * </pre>
 */
public final class TensorFlowMetricsCheck {

    private final Path runDirectory;
    private final List<GateExpression> gates;
    private final Optional<Path> baselineFile;
    private final Optional<Path> metricsFile;
    private final String label;
    private final int passVote;
    private final int failVote;
    private final List<Link> links;
    private final int otherMetricRows;
    private final String title;

    private TensorFlowMetricsCheck(final Builder builder) {
        this.runDirectory = builder.runDirectory;
        this.gates = List.copyOf(builder.gates);
        this.baselineFile = Optional.ofNullable(builder.baselineFile);
        this.metricsFile = Optional.ofNullable(builder.metricsFile);
        this.label = builder.label;
        this.passVote = builder.passVote;
        this.failVote = builder.failVote;
        this.links = List.copyOf(builder.links);
        this.otherMetricRows = builder.otherMetricRows;
        this.title = builder.title;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the check. Throws {@link UnknownMetricException} (listing the metrics found) if a gate names a metric the
     * run does not have, {@link EventFileFormatException} for a damaged event file, {@link IOException} for a missing
     * run directory or an unreadable baseline.
     */
    /** The label the result is voted on. */
    public String getLabel() {
        return label;
    }

    public TensorFlowMetricsResult run() throws IOException {
        RunMetrics current = RunDirectoryReader.builder().build().read(runDirectory);
        RunMetrics baseline = baselineFile.isPresent() ? MetricsFile.readBaseline(baselineFile.get())
                : RunMetrics.empty();
        GateReport report = GateReport.evaluate(gates, current, baseline);
        if (metricsFile.isPresent()) {
            MetricsFile.write(current, metricsFile.get());
        }
        int vote = report.isPassed() ? passVote : failVote;
        return new TensorFlowMetricsResult(report, label, vote, message(report, vote), links);
    }

    private String message(final GateReport report, final int vote) {
        StringBuilder out = new StringBuilder();
        long failed = report.count(GateResult.Status.FAILED);
        long passed = report.count(GateResult.Status.PASSED);
        long noBaseline = report.count(GateResult.Status.NO_BASELINE);
        out.append(title).append(": ").append(report.isPassed() ? "passed" : "FAILED").append(" (")
                .append(label).append(vote > 0 ? "+" : "").append(vote).append(")\n");
        out.append(passed).append(" of ").append(report.getResults().size()).append(" gates passed");
        if (failed > 0) {
            out.append(", ").append(failed).append(" failed");
        }
        if (noBaseline > 0) {
            out.append(", ").append(noBaseline).append(" without a baseline (not blocking)");
        }
        RunMetrics current = report.getCurrent();
        long scalars = current.getFiles().stream().mapToLong(EventFileReport::getScalars).sum();
        out.append(". Read ").append(current.getMetrics().size()).append(" metrics, ").append(scalars)
                .append(" scalars from ").append(current.getFiles().size()).append(" event files in ")
                .append(runDirectory.getFileName()).append(".\n");
        for (EventFileReport truncated : current.getTruncatedFiles()) {
            out.append("Note: ").append(truncated.getFile()).append(" ends in a partial record at byte ")
                    .append(truncated.getTruncatedAt()).append(" (still being written?); read up to it.\n");
        }
        out.append('\n').append(MetricsTable.render(report, otherMetricRows)).append('\n');
        out.append(report.getBaseline().isEmpty() ? "Baseline: none yet for this branch.\n"
                : "Baseline: the last merged build's metrics (" + report.getBaseline().getMetrics().size()
                        + " metrics).\n");
        return out.toString(); // the Review appends the artifact links, one per line
    }

    /** Builds a {@link TensorFlowMetricsCheck}. */
    public static final class Builder {
        private Path runDirectory;
        private final List<GateExpression> gates = new ArrayList<>();
        private Path baselineFile;
        private Path metricsFile;
        private String label = "Verified";
        private int passVote = 1;
        private int failVote = -1;
        private final List<Link> links = new ArrayList<>();
        private int otherMetricRows = 20;
        private String title = "TensorFlow metrics";

        private Builder() {
        }

        /** The TensorBoard log directory (Keras' {@code log_dir}), or a single event file. Required. */
        public Builder withRunDirectory(final Path directory) {
            this.runDirectory = Objects.requireNonNull(directory, "runDirectory");
            return this;
        }

        public Builder withGates(final List<GateExpression> expressions) {
            this.gates.addAll(expressions);
            return this;
        }

        public Builder withGate(final String expression) {
            this.gates.add(GateExpression.parse(expression));
            return this;
        }

        /** One gate per line ({@link GateExpression#parseLines}). */
        public Builder withGateLines(final String text) {
            this.gates.addAll(GateExpression.parseLines(text));
            return this;
        }

        /** The previous run's metrics file; a missing file means "no baseline yet", not an error. */
        public Builder withBaselineFile(final Path file) {
            this.baselineFile = file;
            return this;
        }

        /** Where to write this run's metrics (the next build's baseline once this change merges). */
        public Builder withMetricsFile(final Path file) {
            this.metricsFile = file;
            return this;
        }

        /** The label to vote on: {@code Verified} (default) or a custom one such as {@code Model-Quality}. */
        public Builder withLabel(final String name) {
            this.label = Objects.requireNonNull(name, "label");
            return this;
        }

        /** Votes for passed and failed gates; default +1 and -1. */
        public Builder withVotes(final int whenPassed, final int whenFailed) {
            this.passVote = whenPassed;
            this.failVote = whenFailed;
            return this;
        }

        /** A link to an artifact of the run (TensorBoard logs, the metrics file, the build): http(s) or s3. */
        public Builder withLink(final String name, final String url) {
            checkNoCredentials(name, Objects.requireNonNull(url, "link url"));
            this.links.add(Link.valueOf(name, url));
            return this;
        }

        /** How many metrics without a gate the table lists (their last value); default 20. */
        public Builder withOtherMetricRows(final int rows) {
            this.otherMetricRows = rows;
            return this;
        }

        public Builder withTitle(final String text) {
            this.title = Objects.requireNonNull(text, "title");
            return this;
        }

        public TensorFlowMetricsCheck build() {
            if (runDirectory == null) {
                throw new IllegalArgumentException("runDirectory is required: the TensorBoard log directory to read");
            }
            if (!Formats.isGerritLabel(label)) {
                throw new IllegalArgumentException("label '" + label + "' is not a Gerrit label name: use letters, "
                        + "digits and '-', e.g. Verified or Model-Quality");
            }
            if (passVote < -2 || passVote > 2 || failVote < -2 || failVote > 2) {
                throw new IllegalArgumentException("votes must be within -2..+2 (Verified takes -1..+1), were "
                        + passVote + " and " + failVote);
            }
            if (passVote <= failVote) {
                throw new IllegalArgumentException("the vote for passed gates (" + passVote + ") must be higher "
                        + "than the vote for failed gates (" + failVote + ")");
            }
            if (otherMetricRows < 0) {
                throw new IllegalArgumentException("otherMetricRows must be 0 or more, was " + otherMetricRows);
            }
            return new TensorFlowMetricsCheck(this);
        }

        private static void checkNoCredentials(final String name, final String url) {
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (URISyntaxException e) {
                return; // Link.valueOf reports it
            }
            if (uri.getRawUserInfo() != null) {
                // Never echo the URL: its user-info may be a password or token.
                throw new IllegalArgumentException("link '" + name + "' must not carry credentials (user-info in "
                        + "the URL): it would be shown to every reviewer");
            }
        }
    }
}
