package io.jenkins.plugins.gerritml.prefect;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialCheck;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunBackend;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunMaps;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunReviews;
import io.jenkins.plugins.gerritml.core.prefect.IdempotencyKeys;
import io.jenkins.plugins.gerritml.core.prefect.PrefectFlowRuns;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.gerrit.RepositoryPolicyChecks;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;
import io.jenkins.plugins.gerritml.pipeline.CredentialChecks;
import io.jenkins.plugins.gerritml.pipeline.LifecycleExecution;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code prefectFlowRun}: Jenkins' side of core's flow-run lifecycle. The plan (request with its idempotency key)
 * is saved before the run is created, so a restart finds the run by its key instead of starting a second one.
 */
public class PrefectFlowRunExecution extends LifecycleExecution<FlowRunResult> {
    private static final long serialVersionUID = 1L;

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient PrefectFlowRunStep step;
    private final String serverName;
    private final String deployment;
    private final boolean review;
    private final String label;
    private final boolean propagate;
    private final String credentialsId;
    /** Null in builds saved before the option existed: they follow the review, as the default says. */
    private final Boolean cancelOnNewPatchSet;
    /** Null in builds saved before the option existed: they declared no datasets. */
    private final List<String> datasets;
    // Saved by builds started before the lifecycle: read once on resume (legacyPlan), never written.
    private String flowRunId;
    private String flowRunName;
    private String uiUrl;
    private long startedAtMillis;
    private long deadlineMillis;
    private boolean newRun;

    private transient volatile SharedSources.Lease<PrefectFlowRuns> flowRuns;

    PrefectFlowRunExecution(final PrefectFlowRunStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.serverName = step.getServer();
        this.deployment = step.getDeployment();
        this.review = step.isReview();
        this.label = step.getLabel();
        this.propagate = step.isPropagate();
        this.credentialsId = step.getCredentialsId();
        this.cancelOnNewPatchSet = step.isCancelOnNewPatchSet();
        this.datasets = List.copyOf(step.getDatasets());
    }

    @Override
    protected String stepName() {
        return "prefectFlowRun";
    }

    @Override
    protected GerritChange followedChange() {
        if (Boolean.FALSE.equals(cancelOnNewPatchSet)) {
            return null;
        }
        try {
            return optionalChange(getContext().get(Run.class));
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    protected String followedDescription(final JobPlan current) {
        String name = current.getFacts().get("name");
        if (name != null && !name.isBlank() && !"null".equals(name)) {
            return "flow run " + name;
        }
        return "flow run " + (current.getRemoteId() == null ? "for " + deployment : current.getRemoteId());
    }

    @Override
    protected String reviewCredentialsId() {
        return credentialsId == null ? "" : credentialsId;
    }

    @Override
    protected JobPlan plan() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        step.resolveServer(); // fails now if no server fits
        GerritChange change = review ? GerritContexts.of(getContext()) : optionalChange(run);
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        String stepId = getContext().get(FlowNode.class).getId();
        return FlowRunBackend.plan(change == null
                ? step.toRequest(0, 0, "", List.of(), IdempotencyKeys.forBuild(run.getExternalizableId(), stepId))
                : step.toRequest(change.getChangeNumber(), change.getPatchSetNumber(), change.getProject(),
                approval == null ? List.of() : approval.getApprovers(), IdempotencyKeys.of(change.getChangeNumber(),
                        change.getPatchSetNumber(), run.getExternalizableId(), stepId)));
    }

    @Override
    protected JobPlan legacyPlan() {
        return flowRunId == null ? null : JobPlan.of(FlowRunBackend.KIND, flowRunId, flowRunId,
                Duration.ofMillis(Math.max(1, deadlineMillis - startedAtMillis))).withRemote(RemoteJob.adopted(
                flowRunId, Instant.ofEpochMilli(startedAtMillis), Map.of("name", String.valueOf(flowRunName),
                        "url", String.valueOf(uiUrl)))).withPhase(JobPhase.WAITING);
    }

    @Override
    protected RemoteJobLifecycle.Builder<FlowRunResult> lifecycle(final RemoteJobRuntime runtime,
            final JobPlan saved) throws Exception {
        List<CredentialCheck> checks = new ArrayList<>();
        if (review && credentialsId != null && !credentialsId.isBlank()) {
            checks.add(CredentialChecks.of(getContext().get(Run.class), "credentialsId (Gerrit REST)", credentialsId,
                    List.of(CredentialCheck.Kind.USERNAME_PASSWORD)));
        }
        JenkinsPrefectConnection connection = new JenkinsPrefectConnection(server());
        flowRuns = FlowRunBackend.shared(runtime, connection.key(), connection, Clock.systemUTC());
        Run<?, ?> run = getContext().get(Run.class);
        return RemoteJobLifecycle.builder(new FlowRunBackend(flowRuns.get()), this, runtime.executor(),
                runtime.scheduler()).withPropagate(propagate).withCredentialChecks(checks)
                .withRunChecks(RepositoryPolicyChecks.of(run, optionalChange(run), credentialsId,
                        datasets == null ? List.of() : datasets));
    }

    @Override
    protected Review startedReview(final JobPlan current, final boolean stoppable) {
        return review ? FlowRunBackend.startedReview(current, stoppable) : null;
    }

    @Override
    public ReviewDelivery review(final FlowRunResult result) throws Exception {
        if (!review) {
            return ReviewDelivery.notRequested();
        }
        Run<?, ?> run = getContext().get(Run.class);
        EnvVars env = getContext().get(EnvVars.class);
        GerritChange change = GerritContexts.of(run, env);
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        JobPlan saved = savedPlan();
        boolean started = saved == null || !saved.isAdopted(); // a run found under its key was re-attached
        return GerritReviews.deliver(run, env, getContext().get(TaskListener.class), FlowRunReviews.toReview(result,
                deployment, started, change, GerritContexts.triggeredBy(run, change),
                approval == null ? List.of() : approval.getCoreApprovals(), label), credentialsId);
    }

    @Override
    protected void recordResult(final FlowRunResult result) throws Exception {
        JobPlan saved = savedPlan();
        Run<?, ?> run = getContext().get(Run.class);
        FlowRunRecords.record(run, getContext().get(TaskListener.class), optionalChange(run), deployment,
                saved != null
                        && saved.getSpec() instanceof io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest
                        ? saved.getSpec(io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest.class) : null, result);
    }

    @Override
    protected Map<String, Object> resultMap(final FlowRunResult result) {
        return FlowRunMaps.asMap(result, deployment);
    }

    @Override
    protected void release() {
        SharedSources.Lease<PrefectFlowRuns> lease = flowRuns;
        flowRuns = null;
        if (lease != null) {
            lease.release();
        }
    }

    private GerritChange optionalChange(final Run<?, ?> run) {
        try {
            return GerritContexts.of(run, getContext().get(EnvVars.class));
        } catch (Exception e) {
            return null; // review: false and no Gerrit context: a plain Prefect run
        }
    }

    private PrefectServer server() throws AbortException {
        List<PrefectServer> servers = GerritMlConfiguration.get().getPrefectServers();
        if (serverName.isEmpty() && servers.size() == 1) {
            return servers.get(0);
        }
        return GerritMlConfiguration.get().findPrefectServer(serverName).orElseThrow(() -> new AbortException(
                "prefectFlowRun: the Prefect server '" + serverName + "' is no longer configured"
                        + (flowRunId == null ? "" : "; flow run " + flowRunId + " is still in Prefect: " + uiUrl)));
    }
}
