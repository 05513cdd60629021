package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.Objects;

/**
 * Whether the review of a job's result reached Gerrit. A lost review is reported, never swallowed: the
 * {@link RemoteJobLifecycle} turns it into a failed or unstable outcome, as the host's {@link LostReviewPolicy} says.
 */
public final class ReviewDelivery {
    /** What the delivery came to. */
    public enum Status { POSTED, NOT_REQUESTED, LOST }

    private static final ReviewDelivery NOT_REQUESTED = new ReviewDelivery(Status.NOT_REQUESTED, "");

    private final Status status;
    private final String message;

    private ReviewDelivery(final Status status, final String message) {
        this.status = status;
        this.message = message;
    }

    public static ReviewDelivery posted(final String what) {
        return new ReviewDelivery(Status.POSTED, Objects.requireNonNull(what, "what"));
    }

    /** No review was asked for ({@code review: false}). */
    public static ReviewDelivery notRequested() {
        return NOT_REQUESTED;
    }

    /** Posting failed after its retries; {@code why} must not hold a secret. */
    public static ReviewDelivery lost(final String why) {
        return new ReviewDelivery(Status.LOST, Objects.requireNonNull(why, "why"));
    }

    public Status getStatus() {
        return status;
    }

    public boolean isLost() {
        return status == Status.LOST;
    }

    public String getMessage() {
        return message;
    }

    /** {@code reviewPosted} and {@code reviewError} for a step's result map: a lost review is visible there. */
    public java.util.Map<String, Object> asFields() {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("reviewPosted", status == Status.POSTED);
        fields.put("reviewError", isLost() ? getMessage() : "");
        return fields;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ReviewDelivery)) {
            return false;
        }
        ReviewDelivery other = (ReviewDelivery) o;
        return status == other.status && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, message);
    }

    @Override
    public String toString() {
        return status + (message.isEmpty() ? "" : ": " + message);
    }
}
