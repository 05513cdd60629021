package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.prefect.dto.OrchestrationResult;

import java.util.Locale;
import java.util.Objects;

/** What Prefect answered to a request to cancel: ACCEPT (cancelling), REJECT/ABORT (refused, with a reason) or WAIT. */
public final class CancelResult {
    /** Prefect's {@code SetStateStatus}. */
    public enum Status { ACCEPT, REJECT, ABORT, WAIT, UNKNOWN }

    private final String flowRunId;
    private final Status status;
    private final String reason;
    private final FlowRunState state;

    private CancelResult(final String flowRunId, final Status status, final String reason, final FlowRunState state) {
        this.flowRunId = flowRunId;
        this.status = status;
        this.reason = reason;
        this.state = state;
    }

    static CancelResult valueOf(final String flowRunId, final OrchestrationResult dto) {
        Status status;
        try {
            status = dto.status == null ? Status.UNKNOWN : Status.valueOf(dto.status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            status = Status.UNKNOWN;
        }
        String reason = dto.details == null || dto.details.reason == null ? "" : dto.details.reason;
        FlowRunState state = dto.state == null ? FlowRunState.unknown()
                : FlowRunState.of(StateType.fromWire(dto.state.type), dto.state.name, dto.state.message);
        return new CancelResult(flowRunId, status, reason, state);
    }

    public String getFlowRunId() {
        return flowRunId;
    }

    public Status getStatus() {
        return status;
    }

    /** Prefect's reason for a refusal, or empty. */
    public String getReason() {
        return reason;
    }

    /** The state Prefect set (ACCEPT) or kept, if it said. */
    public FlowRunState getState() {
        return state;
    }

    /**
     * Whether the run is being cancelled or was: ACCEPT, or a REJECT in which Prefect set CANCELLED itself (its rule
     * for a run that never started: "Scheduled flow run has no infrastructure to terminate").
     */
    public boolean isAccepted() {
        return status == Status.ACCEPT || isCancelledAtOnce();
    }

    /** Prefect turned the request down but cancelled the run directly, because nothing was running it yet. */
    public boolean isCancelledAtOnce() {
        return status == Status.REJECT && state.getType() == StateType.CANCELLED;
    }

    /** One line for the build log. */
    public String describe() {
        switch (status) {
            case ACCEPT:
                return "Prefect accepted the cancellation of flow run " + flowRunId + " (now " + state.getName() + ")";
            case REJECT:
                if (isCancelledAtOnce()) {
                    return "Prefect cancelled flow run " + flowRunId + " at once, as nothing had started it (now "
                            + state.getName() + (reason.isEmpty() ? "" : "; " + reason) + ")";
                }
                return "Prefect refused to cancel flow run " + flowRunId + " (" + status + ")"
                        + (reason.isEmpty() ? "" : ": " + reason);
            case ABORT:
                return "Prefect refused to cancel flow run " + flowRunId + " (" + status + ")"
                        + (reason.isEmpty() ? "" : ": " + reason);
            case WAIT:
                return "Prefect asked to wait before cancelling flow run " + flowRunId
                        + (reason.isEmpty() ? "" : ": " + reason);
            default:
                return "Prefect gave no clear answer to the cancellation of flow run " + flowRunId;
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CancelResult)) {
            return false;
        }
        CancelResult other = (CancelResult) o;
        return flowRunId.equals(other.flowRunId) && status == other.status && reason.equals(other.reason)
                && state.equals(other.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowRunId, status, reason, state);
    }

    @Override
    public String toString() {
        return describe();
    }
}
