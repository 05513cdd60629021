package io.jenkins.plugins.gerritml.core.sagemaker;

/**
 * Decides, before any AWS call, whether the reviewed change may be promoted to the endpoint. The Gerrit approval
 * policy (e.g. production only for merged changes with Code-Review+2 from an approver group, never self-approved)
 * is plugged in here, so the deployer never touches AWS for a change the review has not signed off.
 */
@FunctionalInterface
public interface ApprovalGate {
    GateDecision check(DeploySpec spec, TrainingContext context);
}
