package io.jenkins.plugins.gerritml.lab;

/** A lab server or prerequisite could not be had; the message says what to install or where to look. */
public class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(final String message) {
        super(message);
    }

    public LabException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
