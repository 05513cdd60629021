package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Map;
import java.util.Objects;

/**
 * How one {@link RemoteJobLifecycle} ended, handed to {@link LifecycleHost#completed} exactly once: the status the
 * step ends with, the backend's result when there is one, the failure to report otherwise, and what became of the
 * review. Immutable.
 *
 * @param <R> the backend's result
 */
public final class JobOutcome<R> {
    /** What the step does with the outcome. */
    public enum Status {
        /** Return the result. */
        SUCCESS,
        /** Return the result and mark the build unstable (a lost review under {@link LostReviewPolicy#UNSTABLE}). */
        UNSTABLE,
        /** Fail with {@link #getFailure()}. */
        FAILURE
    }

    /** How the lifecycle got there. */
    public enum Ending { FINISHED, STOPPED, TIMED_OUT, FAILED }

    private final Status status;
    private final Ending ending;
    @CheckForNull
    private final R result;
    @CheckForNull
    private final Throwable failure;
    private final String message;
    private final ReviewDelivery review;
    private final JobPlan plan;

    JobOutcome(final Status status, final Ending ending, @CheckForNull final R result,
            @CheckForNull final Throwable failure, final String message, final ReviewDelivery review,
            final JobPlan plan) {
        this.status = status;
        this.ending = ending;
        this.result = result;
        this.failure = failure;
        this.message = message;
        this.review = review;
        this.plan = plan;
    }

    public Status getStatus() {
        return status;
    }

    public Ending getEnding() {
        return ending;
    }

    public boolean isSuccess() {
        return status != Status.FAILURE;
    }

    /** The backend's result; null when the job was stopped, timed out or could not be created or followed. */
    @CheckForNull
    public R getResult() {
        return result;
    }

    /** The cause to fail the step with; never null when the status is {@link Status#FAILURE}. */
    @CheckForNull
    public Throwable getFailure() {
        return failure;
    }

    /** One line for the log: the result's summary, and what went wrong. */
    public String getMessage() {
        return message;
    }

    public ReviewDelivery getReview() {
        return review;
    }

    /** The plan as it ended (phase {@link JobPhase#DONE}). */
    public JobPlan getPlan() {
        return plan;
    }

    /** {@code reviewPosted} and {@code reviewError} for a step's result map: a lost review is visible there. */
    public Map<String, Object> reviewFields() {
        return review.asFields();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof JobOutcome)) {
            return false;
        }
        JobOutcome<?> other = (JobOutcome<?>) o;
        return status == other.status && ending == other.ending && Objects.equals(result, other.result)
                && Objects.equals(failure, other.failure) && message.equals(other.message)
                && review.equals(other.review) && plan.equals(other.plan);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, ending, result, failure, message, review, plan);
    }

    @Override
    public String toString() {
        return status + " (" + ending + "): " + message;
    }
}
