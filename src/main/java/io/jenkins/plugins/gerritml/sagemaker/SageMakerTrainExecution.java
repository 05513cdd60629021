package io.jenkins.plugins.gerritml.sagemaker;

import hudson.EnvVars;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialCheck;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerReader;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerTrainer;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelRegistry;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobBackend;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.gerrit.RepositoryPolicyChecks;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;
import io.jenkins.plugins.gerritml.pipeline.CredentialChecks;
import io.jenkins.plugins.gerritml.pipeline.LifecycleExecution;
import io.jenkins.plugins.gerritml.util.BuildLinks;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * {@code sagemakerTrain}: Jenkins' side of core's training-job lifecycle (plan saved before the job is created,
 * adopt or create once after a restart, stop in any phase, one completion). Only the plan and ids are saved.
 */
public class SageMakerTrainExecution extends LifecycleExecution<TrainingResult> {
    private static final long serialVersionUID = 1L;

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient SageMakerTrainStep step;
    private final boolean review;
    private final String label;
    private final boolean propagate;
    private final String gerritCredentialsId;
    /** Null in builds saved before the option existed: they follow the review, as the default says. */
    private final Boolean cancelOnNewPatchSet;
    /** Null in builds saved before the option existed: nothing is registered. */
    private final String modelPackageGroup;
    private final String inferenceImage;
    /** The version this build registered, for the step's result (saved with the program). */
    private String modelPackageArn;
    private int modelPackageVersion;
    private String modelPackageStatus;
    /** The signed training record's digest once archived (empty: no key), null before. */
    private String lineageDigest;
    private AwsSettings aws;
    // Saved by builds started before the lifecycle: read once on resume (legacyPlan), never written.
    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "UWF_UNWRITTEN_FIELD",
            justification = "Written by older versions into saved builds; read once on resume.")
    private String jobName;
    private long startedAtMillis;
    private long deadlineMillis;

    private transient volatile AwsClients clients;
    private transient volatile SharedSources.Lease<SageMakerReader> reader;

    SageMakerTrainExecution(final SageMakerTrainStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.review = step.isReview();
        this.label = step.getLabel();
        this.propagate = step.isPropagate();
        this.gerritCredentialsId = step.getGerritCredentialsId();
        this.cancelOnNewPatchSet = step.isCancelOnNewPatchSet();
        this.modelPackageGroup = step.getModelPackageGroup();
        this.inferenceImage = step.getInferenceImage(); // blank: the engine serves with the training image
    }

    @Override
    protected String stepName() {
        return "sagemakerTrain";
    }

    @Override
    protected GerritChange followedChange() {
        if (Boolean.FALSE.equals(cancelOnNewPatchSet)) {
            return null;
        }
        try {
            return GerritContexts.of(getContext().get(Run.class), getContext().get(EnvVars.class));
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    protected String followedDescription(final JobPlan current) {
        return "training job " + (current.getRemoteId() == null ? current.getIdentity() : current.getRemoteId());
    }

    @Override
    protected String reviewCredentialsId() {
        return gerritCredentialsId == null ? "" : gerritCredentialsId;
    }

    @Override
    protected JobPlan plan() throws Exception {
        aws = step.awsSettings();
        Run<?, ?> run = getContext().get(Run.class);
        // The step's flow node: parallel branches of one build each train a job of their own.
        return TrainingJobBackend.plan(step.toSpec(), TrainingContext.builder(GerritContexts.of(getContext()))
                .withApprovers(approvers(run)).withJob(run.getParent().getFullName())
                .withBuild(run.getNumber(), BuildLinks.of(run))
                .withStep(getContext().get(FlowNode.class).getId()).build());
    }

    @Override
    protected JobPlan legacyPlan() {
        return jobName == null ? null : JobPlan.of(TrainingJobBackend.KIND, jobName, jobName,
                Duration.ofMillis(Math.max(1, deadlineMillis - startedAtMillis))).withRemote(RemoteJob.adopted(
                jobName, Instant.ofEpochMilli(startedAtMillis), Map.of())).withPhase(JobPhase.WAITING);
    }

    @Override
    protected RemoteJobLifecycle.Builder<TrainingResult> lifecycle(final RemoteJobRuntime runtime,
            final JobPlan saved) throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TrainingContext context = saved.getSpec() instanceof TrainingJobBackend.Spec
                ? saved.getSpec(TrainingJobBackend.Spec.class).getContext()
                : context(run, GerritContexts.of(run, getContext().get(EnvVars.class)));
        List<CredentialCheck> checks = new ArrayList<>();
        if (review && gerritCredentialsId != null && !gerritCredentialsId.isBlank()) {
            checks.add(CredentialChecks.of(run, "gerritCredentialsId (Gerrit REST)", gerritCredentialsId,
                    List.of(CredentialCheck.Kind.USERNAME_PASSWORD)));
        }
        AwsConnectionConfig config = aws.connect(run, context); // checks the AWS credential's kind
        clients = AwsClients.create(config);
        reader = SageMakerReader.shared(runtime, config, Clock.systemUTC());
        SageMakerTrainer trainer = SageMakerTrainer.builder(clients).withWatcher(runtime.watcher(),
                runtime.scheduler()).withStatusSource(reader.get().trainingJobs()).withExecutor(runtime.executor())
                .build();
        List<String> datasets = new ArrayList<>();
        if (saved.getSpec() instanceof TrainingJobBackend.Spec) {
            saved.getSpec(TrainingJobBackend.Spec.class).getTraining().getInputChannels()
                    .forEach(channel -> datasets.add(channel.getS3Uri()));
        }
        return RemoteJobLifecycle.builder(new TrainingJobBackend(trainer), this, runtime.executor(),
                runtime.scheduler()).withPropagate(propagate).withCredentialChecks(checks)
                .withRunChecks(RepositoryPolicyChecks.of(run, GerritContexts.of(run, getContext().get(EnvVars.class)),
                        gerritCredentialsId, datasets));
    }

    @Override
    protected Review startedReview(final JobPlan current, final boolean stoppable) {
        return review ? TrainingJobBackend.startedReview(current, stoppable) : null;
    }

    @Override
    public ReviewDelivery review(final TrainingResult result) throws Exception {
        Review message = result.toReview(label);
        // The signed record first: the registered version carries its digest, as the CLI's does.
        if (result.isCompleted() && lineageDigest == null) {
            lineageDigest = TrainingResults.archiveLineage(getContext(), savedSpec(), result);
            getContext().saveState();
        }
        for (String line : registerModel(result)) {
            log(line);
            message = message.withAppendedLine(line);
        }
        if (lineageDigest != null && !lineageDigest.isEmpty()) {
            message = TrainingResults.withLineageLink(getContext().get(Run.class), savedSpec(), result, message);
        }
        return review ? GerritReviews.deliver(getContext().get(Run.class), getContext().get(EnvVars.class),
                getContext().get(TaskListener.class), message, gerritCredentialsId)
                : ReviewDelivery.notRequested();
    }

    /**
     * Registers a completed job's model in {@code modelPackageGroup}, else the repository policy's, as the engine's
     * {@link ModelRegistry} does for every front end: approved at once when this build's gate already approved the
     * patch set. Before the review, so reviewers read the version beside the vote.
     */
    private List<String> registerModel(final TrainingResult result) throws Exception {
        TrainingJobBackend.Spec spec = savedSpec();
        if (spec == null) {
            return List.of(); // a build saved before plans kept their spec: nothing to register from
        }
        Run<?, ?> run = getContext().get(Run.class);
        String group = RepositoryPolicyChecks.modelPackageGroup(run, GerritContexts.of(run,
                getContext().get(EnvVars.class)), gerritCredentialsId, modelPackageGroup);
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        String approvedAs = approval == null ? "" : ModelRegistry.approvedAs(spec.getContext(),
                approval.getPatchSet(), approval.getCoreApprovals());
        Optional<ModelRegistry.Registration> recorded = new ModelRegistry(clients.sageMaker()).recordTraining(group,
                result, spec.getTraining(), inferenceImage, spec.getContext(), Util.fixNull(lineageDigest), approvedAs);
        recorded.ifPresent(registration -> {
            modelPackageArn = registration.getVersion().getArn();
            modelPackageVersion = registration.getVersion().getVersion();
            modelPackageStatus = registration.getVersion().getStatus();
            getContext().saveState();
        });
        return recorded.map(ModelRegistry.Registration::describe).orElse(List.of());
    }

    @Override
    protected void recordResult(final TrainingResult result) throws Exception {
        TrainingResults.record(getContext(), savedSpec(), result, lineageDigest != null);
    }

    /** The spec the plan was saved with; null in builds saved before plans kept it. */
    @edu.umd.cs.findbugs.annotations.CheckForNull
    private TrainingJobBackend.Spec savedSpec() {
        JobPlan saved = savedPlan();
        return saved != null && saved.getSpec() instanceof TrainingJobBackend.Spec
                ? saved.getSpec(TrainingJobBackend.Spec.class) : null;
    }

    @Override
    protected Map<String, Object> resultMap(final TrainingResult result) {
        Map<String, Object> map = new java.util.LinkedHashMap<>(result.asMap());
        map.put("modelPackageArn", modelPackageArn == null ? "" : modelPackageArn);
        map.put("modelPackageVersion", modelPackageVersion);
        map.put("modelPackageStatus", modelPackageStatus == null ? "" : modelPackageStatus);
        return map;
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

    /** The training context of this build: the patch set, its uploader and approvers, the job and the build. */
    static TrainingContext context(final Run<?, ?> run, final GerritChange change) {
        return TrainingContext.builder(change).withApprovers(approvers(run)).withJob(run.getParent().getFullName())
                .withBuild(run.getNumber(), BuildLinks.of(run)).build();
    }

    private static List<String> approvers(final Run<?, ?> run) {
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        return approval == null ? List.of() : approval.getApprovers();
    }
}
