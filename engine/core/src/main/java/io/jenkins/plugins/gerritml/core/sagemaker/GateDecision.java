package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;
import java.util.Objects;

/** The approval gate's answer: approved (by whom) or refused (why). Immutable. */
public final class GateDecision {
    private final boolean approved;
    private final String reason;
    private final List<String> approvers;

    private GateDecision(final boolean approved, final String reason, final List<String> approvers) {
        this.approved = approved;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.approvers = List.copyOf(approvers);
    }

    public static GateDecision approved(final String reason, final List<String> approvers) {
        return new GateDecision(true, reason, approvers);
    }

    public static GateDecision refused(final String reason) {
        return new GateDecision(false, reason, List.of());
    }

    public boolean isApproved() {
        return approved;
    }

    public String getReason() {
        return reason;
    }

    public List<String> getApprovers() {
        return approvers;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GateDecision)) {
            return false;
        }
        GateDecision other = (GateDecision) o;
        return approved == other.approved && reason.equals(other.reason) && approvers.equals(other.approvers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(approved, reason, approvers);
    }

    @Override
    public String toString() {
        return (approved ? "approved by " + approvers + ": " : "refused: ") + reason;
    }
}
