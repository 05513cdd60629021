package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.List;
import java.util.Objects;

/**
 * How a promotion ended: the endpoint serves the new config ({@link #isDeployed()}), or it failed, or SageMaker
 * rolled the update back and the endpoint still serves the previous config. Immutable.
 */
public final class DeployResult {
    private final String endpointName;
    private final String region;
    private final String modelName;
    private final String targetConfigName;
    private final EndpointState state;
    private final List<String> approvers;

    DeployResult(final String endpointName, final String region, final String modelName,
            final String targetConfigName, final EndpointState state, final List<String> approvers) {
        this.endpointName = endpointName;
        this.region = region;
        this.modelName = modelName;
        this.targetConfigName = targetConfigName;
        this.state = state;
        this.approvers = List.copyOf(approvers);
    }

    public String getEndpointName() {
        return endpointName;
    }

    public String getModelName() {
        return modelName;
    }

    public String getTargetConfigName() {
        return targetConfigName;
    }

    public EndpointState getState() {
        return state;
    }

    /** Who approved the promotion, as the gate reported. */
    public List<String> getApprovers() {
        return approvers;
    }

    public boolean isDeployed() {
        return "InService".equals(state.getStatus()) && targetConfigName.equals(state.getEndpointConfigName());
    }

    /** The update failed and SageMaker went back to the previous config, which is still serving. */
    public boolean isRolledBack() {
        return "InService".equals(state.getStatus()) && state.getEndpointConfigName() != null
                && !targetConfigName.equals(state.getEndpointConfigName());
    }

    @CheckForNull
    public String getFailureReason() {
        return state.getFailureReason();
    }

    /** What the endpoint does now, for a build page: {@code serves <config>}, {@code rolled back}, or its status. */
    public String describeState() {
        return isDeployed() ? "serves " + state.getEndpointConfigName() : isRolledBack() ? "rolled back"
                : state.getStatus();
    }

    public String getConsoleUrl() {
        return "https://" + region + ".console.aws.amazon.com/sagemaker/home?region=" + region + "#/endpoints/"
                + endpointName;
    }

    /**
     * The result for a Pipeline script: {@code endpointName, region, modelName, endpointConfigName (the target),
     * status, servingConfigName, deployed, rolledBack, failureReason, approvers, consoleUrl}.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("endpointName", endpointName);
        map.put("region", region);
        map.put("modelName", modelName);
        map.put("endpointConfigName", targetConfigName);
        map.put("status", state.getStatus());
        map.put("servingConfigName", state.getEndpointConfigName());
        map.put("deployed", isDeployed());
        map.put("rolledBack", isRolledBack());
        map.put("failureReason", state.getFailureReason());
        map.put("approvers", new java.util.ArrayList<>(approvers));
        map.put("consoleUrl", getConsoleUrl());
        return map;
    }

    /**
     * The promotion as a Gerrit review: the summary as message with links to the endpoint's console page; no vote
     * (the change is usually merged already, and a deployment says nothing new about the code).
     */
    public io.jenkins.plugins.gerritml.core.gerrit.Review toReview() {
        return io.jenkins.plugins.gerritml.core.gerrit.Review.builder().withMessage(summary())
                .withContext("sagemaker").withLink("SageMaker endpoint " + endpointName, getConsoleUrl())
                .withCheck(toCheck()).build();
    }

    /** The Checks tab's run {@code SageMaker endpoint <name>}, one attempt per endpoint config. */
    public io.jenkins.plugins.gerritml.core.gerrit.CheckBlock toCheck() {
        io.jenkins.plugins.gerritml.core.gerrit.CheckBlock.Result outcome = isDeployed()
                ? io.jenkins.plugins.gerritml.core.gerrit.CheckBlock.Result.SUCCESS
                : isRolledBack() ? io.jenkins.plugins.gerritml.core.gerrit.CheckBlock.Result.WARNING
                : io.jenkins.plugins.gerritml.core.gerrit.CheckBlock.Result.ERROR;
        return io.jenkins.plugins.gerritml.core.gerrit.CheckBlock.completed("SageMaker endpoint " + endpointName,
                "deployment", targetConfigName, outcome).withSummary(isDeployed() ? "serves " + targetConfigName
                : isRolledBack() ? "rolled back; still serves " + state.getEndpointConfigName()
                : "failed: " + state).build();
    }

    public String summary() {
        String outcome = isDeployed() ? "serves " + targetConfigName
                : isRolledBack() ? "update FAILED and was rolled back; still serves " + state.getEndpointConfigName()
                : "deployment FAILED: " + state;
        return "SageMaker endpoint " + endpointName + " " + outcome
                + (state.getFailureReason() == null || isDeployed() ? "" : "\nReason: " + state.getFailureReason())
                + "\nModel: " + modelName + "\nConsole: " + getConsoleUrl();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeployResult)) {
            return false;
        }
        DeployResult other = (DeployResult) o;
        return endpointName.equals(other.endpointName) && region.equals(other.region)
                && modelName.equals(other.modelName) && targetConfigName.equals(other.targetConfigName)
                && state.equals(other.state) && approvers.equals(other.approvers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpointName, region, modelName, targetConfigName, state, approvers);
    }

    @Override
    public String toString() {
        return "DeployResult[" + endpointName + " " + state + "]";
    }
}
