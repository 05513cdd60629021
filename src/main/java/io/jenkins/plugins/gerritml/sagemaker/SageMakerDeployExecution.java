package io.jenkins.plugins.gerritml.sagemaker;

import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialCheck;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.pipeline.RunCheck;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.DeployResult;
import io.jenkins.plugins.gerritml.core.sagemaker.DeploySpec;
import io.jenkins.plugins.gerritml.core.sagemaker.EndpointBackend;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelRegistry;
import io.jenkins.plugins.gerritml.core.sagemaker.PromotionGate;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerDeployer;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerReader;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.lineage.PromotionLineage;
import io.jenkins.plugins.gerritml.pipeline.CredentialChecks;
import io.jenkins.plugins.gerritml.pipeline.LifecycleExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sagemakerDeploy}: Jenkins' side of core's endpoint lifecycle. The gate runs before any AWS call; once the
 * endpoint points at this build's config a restart follows that update, before it the gate runs again. SageMaker
 * cannot cancel an endpoint update: an abort stops waiting and says so.
 */
public class SageMakerDeployExecution extends LifecycleExecution<DeployResult> {
    private static final long serialVersionUID = 1L;

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient SageMakerDeployStep step;
    private final boolean review;
    private final boolean propagate;
    private final String gerritCredentialsId;
    private AwsSettings aws;
    private ApprovalPolicy policy;
    // Saved by builds started before the lifecycle: read once on resume (legacyPlan), never written.
    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "UWF_UNWRITTEN_FIELD",
            justification = "Written by older versions into saved builds; read once on resume.")
    private String endpointName;
    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "UWF_UNWRITTEN_FIELD",
            justification = "Written by older versions into saved builds; read once on resume.")
    private String targetConfigName;
    private List<String> approvers = new ArrayList<>();
    /** Null in builds saved before the option existed. */
    private String modelPackage;
    private long startedAtMillis;
    private long deadlineMillis;

    private transient volatile AwsClients clients;
    private transient volatile SharedSources.Lease<SageMakerReader> reader;

    SageMakerDeployExecution(final SageMakerDeployStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.review = step.isReview();
        this.propagate = step.isPropagate();
        this.gerritCredentialsId = step.getGerritCredentialsId();
        this.modelPackage = step.getModelPackage();
    }

    @Override
    protected String stepName() {
        return "sagemakerDeploy";
    }

    @Override
    protected JobPlan plan() throws Exception {
        aws = step.awsSettings();
        policy = step.toPolicy();
        Run<?, ?> run = getContext().get(Run.class);
        return EndpointBackend.plan(step.toSpec(), SageMakerTrainExecution.context(run, GerritContexts.of(run,
                getContext().get(EnvVars.class))));
    }

    @Override
    protected JobPlan legacyPlan() {
        return deadlineMillis == 0 ? null : JobPlan.of(EndpointBackend.KIND, targetConfigName, targetConfigName,
                Duration.ofMillis(Math.max(1, deadlineMillis - startedAtMillis))).withRemote(RemoteJob.adopted(
                endpointName, Instant.ofEpochMilli(startedAtMillis), Map.of("approvers", String.join(",",
                        approvers)))).withPhase(JobPhase.WAITING);
    }

    @Override
    protected RemoteJobLifecycle.Builder<DeployResult> lifecycle(final RemoteJobRuntime runtime,
            final JobPlan saved) throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
        TrainingContext context = saved.getSpec() instanceof EndpointBackend.Spec
                ? saved.getSpec(EndpointBackend.Spec.class).getContext() : SageMakerTrainExecution.context(run, change);
        List<CredentialCheck> checks = new ArrayList<>();
        if (gerritCredentialsId != null && !gerritCredentialsId.isBlank()) {
            checks.add(CredentialChecks.of(run, "gerritCredentialsId (Gerrit REST)", gerritCredentialsId,
                    List.of(CredentialCheck.Kind.USERNAME_PASSWORD)));
        }
        AwsConnectionConfig config = aws.connect(run, context);
        clients = AwsClients.create(config);
        reader = SageMakerReader.shared(runtime, config, Clock.systemUTC());
        TaskListener listener = getContext().get(TaskListener.class);
        GerritRestClient gerrit = new GerritRestClient(GerritContexts.restConfig(run, change, gerritCredentialsId),
                GerritRestClient.DEFAULT_ATTEMPTS, GerritRestClient.DEFAULT_BACKOFF,
                line -> listener.getLogger().println("[gerrit-ml] " + line));
        PromotionGate gate = (s, c) -> {
            if (policy == null) {
                throw new IllegalStateException("the approval policy of a build saved by an older version is lost;"
                        + " run the build again");
            }
            return PromotionGate.gerrit(new ApprovalGate(gerrit), change, policy).check(s, c);
        };
        // Plans saved by older versions have no spec and no model package.
        List<RunCheck> runChecks = saved.getSpec() instanceof EndpointBackend.Spec ? new ModelRegistry(
                clients.sageMaker()).checksToDeploy(modelPackage, saved.getSpec(EndpointBackend.Spec.class)
                .getDeploy().getModelArtifact(), context) : List.of();
        return RemoteJobLifecycle.builder(new EndpointBackend(new SageMakerDeployer(clients.sageMaker(),
                clients.region(), runtime.watcher(), reader.get().endpoints(), Clock.systemUTC(), clients.accessPolicy()),
                gate), this,
                runtime.executor(), runtime.scheduler()).withPropagate(propagate).withCredentialChecks(checks)
                .withRunChecks(runChecks);
    }

    @Override
    public ReviewDelivery review(final DeployResult result) throws Exception {
        return review ? GerritReviews.deliver(getContext().get(Run.class), getContext().get(EnvVars.class),
                getContext().get(TaskListener.class), result.toReview(), gerritCredentialsId)
                : ReviewDelivery.notRequested();
    }

    @Override
    protected void recordResult(final DeployResult result) throws Exception {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("SageMaker endpoint", result.getConsoleUrl());
        Map<String, String> details = new LinkedHashMap<>();
        String config = result.getState().getEndpointConfigName();
        details.put("endpoint config", String.valueOf(config));
        details.put("approved by", String.join(", ", result.getApprovers()));
        Run<?, ?> run = getContext().get(Run.class);
        LineageAction.of(run).record(new LineageAction.Entry("SageMaker endpoint",
                result.getEndpointName(), result.describeState(), links, details));
        JobPlan saved = savedPlan();
        if (result.isDeployed() && saved != null && saved.getSpec() instanceof EndpointBackend.Spec) {
            DeploySpec spec = saved.getSpec(EndpointBackend.Spec.class).getDeploy();
            PromotionLineage.archiveIfConfigured(run, getContext().get(TaskListener.class), GerritContexts.of(run,
                    getContext().get(EnvVars.class)), LineageJobs.promotion(spec, result,
                    new ModelRegistry(clients.sageMaker()).describeIfNamed(modelPackage)),
                    spec.getModelArtifact());
        }
    }

    @Override
    protected Map<String, Object> resultMap(final DeployResult result) {
        return result.asMap();
    }

    @Override
    protected void release() {
        SharedSources.Lease<SageMakerReader> r = reader;
        reader = null;
        if (r != null) {
            r.release();
        }
        AwsClients c = clients;
        clients = null;
        if (c != null) {
            c.close();
        }
    }
}
