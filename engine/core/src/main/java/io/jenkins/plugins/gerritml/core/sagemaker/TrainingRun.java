package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchListener;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One followed training job: its {@link WatchedJob} (what a build persists), the result to come, and abort.
 * The result completes with a {@link TrainingResult} for any terminal status (Completed, Failed, Stopped), or
 * exceptionally with {@link TrainingTimeoutException} (the job was asked to stop) or when the job disappears.
 */
public final class TrainingRun {
    private static final Logger LOGGER = Logger.getLogger(TrainingRun.class.getName());
    /** Consecutive "not in the answer" reads after which the job is taken as gone. */
    private static final int MAX_MISSES = 5;

    private final SageMakerTrainer trainer;
    private final WatchedJob job;
    private final TrainingListener listener;
    @CheckForNull
    private final TrainingLogStreamer streamer;
    private final CompletableFuture<TrainingResult> result = new CompletableFuture<>();
    @CheckForNull
    private volatile JobWatcher.Handle handle;
    @CheckForNull
    private volatile ScheduledFuture<?> logPoll;
    private volatile boolean abortRequested;

    TrainingRun(final SageMakerTrainer trainer, final WatchedJob job, final TrainingListener listener,
            @CheckForNull final TrainingLogStreamer streamer) {
        this.trainer = trainer;
        this.job = job;
        this.listener = listener;
        this.streamer = streamer;
    }

    void arm(final JobWatcher.Handle watchHandle) {
        this.handle = watchHandle;
    }

    void armLogs(final ScheduledExecutorService scheduler, @CheckForNull final java.util.concurrent.Executor reads,
            final Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        Runnable tick = reads == null ? this::pollLogs : () -> {
            try {
                reads.execute(this::pollLogs);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the pool is full or closing: the next tick tries again
            }
        };
        logPoll = scheduler.scheduleWithFixedDelay(tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    public String getJobName() {
        return job.getId();
    }

    /** The id and deadline to persist; {@link SageMakerTrainer#resume} re-arms from it. */
    public WatchedJob getWatchedJob() {
        return job;
    }

    public CompletableFuture<TrainingResult> result() {
        return result;
    }

    /**
     * Stops the training job (StopTrainingJob) and keeps following it: the result completes with status Stopped
     * once SageMaker has stopped it.
     */
    public void abort(final String reason) {
        abortRequested = true;
        listener.onMessage("Aborting training job " + job.getId() + ": " + reason + ". " + trainer.stop(job.getId()));
    }

    public boolean isAbortRequested() {
        return abortRequested;
    }

    /** Stops following without touching the job (the build is being suspended, not aborted). */
    public void detach() {
        JobWatcher.Handle h = handle;
        if (h != null) {
            h.cancel();
        }
        stopLogs();
    }

    /** The newest log timestamp shown (epoch ms), for a resumed build to continue from. */
    public long lastLogTimestamp() {
        return streamer == null ? -1L : streamer.lastTimestamp();
    }

    private synchronized void pollLogs() {
        TrainingLogStreamer s = streamer;
        if (s == null || result.isDone()) {
            return;
        }
        try {
            s.pollWhenDue();
        } catch (RuntimeException e) {
            // Logs are a courtesy: a failed read is retried at the next interval and never fails the training.
            LOGGER.log(Level.FINE, "Reading the logs of " + job.getId() + " failed", e);
        }
    }

    private synchronized void drainLogs() {
        stopLogs();
        TrainingLogStreamer s = streamer;
        if (s != null) {
            try {
                s.poll();
            } catch (RuntimeException e) {
                listener.onMessage("Could not read the rest of the job's log: " + SageMakerErrors.describe(e));
            }
        }
    }

    private void stopLogs() {
        ScheduledFuture<?> f = logPoll;
        if (f != null) {
            f.cancel(false);
        }
    }

    WatchListener<TrainingJobStatus> watchListener() {
        return new WatchListener<>() {
            @Override
            public void onStatus(final String id, final TrainingJobStatus status) {
                listener.onStatus(id, status);
            }

            @Override
            public void onFinished(final String id, final TrainingJobStatus status) {
                try {
                    drainLogs();
                    TrainingResult finished = trainer.describe(id).map(d -> TrainingResult.of(d, trainer.region()))
                            .orElseThrow(() -> new IllegalStateException("SageMaker training job '" + id
                                    + "' finished as " + status + " but can no longer be described"));
                    listener.onMessage(finished.summary());
                    result.complete(finished);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onTimeout(final String id, final Duration elapsed) {
                String stopped = trainer.stop(id);
                drainLogs();
                result.completeExceptionally(new TrainingTimeoutException(id, elapsed, stopped));
            }

            @Override
            public void onReadFailure(final String id, final Exception failure, final int consecutiveFailures) {
                if (consecutiveFailures == 1 || consecutiveFailures % 10 == 0) {
                    listener.onMessage("Reading the status of " + id + " failed (" + consecutiveFailures
                            + " in a row, retrying until the deadline): " + SageMakerErrors.describe(failure));
                }
            }

            @Override
            public void onNotFound(final String id, final int consecutiveMisses) {
                if (consecutiveMisses >= MAX_MISSES) {
                    detach();
                    result.completeExceptionally(new IllegalStateException("SageMaker training job '" + id
                            + "' is not found any more (" + consecutiveMisses + " reads in a row)"));
                }
            }
        };
    }

    @Override
    public String toString() {
        return "TrainingRun[" + job + "]";
    }
}
