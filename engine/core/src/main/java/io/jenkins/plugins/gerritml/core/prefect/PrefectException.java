package io.jenkins.plugins.gerritml.core.prefect;

/**
 * A Prefect call failed. The message names the URL or object concerned and what to fix; it never contains a
 * credential.
 */
public class PrefectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the call failed, for callers that react differently (retry, re-attach, fail fast). */
    public enum Reason {
        /** Connection refused, DNS failure, timeout: the server may come back. */
        UNREACHABLE,
        /** 401: the credential is missing or wrong. */
        UNAUTHORIZED,
        /** 403: the credential lacks permission. */
        FORBIDDEN,
        /** 404: deployment or flow run does not exist. */
        NOT_FOUND,
        /** 400/409/422: Prefect refused the request's content, e.g. a parameter of the wrong type. */
        REJECTED,
        /** 5xx or an unreadable answer. */
        SERVER_ERROR
    }

    private final Reason reason;
    private final int statusCode;

    public PrefectException(final Reason reason, final int statusCode, final String message) {
        super(message);
        this.reason = reason;
        this.statusCode = statusCode;
    }

    public PrefectException(final Reason reason, final String message, final Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.statusCode = -1;
    }

    public Reason getReason() {
        return reason;
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int getStatusCode() {
        return statusCode;
    }
}
