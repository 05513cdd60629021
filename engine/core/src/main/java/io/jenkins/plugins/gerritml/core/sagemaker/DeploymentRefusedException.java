package io.jenkins.plugins.gerritml.core.sagemaker;

/** The approval gate refused the promotion; nothing was created or changed in AWS. */
public final class DeploymentRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient GateDecision decision;

    public DeploymentRefusedException(final String endpointName, final TrainingContext context,
            final GateDecision decision) {
        super("Deployment of " + context + " to endpoint '" + endpointName + "' refused by the approval gate: "
                + decision.getReason());
        this.decision = decision;
    }

    public GateDecision getDecision() {
        return decision;
    }
}
