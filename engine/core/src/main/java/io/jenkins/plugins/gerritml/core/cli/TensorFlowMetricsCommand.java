package io.jenkins.plugins.gerritml.core.cli;

import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.tensorboard.EventFileFormatException;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsCheck;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsResult;
import io.jenkins.plugins.gerritml.core.tensorboard.UnknownMetricException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code gerrit-ml tensorflow-metrics}: reads a TensorBoard run directory, checks the gates (optionally against the
 * last merged build's metrics), writes this run's metrics file, and posts the table as a vote on the change. A report,
 * not a gated run: no approval is needed, and {@code --no-review} runs it without Gerrit at all.
 */
final class TensorFlowMetricsCommand {
    static final Set<String> VALUE_OPTIONS = Set.of("logdir", "gate", "gates-file", "baseline", "metrics-out",
            "label", "link", "title", "json", "audit-log");
    static final Set<String> FLAGS = Set.of("no-review");

    private final GerritMl cli;

    TensorFlowMetricsCommand(final GerritMl cli) {
        this.cli = cli;
    }

    int run(final CliArguments args) {
        Path logdir = Path.of(args.require("logdir", "the TensorBoard log directory (Keras' log_dir) or one event "
                + "file"));
        TensorFlowMetricsCheck.Builder check = TensorFlowMetricsCheck.builder().withRunDirectory(logdir)
                .withLabel(args.get("label", "Verified"));
        for (String gate : args.all("gate")) {
            check.withGate(gate);
        }
        for (String file : args.all("gates-file")) {
            check.withGateLines(GerritMl.read(Path.of(file)));
        }
        if (args.all("gate").isEmpty() && args.all("gates-file").isEmpty()) {
            throw new CliArguments.UsageException("'tensorflow-metrics' needs at least one --gate (e.g. "
                    + "\"validation/epoch_accuracy.last >= 0.9\") or --gates-file FILE");
        }
        if (!args.get("baseline", "").isEmpty()) {
            check.withBaselineFile(Path.of(args.get("baseline", "")));
        }
        if (!args.get("metrics-out", "").isEmpty()) {
            check.withMetricsFile(Path.of(args.get("metrics-out", "")));
        }
        if (!args.get("title", "").isEmpty()) {
            check.withTitle(args.get("title", ""));
        }
        args.pairs("link").forEach(check::withLink);
        if (!Files.exists(logdir)) {
            throw new CliArguments.UsageException("--logdir " + logdir + " does not exist");
        }
        TensorFlowMetricsCheck built = check.build();
        boolean review = !args.flag("no-review");
        GerritChange change = review ? GerritChangeFactory.fromParameters(cli.env()) : null;
        AuditedGerrit gerrit = review ? cli.auditedGerrit(cli.client(), args) : null;
        if (gerrit != null) {
            gerrit.requireVotable(built.getLabel());
        }

        TensorFlowMetricsResult result;
        try {
            result = built.run();
        } catch (UnknownMetricException | EventFileFormatException e) {
            throw new CliArguments.UsageException(e.getMessage());
        } catch (IOException e) {
            throw new CliArguments.UsageException("cannot read " + logdir + " or the baseline: " + e.getMessage());
        }
        cli.out().println(result.getMessage().strip());
        CliResult json = new CliResult("tensorflow-metrics");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("passed", result.isPassed());
        metrics.put("label", result.getLabel());
        metrics.put("vote", result.getVote());
        metrics.put("metricsFile", args.get("metrics-out", ""));
        json.put("metrics", metrics);
        if (review) {
            gerrit.postReview(change, result.toReview());
            cli.out().println("Posted " + result.getLabel() + (result.getVote() > 0 ? "+" : "") + result.getVote()
                    + " with the metrics table on " + change.getRestId() + " patch set " + change.getPatchSetNumber());
        }
        return json.finish(cli, args, result.isPassed() ? GerritMl.OK : GerritMl.REFUSED);
    }
}
