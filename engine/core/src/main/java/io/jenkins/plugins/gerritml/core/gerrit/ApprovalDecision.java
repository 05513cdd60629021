package io.jenkins.plugins.gerritml.core.gerrit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The gate's answer: approved with the approvals that satisfied the policy (who approved what, when: the input of
 * lineage), or refused with every condition that failed, each in words a reviewer understands.
 */
public final class ApprovalDecision {
    private final GerritChange change;
    private final ApprovalPolicy policy;
    private final List<Approval> approvals;
    private final List<String> refusals;
    private final Instant checkedAt;

    private ApprovalDecision(final GerritChange change, final ApprovalPolicy policy, final List<Approval> approvals,
            final List<String> refusals, final Instant checkedAt) {
        this.change = change;
        this.policy = policy;
        this.approvals = List.copyOf(approvals);
        this.refusals = List.copyOf(refusals);
        this.checkedAt = checkedAt;
    }

    public static ApprovalDecision approved(final GerritChange change, final ApprovalPolicy policy,
            final List<Approval> approvals, final Instant checkedAt) {
        if (approvals.isEmpty()) {
            throw new IllegalArgumentException("an approval needs at least one approving vote");
        }
        return new ApprovalDecision(change, policy, approvals, List.of(), checkedAt);
    }

    public static ApprovalDecision refused(final GerritChange change, final ApprovalPolicy policy,
            final List<String> refusals, final Instant checkedAt) {
        if (refusals.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        return new ApprovalDecision(change, policy, List.of(), refusals, checkedAt);
    }

    public boolean isApproved() {
        return refusals.isEmpty();
    }

    /** The build's context as checked against Gerrit. */
    public GerritChange getChange() {
        return change;
    }

    public ApprovalPolicy getPolicy() {
        return policy;
    }

    /** The votes that satisfied the policy; empty when refused. */
    public List<Approval> getApprovals() {
        return approvals;
    }

    /** Every failed condition; empty when approved. */
    public List<String> getRefusals() {
        return refusals;
    }

    public Instant getCheckedAt() {
        return checkedAt;
    }

    /** One paragraph for the build log or a review message. */
    public String summary() {
        if (isApproved()) {
            StringBuilder text = new StringBuilder("Approved (" + policy.describe() + ") for " + change.getRestId()
                    + " patch set " + change.getPatchSetNumber() + ": ");
            approvals.forEach(a -> text.append(a.getAccount().getDisplayName()).append(' ').append(a.getLabel())
                    .append(a.getValue() > 0 ? "+" : "").append(a.getValue()).append(" at ").append(a.getDate())
                    .append("; "));
            return text.substring(0, text.length() - 2);
        }
        return "Not approved (" + policy.describe() + ") for " + change.getRestId() + " patch set "
                + change.getPatchSetNumber() + ": " + String.join("; ", refusals);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ApprovalDecision)) {
            return false;
        }
        ApprovalDecision other = (ApprovalDecision) o;
        return change.equals(other.change) && policy.equals(other.policy) && approvals.equals(other.approvals)
                && refusals.equals(other.refusals) && checkedAt.equals(other.checkedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(change, policy, approvals, refusals, checkedAt);
    }

    @Override
    public String toString() {
        return summary();
    }
}
