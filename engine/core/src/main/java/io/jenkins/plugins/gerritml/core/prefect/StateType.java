package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Locale;

/** Prefect's state types. CANCELLING is not terminal: the run may still be stopping (or refuse to). */
public enum StateType {
    SCHEDULED, PENDING, RUNNING, PAUSED, CANCELLING,
    COMPLETED, FAILED, CRASHED, CANCELLED,
    /** A type this client does not know (a newer server); treated as still running. */
    UNKNOWN;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CRASHED || this == CANCELLED;
    }

    public static StateType fromWire(@CheckForNull final String type) {
        if (type == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
