package io.jenkins.plugins.gerritml.core.pipeline;

/**
 * What a {@link RemoteJobLifecycle} needs from the process that runs it (Jenkins: the step execution): somewhere to
 * persist the plan, a log, and the one place the outcome goes. Called from the lifecycle's executor threads.
 *
 * @param <R> the backend's result
 */
public interface LifecycleHost<R> {
    /**
     * Persists {@code plan} durably before the lifecycle goes on (Jenkins: keep it in the execution and save the
     * program). A failure here ends the lifecycle before the remote call the plan leads to.
     */
    void save(JobPlan plan) throws Exception;

    /** One line for the build log. */
    void log(String line);

    /** The outcome; called exactly once per lifecycle. */
    void completed(JobOutcome<R> outcome);

    /**
     * Tells the review, without notifying anyone, that the job of {@code plan} (now with its remote id) runs: the
     * backend's started review, e.g. {@code TrainingJobBackend.startedReview}, whose check line the Checks tab shows
     * as RUNNING. Called once when the job was created or found at launch (not when a restarted host follows it
     * again), on the executor beside the wait, so it may run after the outcome; a failure is logged and the job goes
     * on. The default posts nothing.
     */
    default void announce(final JobPlan plan) throws Exception {
    }

    /**
     * Posts the review of a result (with the client's retries) and says whether it arrived. Called at most once per
     * result, on the executor. The default posts nothing.
     */
    default ReviewDelivery review(final R result) throws Exception {
        return ReviewDelivery.notRequested();
    }
}
