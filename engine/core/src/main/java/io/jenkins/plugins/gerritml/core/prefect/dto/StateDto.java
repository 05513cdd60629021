package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** Prefect's {@code State} (in a flow run or an orchestration result) and {@code StateCreate} (in set_state). */
public class StateDto {
    /** SCHEDULED, PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, CRASHED, PAUSED, CANCELLING. */
    @CheckForNull public String type;
    @CheckForNull public String name;
    @CheckForNull public String message;
    /** ISO-8601 instant. */
    @CheckForNull public String timestamp;

    public static StateDto create(final String type, final String message) {
        StateDto state = new StateDto();
        state.type = type;
        state.message = message;
        return state;
    }
}
