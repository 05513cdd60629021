package io.jenkins.plugins.gerritml.core.engine;

/** A policy file that cannot be read as written; names the file and the field, and says what to fix. */
public final class PolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PolicyException(final String message) {
        super(message);
    }

    public PolicyException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
