package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;

/**
 * Decides, before any AWS call, whether the reviewed change may be promoted to the endpoint. The deployer never
 * touches AWS for a change the review has not signed off. {@link #gerrit} plugs in the foundation's approval gate
 * (e.g. production only for merged changes with Code-Review+2 from an approver group, never self-approved).
 */
@FunctionalInterface
public interface PromotionGate {
    GateDecision check(DeploySpec spec, TrainingContext context);

    /** The Gerrit approval gate for {@code change} under {@code policy}, read live from Gerrit at deploy time. */
    static PromotionGate gerrit(final ApprovalGate gate, final GerritChange change, final ApprovalPolicy policy) {
        return (spec, context) -> of(gate.check(change, policy));
    }

    /** Maps the Gerrit gate's answer; approvers are the usernames (else display names) of the qualifying votes. */
    static GateDecision of(final ApprovalDecision decision) {
        if (!decision.isApproved()) {
            return GateDecision.refused(decision.summary());
        }
        return GateDecision.approved(decision.summary(), decision.getApprovals().stream().map(Approval::getAccount)
                .map(a -> a.getUsername() == null || a.getUsername().isBlank() ? a.getDisplayName() : a.getUsername())
                .distinct().toList());
    }
}
