package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** Body of {@code POST /flow_runs/{id}/set_state}. */
public class SetStateRequest {
    @CheckForNull public StateDto state;
    /** True skips Prefect's orchestration rules; cancelling goes through them so a finished run is not reopened. */
    @CheckForNull public Boolean force;

    public static SetStateRequest of(final StateDto state, final boolean force) {
        SetStateRequest request = new SetStateRequest();
        request.state = state;
        request.force = force;
        return request;
    }
}
