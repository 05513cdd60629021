package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts (or adopts) SageMaker training jobs and follows them on the shared {@link JobWatcher}: no thread per job.
 *
 * <pre>{@code
 * try (AwsClients aws = AwsClients.create(config);
 *      SageMakerTrainer trainer = SageMakerTrainer.builder(aws).build()) {
 *     TrainingResult result = trainer.train(spec, context, TrainingListener.printingTo(System.out));
 * }
 * }</pre>
 *
 * The job name comes from the review and the build ({@link SageMakerNames#trainingJobName}); before creating, the
 * trainer describes that name and adopts a job started from the same spec, so a restarted Jenkins never starts a
 * second one. A job with that name but another spec fails with {@link TrainingJobConflictException}.
 */
public final class SageMakerTrainer implements AutoCloseable {
    private final SageMakerClient sageMaker;
    @CheckForNull
    private final CloudWatchLogsClient logs;
    private final String region;
    private final JobWatcher watcher;
    private final ScheduledExecutorService scheduler;
    @CheckForNull
    private final ScheduledExecutorService ownedScheduler;
    private final TrainingJobStatusSource source;
    @CheckForNull
    private final java.util.concurrent.Executor executor;
    private final Duration logInterval;
    private final Clock clock;
    private final AwsAccessPolicy accessPolicy;

    private SageMakerTrainer(final Builder b) {
        sageMaker = b.sageMaker;
        accessPolicy = b.accessPolicy;
        logs = b.logs;
        region = b.region;
        clock = b.clock;
        if (b.scheduler == null) {
            ownedScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gerrit-ml sagemaker watcher");
                thread.setDaemon(true);
                return thread;
            });
            scheduler = ownedScheduler;
        } else {
            ownedScheduler = null;
            scheduler = b.scheduler;
        }
        watcher = b.watcher != null ? b.watcher : new JobWatcher(scheduler, b.backoff, clock);
        source = b.source != null ? b.source : new TrainingJobStatusSource(sageMaker, region, clock, b.fullRefresh,
                TrainingJobStatusSource.DEFAULT_OVERLAP);
        executor = b.executor;
        logInterval = b.logInterval;
    }

    /** A trainer using {@code clients}' SageMaker and CloudWatch Logs clients. */
    public static Builder builder(final AwsClients clients) {
        return new Builder(clients.sageMaker(), clients.logs(), clients.region())
                .withAccessPolicy(clients.accessPolicy());
    }

    /** A trainer on given clients; {@code logs} may be null to skip log streaming. */
    public static Builder builder(final SageMakerClient sageMaker, @CheckForNull final CloudWatchLogsClient logs,
            final String region) {
        return new Builder(sageMaker, logs, region);
    }

    /**
     * Validates, then starts or adopts the job for {@code context} and follows it. Returns once the job exists;
     * {@link TrainingRun#result()} completes when it finishes.
     *
     * @throws InvalidSpecException tags or names break AWS's rules (nothing was called)
     * @throws TrainingJobConflictException the job name is taken by a job with another spec
     * @throws AwsAccessRefusedException the administrator's policy refuses the role or image (nothing was called)
     */
    public TrainingRun start(final TrainingSpec spec, final TrainingContext context, final TrainingListener listener) {
        return follow(create(spec, context, listener), listener);
    }

    /**
     * Validates, then creates the job for {@code context} (or adopts the one a restart or a racing start made from
     * the same spec) without following it: the id, start and deadline to follow or persist.
     *
     * @throws InvalidSpecException tags or names break AWS's rules (nothing was called)
     * @throws TrainingJobConflictException the job name is taken by a job with another spec
     */
    public WatchedJob create(final TrainingSpec spec, final TrainingContext context,
            final TrainingListener listener) {
        Objects.requireNonNull(spec, "spec");
        accessPolicy.checkTraining(spec);
        Map<String, String> tags = LineageTags.forTraining(context, spec.getExtraTags());
        String jobName = SageMakerNames.trainingJobName(context);
        Optional<DescribeTrainingJobResponse> existing = describe(jobName);
        if (existing.isPresent()) {
            adoptOrFail(spec, jobName, existing.get(), listener);
        } else {
            try {
                sageMaker.createTrainingJob(TrainingJobRequests.create(jobName, spec, tags));
                listener.onMessage("Started training job " + jobName + " (" + spec.getInstanceCount() + " x "
                        + spec.getInstanceType() + ") for " + context);
            } catch (ResourceInUseException e) {
                // Another start with the same name won the race: the same rule as a restart applies.
                adoptOrFail(spec, jobName, describe(jobName).orElseThrow(() -> e), listener);
            }
        }
        DescribeTrainingJobResponse job = describe(jobName).orElseThrow(() -> new IllegalStateException(
                "SageMaker accepted training job '" + jobName + "' but does not describe it"));
        Instant startedAt = job.creationTime() != null ? job.creationTime() : clock.instant();
        return WatchedJob.startingNow(jobName, startedAt, spec.getTimeout());
    }

    /**
     * The job of {@code context} if it exists and was created from {@code spec}; nothing is created.
     *
     * @throws TrainingJobConflictException the job name is taken by a job with another spec
     */
    public Optional<DescribeTrainingJobResponse> find(final TrainingSpec spec, final TrainingContext context,
            final TrainingListener listener) {
        String jobName = SageMakerNames.trainingJobName(context);
        Optional<DescribeTrainingJobResponse> existing = describe(jobName);
        existing.ifPresent(job -> adoptOrFail(spec, jobName, job, listener));
        return existing;
    }

    /** {@link #start} and wait: the job's result, or the failure that ended the wait. */
    public TrainingResult train(final TrainingSpec spec, final TrainingContext context,
            final TrainingListener listener) throws InterruptedException {
        return await(start(spec, context, listener));
    }

    /** Follows a job again after a restart, from the {@link WatchedJob} the build saved. */
    public TrainingRun resume(final WatchedJob job, final TrainingListener listener) {
        listener.onMessage("Following training job " + job.getId() + " until " + job.getDeadline());
        return follow(job, listener);
    }

    /** Waits for a run, unwrapping the failure. */
    public static TrainingResult await(final TrainingRun run) throws InterruptedException {
        try {
            return run.result().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new CompletionException(cause);
        }
    }

    private void adoptOrFail(final TrainingSpec spec, final String jobName, final DescribeTrainingJobResponse job,
            final TrainingListener listener) {
        List<String> differences = TrainingJobRequests.differences(spec, job);
        if (!differences.isEmpty()) {
            throw new TrainingJobConflictException(jobName, differences);
        }
        listener.onMessage("Training job " + jobName + " already exists with the same spec (status "
                + job.trainingJobStatusAsString() + "): following it instead of starting a second one");
    }

    private TrainingRun follow(final WatchedJob job, final TrainingListener listener) {
        TrainingLogStreamer streamer = logs == null ? null
                : new TrainingLogStreamer(logs, job.getId(), listener::onLog);
        TrainingRun run = new TrainingRun(this, job, listener, streamer);
        run.arm(watcher.watch(source, job, run.watchListener()));
        if (streamer != null) {
            run.armLogs(scheduler, executor, logInterval);
        }
        return run;
    }

    Optional<DescribeTrainingJobResponse> describe(final String jobName) {
        try {
            return Optional.of(sageMaker.describeTrainingJob(b -> b.trainingJobName(jobName)));
        } catch (SageMakerException e) {
            if (SageMakerErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Asks SageMaker to stop the job; returns what happened, for the build log. Public for a build aborted after a
     * restart before it followed the job again ({@link TrainingRun#abort} otherwise).
     */
    public String stop(final String jobName) {
        try {
            sageMaker.stopTrainingJob(b -> b.trainingJobName(jobName));
            return "The job was asked to stop.";
        } catch (SageMakerException e) {
            return "Stopping it failed (" + SageMakerErrors.describe(e) + ").";
        }
    }

    /** As {@link #stop}, but a refusal or failure is thrown, so the caller can tell the job may still be running. */
    public String stopOrFail(final String jobName) {
        try {
            sageMaker.stopTrainingJob(b -> b.trainingJobName(jobName));
            return "The job was asked to stop.";
        } catch (SageMakerException e) {
            throw new IllegalStateException("SageMaker refused StopTrainingJob for " + jobName + ": "
                    + SageMakerErrors.describe(e), e);
        }
    }

    String region() {
        return region;
    }

    Clock clock() {
        return clock;
    }

    /** The status source this trainer polls through (for figures and tests). */
    public TrainingJobStatusSource statusSource() {
        return source;
    }

    public JobWatcher watcher() {
        return watcher;
    }

    /** Stops following every job (the jobs themselves go on) and frees the trainer's own thread, if any. */
    @Override
    public void close() {
        if (ownedScheduler != null) {
            watcher.close();
            ownedScheduler.shutdownNow();
        }
    }

    /** Clients, watcher and timing. */
    public static final class Builder {
        private final SageMakerClient sageMaker;
        @CheckForNull
        private final CloudWatchLogsClient logs;
        private final String region;
        @CheckForNull
        private JobWatcher watcher;
        @CheckForNull
        private ScheduledExecutorService scheduler;
        @CheckForNull
        private TrainingJobStatusSource source;
        @CheckForNull
        private java.util.concurrent.Executor executor;
        private Backoff backoff = JobWatcher.DEFAULT_BACKOFF;
        private Duration logInterval = Duration.ofSeconds(5);
        private Duration fullRefresh = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private AwsAccessPolicy accessPolicy = AwsAccessPolicy.unrestricted();

        private Builder(final SageMakerClient sageMaker, @CheckForNull final CloudWatchLogsClient logs,
                final String region) {
            this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
            this.logs = logs;
            this.region = Objects.requireNonNull(region, "region");
        }

        /**
         * The shared watcher and the scheduler it runs on (Jenkins: {@code jenkins.util.Timer.get()}); log polling
         * runs there too. Without them the trainer makes one daemon thread of its own.
         */
        public Builder withWatcher(final JobWatcher sharedWatcher, final ScheduledExecutorService sharedScheduler) {
            this.watcher = Objects.requireNonNull(sharedWatcher, "watcher");
            this.scheduler = Objects.requireNonNull(sharedScheduler, "scheduler");
            return this;
        }

        /**
         * A status source shared with every trainer on the same account and region (see
         * {@link AwsClients#accountKey}), so the watcher reads all their jobs with one list call per tick.
         */
        public Builder withStatusSource(final TrainingJobStatusSource shared) {
            this.source = Objects.requireNonNull(shared, "source");
            return this;
        }

        /** Where log reads (CloudWatch calls) run; the scheduler then only ticks. Without it they run there. */
        public Builder withExecutor(final java.util.concurrent.Executor remoteCalls) {
            this.executor = Objects.requireNonNull(remoteCalls, "executor");
            return this;
        }

        /** Status polling backoff when the trainer makes its own watcher. */
        public Builder withBackoff(final Backoff pollBackoff) {
            this.backoff = Objects.requireNonNull(pollBackoff, "backoff");
            return this;
        }

        public Builder withLogInterval(final Duration interval) {
            this.logInterval = Objects.requireNonNull(interval, "logInterval");
            return this;
        }

        /** How often the status source drops its modified-since filter and lists all followed jobs. */
        public Builder withFullRefresh(final Duration interval) {
            this.fullRefresh = Objects.requireNonNull(interval, "fullRefresh");
            return this;
        }

        public Builder withClock(final Clock time) {
            this.clock = Objects.requireNonNull(time, "clock");
            return this;
        }

        /** Roles and images the administrator allows; {@link #builder(AwsClients)} takes the clients' policy. */
        public Builder withAccessPolicy(final AwsAccessPolicy policy) {
            this.accessPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public SageMakerTrainer build() {
            return new SageMakerTrainer(this);
        }
    }
}
