package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Review;

import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A SageMaker training job for a {@link RemoteJobLifecycle}: the plan's identity is the deterministic job name
 * ({@link SageMakerNames#trainingJobName}), its spec the {@link TrainingSpec} and {@link TrainingContext}, so a
 * restarted host adopts the job by its name or creates it once.
 */
public final class TrainingJobBackend implements RemoteJobBackend<TrainingResult> {
    /** What {@link JobPlan#getKind()} says. */
    public static final String KIND = "SageMaker training job";

    private final SageMakerTrainer trainer;

    /** On a trainer built with the host's watcher, scheduler, executor and shared status source. */
    public TrainingJobBackend(final SageMakerTrainer trainer) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
    }

    /** The spec and the review/build context, as one plan holds them. */
    public static final class Spec implements Serializable {
        private static final long serialVersionUID = 1L;

        private final TrainingSpec training;
        private final TrainingContext context;

        Spec(final TrainingSpec training, final TrainingContext context) {
            this.training = training;
            this.context = context;
        }

        public TrainingSpec getTraining() {
            return training;
        }

        public TrainingContext getContext() {
            return context;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Spec && training.equals(((Spec) o).training) && context.equals(((Spec) o).context);
        }

        @Override
        public int hashCode() {
            return Objects.hash(training, context);
        }
    }

    /**
     * The plan of one training job: its name, spec and context, checked (tags against AWS's rules) before anything
     * is asked of AWS.
     *
     * @throws InvalidSpecException naming what to fix
     */
    public static JobPlan plan(final TrainingSpec spec, final TrainingContext context) {
        LineageTags.forTraining(context, spec.getExtraTags());
        return JobPlan.of(KIND, SageMakerNames.trainingJobName(context), new Spec(spec, context),
                spec.getTimeout());
    }

    private static Spec spec(final JobPlan plan) {
        return plan.getSpec(Spec.class);
    }

    @Override
    public void preflight(final JobPlan plan, final Consumer<String> log) {
        Spec spec = spec(plan);
        LineageTags.forTraining(spec.getContext(), spec.getTraining().getExtraTags());
    }

    @Override
    public Optional<RemoteJob> find(final JobPlan plan) {
        Spec spec = spec(plan);
        return trainer.find(spec.getTraining(), spec.getContext(), TrainingListener.silent()).map(job -> RemoteJob
                .adopted(job.trainingJobName(), startOf(job), facts(job.trainingJobArn())));
    }

    @Override
    public RemoteJob create(final JobPlan plan, final Consumer<String> log) {
        Spec spec = spec(plan);
        var job = trainer.create(spec.getTraining(), spec.getContext(), listener(log));
        String arn = trainer.describe(job.getId()).map(DescribeTrainingJobResponse::trainingJobArn).orElse("");
        return RemoteJob.created(job.getId(), job.getStartedAt(), facts(arn));
    }

    @Override
    public CompletableFuture<TrainingResult> follow(final JobPlan plan, final Consumer<String> log) {
        TrainingRun run = trainer.resume(plan.toWatchedJob(), listener(log));
        CompletableFuture<TrainingResult> result = new CompletableFuture<>();
        run.result().whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                run.detach(); // a stop or the lifecycle's timeout took over: stop reading, the job is theirs
            }
        });
        return result;
    }

    @Override
    public String stop(final JobPlan plan, final String remoteId, final String reason) {
        return trainer.stopOrFail(remoteId); // a failure is the lifecycle's to report: the job may still run
    }

    @Override
    public boolean isSuccess(final TrainingResult result) {
        return result.isCompleted();
    }

    @Override
    public String summary(final TrainingResult result) {
        return result.summary();
    }

    private static Instant startOf(final DescribeTrainingJobResponse job) {
        return job.creationTime() != null ? job.creationTime() : Instant.now();
    }

    /**
     * The Checks tab's RUNNING run of the job {@code plan} created or found: the check its result will complete
     * ({@link TrainingResult#checkName}), the console link, and whether a review follower stops it on request.
     */
    public static CheckBlock runningCheck(final JobPlan plan, final boolean stoppable) {
        String name = plan.getRemoteId() != null ? plan.getRemoteId() : plan.getIdentity();
        String[] arn = plan.getFacts().getOrDefault("arn", "").split(":");
        return TrainingResult.runningCheck(name, arn.length > 3 ? arn[3] : "", plan.getStartedAt(), stoppable);
    }

    /** What the review says, silently, once the job exists: its name and {@link #runningCheck}. */
    public static Review startedReview(final JobPlan plan, final boolean stoppable) {
        return TrainingResult.startedReview(runningCheck(plan, stoppable));
    }

    private static Map<String, String> facts(final String arn) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (arn != null && !arn.isEmpty()) {
            facts.put("arn", arn);
        }
        return facts;
    }

    /** Log lines of the trainer (messages, statuses, the job's own log) as lines for the host. */
    public static TrainingListener listener(final Consumer<String> log) {
        return TrainingListener.lines(log);
    }
}
