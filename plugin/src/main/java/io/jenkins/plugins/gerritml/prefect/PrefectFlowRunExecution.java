package io.jenkins.plugins.gerritml.prefect;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.prefect.CancelResult;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunArtifact;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunMaps;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunReviews;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.prefect.IdempotencyKeys;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectFlowRuns;
import io.jenkins.plugins.gerritml.core.prefect.StartedFlowRun;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.pipeline.Watchers;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Waits for a Prefect flow run like {@code sleep} waits: {@link #start} returns at once, the run is created and
 * followed on Jenkins' timer pool through the shared job watcher, and only ids and the absolute deadline are saved
 * with the build, so {@link #onResume} re-arms after a restart. {@link #stop} cancels the run in Prefect.
 */
public class PrefectFlowRunExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(PrefectFlowRunExecution.class.getName());

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient PrefectFlowRunStep step;
    // What survives a restart: the server's name (its URL and credential come from the global configuration),
    // the run's id and name, the deployment, the start and the absolute deadline, and how to report.
    private final String serverName;
    private final String deployment;
    private final boolean review;
    private final String label;
    private final boolean propagate;
    private final String credentialsId;
    private String flowRunId;
    private String flowRunName;
    private String uiUrl;
    private long startedAtMillis;
    private long deadlineMillis;
    private boolean newRun;

    private transient volatile boolean stopping;
    private transient volatile boolean completed;

    PrefectFlowRunExecution(final PrefectFlowRunStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.serverName = step.getServer();
        this.deployment = step.getDeployment();
        this.review = step.isReview();
        this.label = step.getLabel();
        this.propagate = step.isPropagate();
        this.credentialsId = step.getCredentialsId();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        PrefectServer server = step.resolveServer();
        GerritChange change = review ? GerritContexts.of(run, getContext().get(EnvVars.class)) : optionalChange(run);
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        String stepId = getContext().get(FlowNode.class).getId();
        FlowRunRequest request;
        try {
            request = change == null ? step.toRequest(0, 0, "", List.of(), "gerrit-ml:" + run.getExternalizableId()
                    + ":" + stepId)
                    : step.toRequest(change.getChangeNumber(), change.getPatchSetNumber(), change.getProject(),
                    approval == null ? List.of() : approval.getApprovers(),
                    IdempotencyKeys.of(change.getChangeNumber(), change.getPatchSetNumber(),
                            run.getExternalizableId(), stepId));
        } catch (IllegalArgumentException e) {
            throw new AbortException("prefectFlowRun: " + e.getMessage());
        }
        PrefectFlowRuns flowRuns = flowRuns(server);
        TaskListener listener = getContext().get(TaskListener.class);
        // Creating the run is a remote call: never on the CPS thread.
        Timer.get().submit(() -> launch(flowRuns, request, listener));
        return false;
    }

    private GerritChange optionalChange(final Run<?, ?> run) {
        try {
            return GerritContexts.of(run, getContext().get(EnvVars.class));
        } catch (Exception e) {
            return null; // review: false and no Gerrit context: a plain Prefect run
        }
    }

    private void launch(final PrefectFlowRuns flowRuns, final FlowRunRequest request, final TaskListener listener) {
        try {
            StartedFlowRun started = flowRuns.start(request, line -> log(listener, line));
            WatchedJob job = started.getWatchedJob();
            synchronized (this) {
                flowRunId = started.getFlowRunId();
                flowRunName = started.getFlowRun().getName();
                uiUrl = started.getUiUrl();
                newRun = started.isNew();
                startedAtMillis = job.getStartedAt().toEpochMilli();
                deadlineMillis = job.getDeadline().toEpochMilli();
            }
            getContext().saveState();
            if (stopping) {
                cancel(flowRuns, listener, "the build was aborted while the run was being created");
                return;
            }
            follow(flowRuns, job, started.getFlowRun().getCreated(), listener);
        } catch (RuntimeException e) {
            completeWithFailure(new AbortException("prefectFlowRun: " + e.getMessage()));
        }
    }

    private void follow(final PrefectFlowRuns flowRuns, final WatchedJob job, final Instant logsSince,
            final TaskListener listener) {
        flowRuns.follow(job, logsSince, line -> log(listener, line)).whenComplete((result, failure) -> {
            if (failure != null) {
                completeWithFailure(new AbortException("prefectFlowRun: following flow run " + job.getId()
                        + " failed: " + failure.getMessage()));
            } else {
                finish(result, listener);
            }
        });
    }

    private void finish(final FlowRunResult result, final TaskListener listener) {
        if (stopping || completed) {
            return;
        }
        try {
            Run<?, ?> run = getContext().get(Run.class);
            recordLineage(run, result);
            if (review) {
                EnvVars env = getContext().get(EnvVars.class);
                GerritChange change = GerritContexts.of(run, env);
                ApprovalAction approval = run.getAction(ApprovalAction.class);
                GerritReviews.post(run, env, listener, FlowRunReviews.toReview(result, deployment, newRun, change,
                        GerritContexts.triggeredBy(run, change),
                        approval == null ? List.of() : approval.getCoreApprovals(), label), credentialsId);
            }
            if (result.isSuccess()) {
                archiveLineage(run, listener, result);
            }
            if (!result.isSuccess() && propagate) {
                completeWithFailure(new AbortException(result.summary()));
            } else {
                completed = true;
                getContext().onSuccess(FlowRunMaps.asMap(result, deployment));
            }
        } catch (Exception e) {
            completeWithFailure(e);
        }
    }

    private void archiveLineage(final Run<?, ?> run, final TaskListener listener, final FlowRunResult result) {
        try {
            GerritChange change = optionalChange(run);
            if (change == null) {
                return; // review: false without a Gerrit context: lineage records describe reviewed changes only
            }
            List<String> outputs = new java.util.ArrayList<>();
            for (FlowRunArtifact artifact : result.getArtifacts()) {
                if (artifact.isLink()) {
                    outputs.add(artifact.getLink());
                }
            }
            io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver.archiveIfConfigured(run, listener, change,
                    io.jenkins.plugins.gerritml.core.pipeline.LineageJob.builder().withBackend("prefect")
                            .withId(result.getFlowRunId()).withParameter("deployment", deployment).build(),
                    outputs, Map.of());
        } catch (Exception e) {
            listener.error("[gerrit-ml] No signed lineage record: " + e.getMessage());
        }
    }

    private void recordLineage(final Run<?, ?> run, final FlowRunResult result) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("Prefect flow run", result.getUiUrl());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("deployment", deployment);
        details.put("duration", result.getDuration().toSeconds() + " s");
        for (FlowRunArtifact artifact : result.getArtifacts()) {
            if (!artifact.getLink().isEmpty()) {
                links.put(artifact.getTitle(), artifact.getLink());
            } else {
                details.put("artifact " + artifact.getKey(), artifact.getType());
            }
        }
        LineageAction.of(run).record(new LineageAction.Entry("Prefect flow run", result.getFlowRunName() + " ("
                + result.getFlowRunId() + ")", result.getState().getName(), links, details));
    }

    private void completeWithFailure(final Throwable cause) {
        if (!completed) {
            completed = true;
            getContext().onFailure(cause);
        }
    }

    @Override
    public void onResume() {
        String id;
        WatchedJob job;
        synchronized (this) {
            id = flowRunId;
            job = id == null ? null : WatchedJob.of(id, Instant.ofEpochMilli(startedAtMillis),
                    Instant.ofEpochMilli(deadlineMillis));
        }
        if (job == null) {
            completeWithFailure(new AbortException("prefectFlowRun: Jenkins restarted before the Prefect flow run of "
                    + deployment + " was created; run the build again (the idempotency key stops a duplicate run)."));
            return;
        }
        Timer.get().submit(() -> {
            try {
                TaskListener listener = getContext().get(TaskListener.class);
                log(listener, "Jenkins restarted: following Prefect flow run '" + flowRunName + "' (" + id
                        + ") again until " + job.getDeadline() + "; log lines written meanwhile are in " + uiUrl);
                follow(flowRuns(server()), job, Instant.now(), listener);
            } catch (Exception e) {
                completeWithFailure(e);
            }
        });
    }

    @Override
    public void stop(final Throwable cause) throws Exception {
        stopping = true;
        Timer.get().submit(() -> {
            try {
                TaskListener listener = getContext().get(TaskListener.class);
                if (flowRunId != null) {
                    cancel(flowRuns(server()), listener, "Jenkins build " + getContext().get(Run.class)
                            .getFullDisplayName() + " stopped: " + io.jenkins.plugins.gerritml.pipeline.Interruptions.describe(cause));
                }
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "Cannot cancel Prefect flow run " + flowRunId, e);
            } finally {
                completeWithFailure(cause);
            }
        });
    }

    private void cancel(final PrefectFlowRuns flowRuns, final TaskListener listener, final String reason) {
        CancelResult result = flowRuns.cancel(flowRunId, reason);
        log(listener, "Asked Prefect to cancel flow run '" + flowRunName + "' (" + flowRunId + "): "
                + result.describe());
    }

    @Override
    public String getStatus() {
        if (flowRunId == null) {
            return stopping ? "cancelling: the Prefect flow run is being created" : "creating a flow run of Prefect "
                    + "deployment " + deployment;
        }
        return (stopping ? "cancelling" : "waiting for") + " Prefect flow run '" + flowRunName + "' (" + flowRunId
                + ") of " + deployment + " on " + (serverName.isEmpty() ? "the Prefect server" : serverName)
                + ", until " + Instant.ofEpochMilli(deadlineMillis) + ": " + uiUrl;
    }

    private PrefectServer server() throws AbortException {
        List<PrefectServer> servers = GerritMlConfiguration.get().getPrefectServers();
        if (serverName.isEmpty() && servers.size() == 1) {
            return servers.get(0);
        }
        return GerritMlConfiguration.get().findPrefectServer(serverName).orElseThrow(() -> new AbortException(
                "prefectFlowRun: the Prefect server '" + serverName + "' is no longer configured; flow run "
                        + flowRunId + " is still in Prefect: " + uiUrl));
    }

    static PrefectFlowRuns flowRuns(final PrefectServer server) {
        JenkinsPrefectConnection connection = new JenkinsPrefectConnection(server);
        return Watchers.get().perWatcher(connection.key(), PrefectFlowRuns.class, key -> new PrefectFlowRuns(
                new PrefectClient(connection), Watchers.shared(), Clock.systemUTC()));
    }

    private static void log(final TaskListener listener, final String line) {
        listener.getLogger().println("[gerrit-ml] " + line);
    }
}
