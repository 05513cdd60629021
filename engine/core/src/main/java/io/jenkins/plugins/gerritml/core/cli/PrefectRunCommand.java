package io.jenkins.plugins.gerritml.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.engine.GateResult;
import io.jenkins.plugins.gerritml.core.engine.GerritLineageSink;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.engine.PrefectLineageSink;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.ReviewFollower;
import io.jenkins.plugins.gerritml.core.gerrit.RunningJob;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunReviews;
import io.jenkins.plugins.gerritml.core.prefect.CancelResult;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectEndpoint;
import io.jenkins.plugins.gerritml.core.prefect.PrefectException;
import io.jenkins.plugins.gerritml.core.prefect.PrefectFlowRuns;
import io.jenkins.plugins.gerritml.core.prefect.ReviewedFlowRuns;
import io.jenkins.plugins.gerritml.core.prefect.StartedFlowRun;
import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code gerrit-ml prefect-run}: the policy gate on the change, then a run of a Prefect deployment for the patch set
 * (Gerrit tags, run name, idempotency key), followed to its end with its logs streamed, voted back with the run's
 * link; optionally signed lineage attached to the run and posted on the change. Ctrl-C cancels the run; with
 * {@code --follow-review} a new patch set or an abandon does too, and then nothing is voted.
 */
final class PrefectRunCommand {
    static final Set<String> VALUE_OPTIONS = GerritMl.union(GerritMl.GATE_OPTIONS, GerritMl.LINEAGE_OPTIONS,
            Set.of("deployment", "parameter", "api-url", "timeout", "run-key", "name", "vote-label", "json",
                    "build-url", "output", "poll-interval", "state-dir"), FollowedReview.VALUE_OPTIONS);
    static final Set<String> FLAGS = GerritMl.union(Set.of("allow-self", "no-review"), FollowedReview.FLAGS);
    /** How long Ctrl-C waits for the cancelled run's result to be posted before the JVM ends. */
    private static final long CANCEL_GRACE_SECONDS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GerritMl cli;

    PrefectRunCommand(final GerritMl cli) {
        this.cli = cli;
    }

