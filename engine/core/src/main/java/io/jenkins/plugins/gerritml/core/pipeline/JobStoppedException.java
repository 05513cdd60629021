package io.jenkins.plugins.gerritml.core.pipeline;

/** The job was stopped (an abort, or a stop saved before a restart). */
public final class JobStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobStoppedException(final String message) {
        super(message);
    }
}
