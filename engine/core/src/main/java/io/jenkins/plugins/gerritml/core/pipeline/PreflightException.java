package io.jenkins.plugins.gerritml.core.pipeline;

/** A check before any remote call failed: nothing was created. The message says what to fix. */
public final class PreflightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PreflightException(final String message) {
        super(message);
    }
}
