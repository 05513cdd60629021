package io.jenkins.plugins.gerritml.core.gerrit;

/**
 * Gerrit refused or could not be reached. The message says what to fix and carries Gerrit's reply (never the
 * password); {@link #getKind()} lets callers tell a wrong credential from a missing label.
 */
public class GerritRestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently. */
    public enum Kind {
        /** 401: the user or HTTP password is wrong. */
        UNAUTHORIZED,
        /** 403: the account may not do this (e.g. vote that label or value). */
        FORBIDDEN,
        /** The label does not exist on the project. */
        UNKNOWN_LABEL,
        /** 404: the change, revision or group is not there or not visible. */
        NOT_FOUND,
        /** 409: the change's state does not allow it (e.g. closed). */
        CONFLICT,
        /** Another 4xx: the request was wrong. */
        BAD_REQUEST,
        /** 5xx or I/O after all retries. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final int status;

    public GerritRestException(final Kind kind, final int status, final String message, final Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind getKind() {
        return kind;
    }

    /** The HTTP status, 0 when none arrived. */
    public int getStatus() {
        return status;
    }
}
