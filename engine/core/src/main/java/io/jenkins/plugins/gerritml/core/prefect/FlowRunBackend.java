package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Review;

import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Prefect flow run for a {@link RemoteJobLifecycle}: the plan's identity is the request's idempotency key, so a
 * restarted host finds the run by its key (or Prefect hands the same run back on create) and never starts a second
 * one. One {@link PrefectFlowRuns} per server is shared through the runtime, so all waits on a server cost one
 * filter call per tick.
 */
public final class FlowRunBackend implements RemoteJobBackend<FlowRunResult> {
    /** What {@link JobPlan#getKind()} says. */
    public static final String KIND = "Prefect flow run";

    private final PrefectFlowRuns flowRuns;

    public FlowRunBackend(final PrefectFlowRuns flowRuns) {
        this.flowRuns = Objects.requireNonNull(flowRuns, "flowRuns");
    }

    /** The plan of one flow run; the request must carry its idempotency key (see {@link IdempotencyKeys}). */
    public static JobPlan plan(final FlowRunRequest request) {
        if (request.getIdempotencyKey().isEmpty()) {
            throw new IllegalArgumentException("idempotencyKey: a flow run a host may resume needs one, so that a "
                    + "restart finds the run instead of starting a second");
        }
        return JobPlan.of(KIND, request.getIdempotencyKey(), request, request.getTimeout());
    }

    /**
     * The flow runs of one server, shared by every wait on it.
     *
     * @param key what identifies the server and its credential (e.g. the API URL and credential id); no secret
     */
    public static SharedSources.Lease<PrefectFlowRuns> shared(final RemoteJobRuntime runtime, final String key,
            final PrefectConnection connection, final Clock clock) {
        return runtime.sources().acquire("prefect|" + key, PrefectFlowRuns.class,
                () -> new PrefectFlowRuns(new PrefectClient(connection), runtime.watcher(), clock), runs -> { });
    }

    @Override
    public Optional<RemoteJob> find(final JobPlan plan) {
        List<FlowRun> runs = flowRuns.getClient().findFlowRunsByIdempotencyKey(plan.getIdentity());
        return runs.stream().findFirst().map(run -> RemoteJob.adopted(run.getId(), startOf(run), facts(run)));
    }

    @Override
    public RemoteJob create(final JobPlan plan, final Consumer<String> log) {
        StartedFlowRun started = flowRuns.start(plan.getSpec(FlowRunRequest.class), log);
        FlowRun run = started.getFlowRun();
        Instant start = started.getWatchedJob().getStartedAt();
        return started.isNew() ? RemoteJob.created(run.getId(), start, facts(run))
                : RemoteJob.adopted(run.getId(), start, facts(run));
    }

    @Override
    public CompletableFuture<FlowRunResult> follow(final JobPlan plan, final Consumer<String> log) {
        String resumedAt = plan.getFacts().get(JobPlan.LOGS_FROM);
        return flowRuns.follow(plan.toWatchedJob(), resumedAt != null ? Instant.parse(resumedAt)
                : plan.getStartedAt(), log);
    }

    @Override
    public String stop(final JobPlan plan, final String remoteId, final String reason) {
        return "Asked Prefect to cancel flow run " + remoteId + ": " + flowRuns.cancel(remoteId, reason).describe();
    }

    @Override
    public boolean isSuccess(final FlowRunResult result) {
        return result.isSuccess();
    }

    @Override
    public String summary(final FlowRunResult result) {
        return result.summary();
    }

    private static Instant startOf(final FlowRun run) {
        return run.getCreated() != null ? run.getCreated() : Instant.now();
    }

    /**
     * The Checks tab's RUNNING run of the flow run {@code plan} created or found: the check its result will complete
     * ({@link FlowRunReviews#checkName}), the run's page, and whether a review follower stops it on request.
     */
    public static CheckBlock runningCheck(final JobPlan plan, final boolean stoppable) {
        String id = plan.getRemoteId() != null ? plan.getRemoteId() : plan.getIdentity();
        return FlowRunReviews.runningCheck(deploymentOf(plan), id, plan.getFacts().getOrDefault("name", id),
                plan.getFacts().getOrDefault("url", ""), plan.getStartedAt(), stoppable);
    }

    /** What the review says, silently, once the run exists: its name and {@link #runningCheck}. */
    public static Review startedReview(final JobPlan plan, final boolean stoppable) {
        CheckBlock check = runningCheck(plan, stoppable);
        return FlowRunReviews.startedReview(plan.getFacts().getOrDefault("name", check.getId()), deploymentOf(plan),
                check);
    }

    /**
     * The deployment as the request named it; a plan saved before plans kept their request (its spec is the flow run
     * id) names none, and its run is then known by the deployment's id, else the run's.
     */
    private static String deploymentOf(final JobPlan plan) {
        return plan.getSpec() instanceof FlowRunRequest ? ((FlowRunRequest) plan.getSpec()).getDeployment().toString()
                : plan.getFacts().getOrDefault("deploymentId", plan.getIdentity());
    }

    private Map<String, String> facts(final FlowRun run) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("name", run.getName());
        facts.put("url", PrefectUrls.flowRunUrl(flowRuns.getClient().getApiUrl(), run.getId()));
        if (run.getDeploymentId() != null) {
            facts.put("deploymentId", run.getDeploymentId());
        }
        return facts;
    }
}
