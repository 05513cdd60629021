package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchListener;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.prefect.PrefectException.Reason;
import io.jenkins.plugins.gerritml.core.prefect.dto.DeploymentFlowRunCreate;
import io.jenkins.plugins.gerritml.core.prefect.dto.DeploymentResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs Prefect deployments and follows their flow runs: the core of the {@code prefectFlowRun} step, the event-driven
 * start and the demo. One instance per Prefect server; all runs it follows share one batched status source on the
 * given {@link JobWatcher}.
 *
 * <ul>
 *   <li>{@link #start} checks the request against the deployment, then creates the run (or gets back the run an
 *       earlier attempt created with the same idempotency key).</li>
 *   <li>{@link #follow} streams the run's logs to the caller and completes with a {@link FlowRunResult} when the run
 *       ends; past the deadline it asks Prefect to cancel and completes as TIMED_OUT. It keeps reading through
 *       server outages until the deadline, and can be called again after a restart with the persisted
 *       {@link WatchedJob}.</li>
 *   <li>{@link #cancel} asks Prefect to cancel and reports what it answered.</li>
 * </ul>
 */
public final class PrefectFlowRuns {
    private static final Pattern FIELD = Pattern.compile("field '([^']+)'");
    /** Flow processes flush their last log batch just after the final state; wait for it before the last read. */
    private static final Duration FINAL_LOG_GRACE = Duration.ofMillis(1500);
    private static final int REPORT_EVERY = 10;
    /** How long a run may wait for a worker or runner before the log says so, unless set otherwise. */
    public static final Duration DEFAULT_PICKUP_WARNING = Duration.ofSeconds(60);
    private static final Logger LOGGER = Logger.getLogger(PrefectFlowRuns.class.getName());

    private final PrefectClient client;
    private final JobWatcher watcher;
    private final Clock clock;
    private final FlowRunStatusSource source;
    @CheckForNull private final AuditLog audit;
    private final String actor;
    private volatile Duration pickupWarning = DEFAULT_PICKUP_WARNING;
    /** Why a followed run has not started, once the pickup warning said so; for the result's summary. */
    private final Map<String, String> notPickedUp = new ConcurrentHashMap<>();

    public PrefectFlowRuns(final PrefectClient client, final JobWatcher watcher, final Clock clock) {
        this(client, watcher, clock, null, "");
    }

    /**
     * As {@link #PrefectFlowRuns(PrefectClient, JobWatcher, Clock)}, recording every state-changing call (create,
     * cancel) in {@code audit} as done by {@code actor} (e.g. {@code jenkins for alice}).
     */
    public PrefectFlowRuns(final PrefectClient client, final JobWatcher watcher, final Clock clock,
            @CheckForNull final AuditLog audit, final String actor) {
        this.client = client;
        this.watcher = watcher;
        this.clock = clock;
        this.source = new FlowRunStatusSource(client);
        this.audit = audit;
        this.actor = actor.isBlank() ? "gerrit-ml" : actor.trim();
    }

    /** The audit log state-changing calls go to, or null. */
    @CheckForNull
    public AuditLog getAudit() {
        return audit;
    }

    /** Who the audit log names for calls made through this instance. */
    public String getActor() {
        return actor;
    }

    public PrefectClient getClient() {
        return client;
    }

    /**
     * How long a followed run may stay {@code Scheduled} (or {@code Late}) before the log says that no worker or
     * runner has picked it up, naming its deployment's work pool and what to check.
     */
    public void setPickupWarning(final Duration after) {
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("pickup warning: must be positive, was " + after);
        }
        this.pickupWarning = after;
    }

    /** The status source the watcher batches this server's runs through. */
    public FlowRunStatusSource getStatusSource() {
        return source;
    }

    /**
     * Creates a flow run of the request's deployment, or re-attaches to the run an earlier attempt created with the
     * same idempotency key. Fails before creating anything if the deployment does not exist (listing close matches)
     * or a parameter does not fit the deployment's schema (naming it).
     */
    public StartedFlowRun start(final FlowRunRequest request, final Consumer<String> log) {
        DeploymentResponse deployment = client.findDeployment(request.getDeployment());
        if (deployment == null || deployment.id == null) {
            throw unknownDeployment(request.getDeployment());
        }
        String deploymentName = request.getDeployment().toString();
        ParameterSchema.check(deploymentName, deployment.parameterOpenapiSchema,
                deployment.parameters == null ? Map.of() : deployment.parameters, request.getParameters());

        DeploymentFlowRunCreate body = new DeploymentFlowRunCreate();
        body.name = request.getName().isEmpty() ? null : request.getName();
        body.parameters = new LinkedHashMap<>(request.getParameters());
        body.tags = request.getTags();
        body.idempotencyKey = request.getIdempotencyKey().isEmpty() ? null : request.getIdempotencyKey();
        body.workQueueName = request.getWorkQueue().isEmpty() ? null : request.getWorkQueue();
        body.jobVariables = request.getJobVariables().isEmpty() ? null : new LinkedHashMap<>(request.getJobVariables());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("deployment", deploymentName);
        details.put("name", request.getName());
        details.put("idempotency_key", request.getIdempotencyKey());
        details.put("tags", String.join(",", request.getTags()));
        details.put("parameters", String.join(",", request.getParameters().keySet()));
        PrefectClient.CreatedFlowRun created;
        try {
            created = client.createFlowRun(deployment.id, body);
        } catch (PrefectException e) {
            PrefectException explained = explainRejection(deploymentName, e);
            record("prefect.create-flow-run", deploymentName, details, AuditLog.Outcome.FAILED,
                    explained.getMessage());
            throw explained;
        }
        details.put("flow_run", created.getFlowRun().getId());
        details.put("new", Boolean.toString(created.isNew()));
        record("prefect.create-flow-run", created.getFlowRun().getId(), details, AuditLog.Outcome.OK, "");
        FlowRun run = created.getFlowRun();
        Instant startedAt = created.isNew() || run.getCreated() == null ? clock.instant() : run.getCreated();
        WatchedJob job = WatchedJob.of(run.getId(), startedAt, startedAt.plus(request.getTimeout()));
        String uiUrl = PrefectUrls.flowRunUrl(client.getApiUrl(), run.getId());
        StartedFlowRun started = new StartedFlowRun(run, created.isNew(), deploymentName, uiUrl, job);
        log.accept((created.isNew() ? "Started Prefect flow run '" : "Re-attached to Prefect flow run '")
                + run.getName() + "' of " + deploymentName + ": " + uiUrl);
        return started;
    }

    /**
     * Follows a run until it ends or its deadline passes, streaming its logs to {@code log}. The future completes
     * with the result (never exceptionally for the run's own failure; exceptionally only if reading the final
     * result fails). Cancelling the future gives the follow up: its polls and log stream end at once.
     */
    public CompletableFuture<FlowRunResult> follow(final WatchedJob job, final Consumer<String> log) {
        return follow(job, null, log);
    }

    /** As {@link #follow(WatchedJob, Consumer)}, streaming logs from {@code logsSince} (null: the run's first line). */
    public CompletableFuture<FlowRunResult> follow(final WatchedJob job, @CheckForNull final Instant logsSince,
            final Consumer<String> log) {
        CompletableFuture<FlowRunResult> result = new CompletableFuture<>();
        String id = job.getId();
        source.streamLogs(id, logsSince, line -> log.accept("[prefect] " + line));
        checkPickedUpLater(job, result, log);
        JobWatcher.Handle watching = watcher.watch(source, job, new WatchListener<>() {
            @Override
            public void onStatus(final String runId, final FlowRunState status) {
                log.accept("Prefect flow run " + runId + " is " + status);
            }

            @Override
            public void onFinished(final String runId, final FlowRunState status) {
                afterGrace().execute(() -> complete(result, () -> finish(job, log)));
            }

            @Override
            public void onTimeout(final String runId, final Duration elapsed) {
                CompletableFuture.runAsync(() -> complete(result, () -> timeOut(job, elapsed, log)));
            }

            @Override
            public void onReadFailure(final String runId, final Exception failure, final int consecutiveFailures) {
                if (consecutiveFailures == 1 || consecutiveFailures % REPORT_EVERY == 0) {
                    log.accept("Cannot read the state of Prefect flow run " + runId + " (" + consecutiveFailures
                            + " attempt(s)): " + failure.getMessage() + "; retrying until " + job.getDeadline());
                }
            }

            @Override
            public void onNotFound(final String runId, final int consecutiveMisses) {
                if (consecutiveMisses == 1 || consecutiveMisses % REPORT_EVERY == 0) {
                    log.accept("Prefect does not list flow run " + runId + " (" + consecutiveMisses
                            + " time(s)); retrying until " + job.getDeadline());
                }
            }
        });
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                watching.cancel();
                source.stopStreaming(id);
            }
        });
        return result;
    }

    /** Starts, follows and waits: for the demo, the CLI and tests. */
    public FlowRunResult run(final FlowRunRequest request, final Consumer<String> log) throws InterruptedException {
        StartedFlowRun started = start(request, log);
        try {
            return follow(started.getWatchedJob(), started.getFlowRun().getCreated(), log).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new PrefectException(Reason.SERVER_ERROR, "Following " + started + " failed", cause);
        }
    }

    /**
     * Asks Prefect to cancel (state CANCELLING through its orchestration rules) and reports its answer. A run that
     * nothing has started yet ({@code Scheduled}, {@code Late}, {@code Pending}, {@code Paused}) has no process to
     * stop; if Prefect does not end it by itself, it is set CANCELLED directly, so it does not stay queued behind a
     * finished build.
     */
    public CancelResult cancel(final String flowRunId, final String reason) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason);
        CancelResult result;
        try {
            result = client.cancelFlowRun(flowRunId, reason);
            if (!result.isAccepted() && isQueued(result.getState().getType())) {
                details.put("queued", result.getState().getName());
                result = client.cancelQueuedFlowRun(flowRunId, reason);
            }
        } catch (PrefectException e) {
            record("prefect.cancel-flow-run", flowRunId, details, AuditLog.Outcome.FAILED, e.getMessage());
            throw e;
        }
        details.put("status", result.getStatus().name());
        record("prefect.cancel-flow-run", flowRunId, details, result.isAccepted() ? AuditLog.Outcome.OK
                : AuditLog.Outcome.REFUSED, result.isAccepted() ? "" : result.describe());
        return result;
    }

    private static boolean isQueued(final StateType type) {
        return type == StateType.SCHEDULED || type == StateType.PENDING || type == StateType.PAUSED;
    }

    /** Once the pickup warning has passed, says so if the run is still waiting for a worker or runner. */
    private void checkPickedUpLater(final WatchedJob job, final CompletableFuture<FlowRunResult> result,
            final Consumer<String> log) {
        long delay = Math.max(0, Duration.between(clock.instant(), job.getStartedAt().plus(pickupWarning)).toMillis());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (result.isDone()) {
                return;
            }
            try {
                FlowRun run = client.readFlowRun(job.getId());
                if (run.getState().getType() == StateType.SCHEDULED && !result.isDone()) {
                    Duration waited = Duration.between(job.getStartedAt(), clock.instant());
                    String why = "no worker or runner picked it up in " + FlowRunResult.formatDuration(waited) + ": "
                            + whereItWaits(run);
                    notPickedUp.put(job.getId(), why);
                    log.accept("Prefect flow run '" + run.getName() + "' is still " + run.getState().getName()
                            + ": " + why);
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Cannot check whether flow run " + job.getId()
                        + " was picked up", e);
            }
        });
    }

    /** Which work pool (or serving process) the run waits for, and what to check. */
    private String whereItWaits(final FlowRun run) {
        DeploymentResponse deployment = run.getDeploymentId().isEmpty() ? null
                : client.findDeployment(DeploymentRef.valueOf(run.getDeploymentId()));
        if (deployment == null) {
            return "it belongs to no deployment Prefect still has.";
        }
        String flow = deployment.flowId == null ? null : client.readFlowName(deployment.flowId);
        String name = "'" + (flow == null ? "?" : flow) + "/" + deployment.name + "'";
        StringBuilder text = new StringBuilder();
        if (deployment.workPoolName != null && !deployment.workPoolName.isBlank()) {
            text.append("deployment ").append(name).append(" runs on work pool '").append(deployment.workPoolName)
                    .append("'; check that a worker polls that pool (prefect worker start --pool ")
                    .append(deployment.workPoolName).append(") and that the pool has room and is not paused.");
        } else {
            text.append("deployment ").append(name).append(" has no work pool, so only the process that serves it ")
                    .append("(serve() or a runner) can start it; check that this process is running and has a free ")
                    .append("slot.");
        }
        if (Boolean.TRUE.equals(deployment.paused)) {
            text.append(" The deployment is paused.");
        } else if ("NOT_READY".equalsIgnoreCase(deployment.status)) {
            text.append(" Prefect lists the deployment as NOT_READY: nothing has polled it lately.");
        }
        return text.toString();
    }

    private void record(final String action, final String target, final Map<String, String> details,
            final AuditLog.Outcome outcome, final String message) {
        if (audit != null) {
            audit.record(action, actor + "@" + client.getApiUrl(), target, details, outcome, message);
        }
    }

    private FlowRunResult finish(final WatchedJob job, final Consumer<String> log) {
        notPickedUp.remove(job.getId());
        try {
            source.drainLogs(job.getId());
        } catch (PrefectException e) {
            log.accept("Cannot read the last logs of flow run " + job.getId() + ": " + e.getMessage());
        }
        FlowRun run = client.readFlowRun(job.getId());
        List<FlowRunArtifact> artifacts = client.readArtifacts(job.getId());
        Instant end = run.getEndTime() != null ? run.getEndTime() : clock.instant();
        Duration duration = Duration.between(job.getStartedAt(), end);
        FlowRunResult result = FlowRunResult.finished(run, duration.isNegative() ? Duration.ZERO : duration,
                PrefectUrls.flowRunUrl(client.getApiUrl(), run.getId()), artifacts);
        log.accept(result.summary());
        return result;
    }

    private FlowRunResult timeOut(final WatchedJob job, final Duration elapsed, final Consumer<String> log) {
        FlowRunState before = FlowRunState.unknown();
        try {
            before = client.readFlowRun(job.getId()).getState();
        } catch (PrefectException e) {
            // the cancel below says whether Prefect can be reached
        }
        String cancel;
        try {
            cancel = cancel(job.getId(), "Timed out after " + FlowRunResult.formatDuration(elapsed)
                    + " (gerrit-ml step timeout)").describe();
        } catch (PrefectException e) {
            cancel = "the cancel request failed: " + e.getMessage();
        }
        log.accept(cancel);
        source.stopStreaming(job.getId());
        String why = notPickedUp.remove(job.getId());
        if (why == null && before.getType() == StateType.SCHEDULED) {
            why = "no worker or runner picked it up";
        }
        FlowRunState after = before;
        String name = job.getId();
        try {
            FlowRun run = client.readFlowRun(job.getId());
            after = run.getState();
            name = run.getName();
        } catch (PrefectException e) {
            // keep the id as name; the message already says what happened
        }
        FlowRunResult result = FlowRunResult.timedOut(job.getId(), name, before, after, elapsed,
                PrefectUrls.flowRunUrl(client.getApiUrl(), job.getId()), cancel, why == null ? "" : why);
        log.accept(result.summary());
        return result;
    }

    private static void complete(final CompletableFuture<FlowRunResult> future,
            final java.util.function.Supplier<FlowRunResult> result) {
        try {
            future.complete(result.get());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    private static Executor afterGrace() {
        return CompletableFuture.delayedExecutor(FINAL_LOG_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private PrefectException unknownDeployment(final DeploymentRef ref) {
        List<String> names;
        try {
            names = client.listDeploymentNames();
        } catch (PrefectException e) {
            names = List.of();
        }
        List<String> close = closeMatches(ref.toString(), names);
        String hint = close.isEmpty()
                ? names.isEmpty() ? " The server has no deployments." : " Deployments there: " + names.stream()
                        .sorted().limit(10).collect(Collectors.joining(", "))
                : " Close matches: " + String.join(", ", close);
        return new PrefectException(Reason.NOT_FOUND, 404, "deployment: no Prefect deployment '" + ref + "' at "
                + client.getApiUrl() + "." + hint);
    }

    static List<String> closeMatches(final String wanted, final List<String> names) {
        String target = wanted.toLowerCase(Locale.ROOT);
        int limit = Math.max(3, target.length() / 3);
        return names.stream()
                .map(name -> Map.entry(name, distance(target, name.toLowerCase(Locale.ROOT))))
                .filter(entry -> entry.getValue() <= limit || entry.getKey().toLowerCase(Locale.ROOT)
                        .startsWith(target.split("/", 2)[0] + "/"))
                .sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue)
                        .thenComparing(Map.Entry::getKey))
                .limit(5).map(Map.Entry::getKey).collect(Collectors.toList());
    }

    /** Levenshtein distance. */
    static int distance(final String a, final String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Prefect's "Validation failed for field 'epochs'" as an error naming the parameter. */
    private static PrefectException explainRejection(final String deployment, final PrefectException e) {
        if (e.getReason() != Reason.REJECTED) {
            return e;
        }
        Matcher field = FIELD.matcher(e.getMessage());
        String parameter = field.find() ? "parameters." + field.group(1) + ": " : "";
        return new PrefectException(Reason.REJECTED, e.getStatusCode(), parameter + "Prefect refused the flow run "
                + "for deployment '" + deployment + "': " + e.getMessage());
    }
}
