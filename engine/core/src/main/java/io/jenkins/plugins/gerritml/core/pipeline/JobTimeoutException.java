package io.jenkins.plugins.gerritml.core.pipeline;

/** The job did not finish by its deadline; the message says what stopping it answered. */
public final class JobTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobTimeoutException(final String message) {
        super(message);
    }
}
