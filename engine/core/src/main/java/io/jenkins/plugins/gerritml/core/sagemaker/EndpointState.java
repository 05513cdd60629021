package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;
import java.util.Set;

/** An endpoint's status and the config it currently serves. Immutable. */
public final class EndpointState {
    private static final Set<String> SETTLED = Set.of("InService", "Failed", "OutOfService", "UpdateRollbackFailed");

    private final String status;
    @CheckForNull
    private final String endpointConfigName;
    @CheckForNull
    private final String failureReason;

    private EndpointState(final String status, @CheckForNull final String endpointConfigName,
            @CheckForNull final String failureReason) {
        this.status = Objects.requireNonNull(status, "status");
        this.endpointConfigName = endpointConfigName;
        this.failureReason = failureReason;
    }

    public static EndpointState of(final String status, @CheckForNull final String endpointConfigName,
            @CheckForNull final String failureReason) {
        return new EndpointState(status, endpointConfigName, failureReason);
    }

    /** Creating, Updating, RollingBack, InService, Failed, ... */
    public String getStatus() {
        return status;
    }

    @CheckForNull
    public String getEndpointConfigName() {
        return endpointConfigName;
    }

    @CheckForNull
    public String getFailureReason() {
        return failureReason;
    }

    /** No transition is under way: InService, Failed, OutOfService or UpdateRollbackFailed. */
    public boolean isSettled() {
        return SETTLED.contains(status);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EndpointState)) {
            return false;
        }
        EndpointState other = (EndpointState) o;
        return status.equals(other.status) && Objects.equals(endpointConfigName, other.endpointConfigName)
                && Objects.equals(failureReason, other.failureReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, endpointConfigName, failureReason);
    }

    @Override
    public String toString() {
        return status + (endpointConfigName == null ? "" : " serving " + endpointConfigName)
                + (failureReason == null ? "" : " (" + failureReason + ")");
    }
}
