package io.jenkins.plugins.gerritml.core.pipeline;

/** The job ended unsuccessfully, or its review was lost under LostReviewPolicy.FAIL; the message says which. */
public final class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobFailedException(final String message) {
        super(message);
    }
}