    int run(final CliArguments args) throws InterruptedException {
        String deployment = deployment(args);
        Map<String, Object> parameters = parameters(args);
        List<String> datasets = PolicyGate.validateDatasets(args.all("dataset"));
        FlowRunRequest.Builder template = FlowRunRequest.builder().withDeployment(deployment)
                .withParameters(parameters).withTimeout(Durations.parse("timeout", args.get("timeout", "1h")));
        if (!args.get("name", "").isEmpty()) {
            template.withName(args.get("name", ""));
        }
        FlowRunRequest request = template.build();
        PrefectEndpoint endpoint = endpoint(args);
        LineageKey key = cli.optionalSigningKey(args);
        String label = args.get("vote-label", "Verified");
        boolean review = !args.flag("no-review");
        String runKey = runKey(args, deployment);
        Duration poll = Durations.parse("poll-interval", args.get("poll-interval", "5s"));
        Optional<ReviewFollower.Ssh> ssh = FollowedReview.settings(cli, args, "prefect-run");
        CliResult json = new CliResult("prefect-run");

        GerritMl.GatedChange gated = cli.gate(args, datasets, json, review, "No flow run started: the run is not approved.");
        if (!gated.gate().isAllowed()) {
            return json.finish(cli, args, GerritMl.REFUSED);
        }
        GerritChange change = gated.change();
        GerritRestClient client = gated.client();
        AuditLog audit = gated.audit();
        AuditedGerrit gerrit = gated.gerrit();
        GateResult gate = gated.gate();

        PrefectClient prefect = new PrefectClient(endpoint);
        String actor = cli.gerritUser();
        Consumer<String> log = line -> cli.out().println(cli.mask(line));
        try (FollowedReview following = FollowedReview.open(cli, ssh, args, client, gerrit);
             JobWatcher watcher = new JobWatcher(Backoff.of(Duration.ofMillis(250), poll), cli.clock())) {
            PrefectFlowRuns flowRuns = new PrefectFlowRuns(prefect, watcher, cli.clock(), audit, actor);
            AtomicReference<StartedFlowRun> started = new AtomicReference<>();
            Consumer<StartedFlowRun> onStarted = current -> {
                started.set(current);
                CheckBlock running = FlowRunReviews.runningCheck(current.getDeployment(), current.getFlowRunId(),
                        current.getFlowRun().getName(), current.getUiUrl(), cli.clock().instant(),
                        following.isFollowing());
                if (review) {
                    FollowedReview.announce(cli, client, gerrit, change, FlowRunReviews.startedReview(
                            current.getFlowRun().getName(), current.getDeployment(), running));
                }
                following.follow(RunningJob.of(current.getFlowRunId(), "flow run " + current.getFlowRun().getName(),
                        change, true).withRemote(current.getFlowRunId(), running), (job, reason) -> {
                            CancelResult cancel = flowRuns.cancel(job.getId(), reason);
                            return cancel.isAccepted() ? "Prefect accepted the cancellation" : cancel.describe();
                        });
            };
            CountDownLatch done = new CountDownLatch(1);
            FlowRunResult result;
            StartedFlowRun run;
            try (GerritMl.CancelHook hook = cli.onInterrupt("Prefect flow run", () -> {
                StartedFlowRun current = started.get();
                if (current == null || done.getCount() == 0) {
                    return;
                }
                cli.err().println("gerrit-ml: interrupted, cancelling Prefect flow run " + current.getFlowRunId());
                cli.err().println("gerrit-ml: " + flowRuns.cancel(current.getFlowRunId(),
                        "interrupted (Ctrl-C) in gerrit-ml").describe());
                try {
                    done.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                try {
                    if (review) {
                        ReviewedFlowRuns reviewed = new ReviewedFlowRuns(flowRuns, client, new ApprovalGate(client));
                        ReviewedFlowRuns.Outcome outcome = reviewed.runApproved(gate.getApproval(), request,
                                actor, label, runKey, log, onStarted, () -> following.superseded()
                                        .map(stop -> "the review moved on (" + stop.getMessage() + ")").orElse(""));
                        result = outcome.getResult();
                        run = outcome.getStarted();
                        json.put("vote", outcome.getReview() == null ? Map.of() : outcome.getReview().getLabels());
                    } else {
                        run = flowRuns.start(ReviewedFlowRuns.forChange(request, change,
                                gate.getApproval().getApprovals(), runKey), log);
                        onStarted.accept(run);
                        result = follow(flowRuns, run, log);
                    }
                    cli.out().println(result.summary());
                } finally {
                    // after the summary: on Ctrl-C the JVM ends when the hook returns
                    done.countDown();
                }
            }
            json.put("flowRun", flowRun(run, result));
            if (following.reportSuperseded(cli, json)) {
                return json.finish(cli, args, GerritMl.SUPERSEDED);
            }
            if (!result.isSuccess()) {
                return json.finish(cli, args, GerritMl.REFUSED);
            }
            if (key != null) {
                SignedLineage signed = SignedLineage.sign(record(gate, client, run, request, result, datasets, args), key);
                cli.out().println("Signed training lineage " + signed.getDigest() + " with " + key.getAlgorithm()
                        + " key " + key.getKeyId());
                Map<String, Object> lineage = new LinkedHashMap<>();
                lineage.put("digest", signed.getDigest());
                lineage.put("keyId", key.getKeyId());
                if (!args.get("lineage-out", "").isEmpty()) {
                    GerritMl.write(Path.of(args.get("lineage-out", "")), signed.toJsonText());
                    lineage.put("file", args.get("lineage-out", ""));
                }
                String where = new PrefectLineageSink(prefect, audit, actor, run.getFlowRunId()).publish(signed);
                cli.out().println("Lineage attached to " + where);
                lineage.put("prefect", where);
                if (review) {
                    cli.out().println("Lineage summary posted on " + new GerritLineageSink(gerrit, change)
                            .publish(signed));
                }
                json.put("lineage", lineage);
            }
            return json.finish(cli, args, GerritMl.OK);
        }
    }

    /**
     * {@code --run-key}, else {@code BUILD_TAG}, else (with {@code --state-dir}) the key an earlier run of this
     * command for the same patch set and deployment saved, else a random one: without a stable key a re-run after a
     * kill would start a second flow run.
     */
    private String runKey(final CliArguments args, final String deployment) {
        if (!args.get("run-key", "").isBlank()) {
            return args.get("run-key", "");
        }
        if (!cli.env().getOrDefault("BUILD_TAG", "").isBlank()) {
            return cli.env().get("BUILD_TAG");
        }
        if (args.get("state-dir", "").isBlank()) {
            return "cli-" + UUID.randomUUID();
        }
        return new RunState(Path.of(args.get("state-dir", ""))).key("prefect-run",
                GerritChangeFactory.fromParameters(cli.env()), deployment, () -> "cli-" + UUID.randomUUID());
    }

    private static FlowRunResult follow(final PrefectFlowRuns flowRuns, final StartedFlowRun run,
            final Consumer<String> log) throws InterruptedException {
        try {
            return flowRuns.follow(run.getWatchedJob(), run.getFlowRun().getCreated(), log).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new PrefectException(PrefectException.Reason.SERVER_ERROR, "Following " + run + " failed",
                    e.getCause());
        }
    }

    private LineageRecord record(final GateResult gate, final GerritRestClient client, final StartedFlowRun run,
            final FlowRunRequest request, final FlowRunResult result, final List<String> datasets,
            final CliArguments args) {
        LineageRecord.Builder record = LineageRecords.training(gate, client.getBaseUrl())
                .withBuild(args.get("build-url", cli.env().getOrDefault("BUILD_URL", "")), cli.buildId(""))
                .withJob(LineageJobs.flowRun(run.getDeployment(), request, result, datasets))
                .withTime("finished", cli.clock().instant());
        for (String output : LineageJobs.flowRunOutputs(result, args.all("output"))) {
            record.withOutput(LineageArtifact.valueOf(output, "", ""));
        }
        return record.build();
    }

    private static Map<String, Object> flowRun(final StartedFlowRun run, final FlowRunResult result) {
        Map<String, Object> flowRun = new LinkedHashMap<>();
        flowRun.put("id", run.getFlowRunId());
        flowRun.put("name", result.getFlowRunName());
        flowRun.put("deployment", run.getDeployment());
        flowRun.put("new", run.isNew());
        flowRun.put("outcome", result.getOutcome().name());
        flowRun.put("state", result.getState().getType().name());
        flowRun.put("stateName", result.getState().getName());
        flowRun.put("durationSeconds", result.getDuration().toMillis() / 1000.0);
        flowRun.put("uiUrl", result.getUiUrl());
        return flowRun;
    }

    private static String deployment(final CliArguments args) {
        String deployment = args.get("deployment", args.positional().isEmpty() ? "" : args.positional().get(0));
        if (args.positional().size() > (args.get("deployment", "").isEmpty() ? 1 : 0)) {
            throw new CliArguments.UsageException("'prefect-run' takes one deployment (flow/deployment or its id), "
                    + "got " + args.positional());
        }
        if (deployment.isBlank()) {
            throw new CliArguments.UsageException("'prefect-run' needs the deployment: flow-name/deployment-name "
                    + "(e.g. train-model/prod) or the deployment id, as --deployment or the first argument");
        }
        return deployment.trim();
    }

    /** {@code --parameter name=JSON}: {@code 3}, {@code 0.5}, {@code true}, {@code [64,32]}, else the text as given. */
    static Map<String, Object> parameters(final CliArguments args) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        args.pairs("parameter").forEach((name, value) -> {
            Object parsed;
            try {
                parsed = JSON.readValue(value, Object.class);
            } catch (JsonProcessingException e) {
                parsed = value;
            }
            parameters.put(name, parsed);
        });
        return parameters;
    }

    private PrefectEndpoint endpoint(final CliArguments args) {
        String url = args.get("api-url", cli.env().getOrDefault("PREFECT_API_URL", ""));
        if (url.isBlank()) {
            throw new CliArguments.UsageException("'prefect-run' needs --api-url (or PREFECT_API_URL), e.g. "
                    + "http://127.0.0.1:4200/api or https://api.prefect.cloud/api/accounts/<a>/workspaces/<w>");
        }
        String apiKey = cli.env().getOrDefault("PREFECT_API_KEY", "");
        String basic = cli.env().getOrDefault("PREFECT_API_AUTH_STRING", "");
        cli.addSecret(apiKey);
        cli.addSecret(basic);
        if (!apiKey.isBlank() && !basic.isBlank()) {
            throw new CliArguments.UsageException("set PREFECT_API_KEY (Prefect Cloud) or PREFECT_API_AUTH_STRING "
                    + "(self-hosted basic auth), not both");
        }
        PrefectEndpoint.Builder endpoint = PrefectEndpoint.builder().withApiUrl(url.trim());
        if (!apiKey.isBlank()) {
            endpoint.withApiKey(apiKey.trim()).withCredentialName("PREFECT_API_KEY");
        } else if (!basic.isBlank()) {
            endpoint.withBasicAuth(basic.trim()).withCredentialName("PREFECT_API_AUTH_STRING");
        }
        return endpoint.build();
    }
}
