package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;
import java.util.UUID;

/** A deployment named as {@code flow-name/deployment-name} or by its UUID. */
public final class DeploymentRef implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @CheckForNull private final String id;
    @CheckForNull private final String flowName;
    @CheckForNull private final String deploymentName;

    private DeploymentRef(@CheckForNull final String id, @CheckForNull final String flowName,
            @CheckForNull final String deploymentName) {
        this.id = id;
        this.flowName = flowName;
        this.deploymentName = deploymentName;
    }

    /** Parses {@code flow/deployment} or a UUID; the message says what is expected. */
    public static DeploymentRef valueOf(@CheckForNull final String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("deployment: required, as 'flow-name/deployment-name' or a deployment id");
        }
        String trimmed = text.trim();
        try {
            return new DeploymentRef(UUID.fromString(trimmed).toString(), null, null);
        } catch (IllegalArgumentException notAnId) {
            String[] parts = trimmed.split("/", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("deployment: '" + trimmed + "' is neither 'flow-name/deployment-"
                        + "name' (exactly one '/') nor a deployment id (UUID)", notAnId);
            }
            return new DeploymentRef(null, parts[0].trim(), parts[1].trim());
        }
    }

    public static DeploymentRef byName(final String flowName, final String deploymentName) {
        return valueOf(flowName + "/" + deploymentName);
    }

    public boolean isId() {
        return id != null;
    }

    @CheckForNull
    public String getId() {
        return id;
    }

    @CheckForNull
    public String getFlowName() {
        return flowName;
    }

    @CheckForNull
    public String getDeploymentName() {
        return deploymentName;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeploymentRef)) {
            return false;
        }
        DeploymentRef other = (DeploymentRef) o;
        return Objects.equals(id, other.id) && Objects.equals(flowName, other.flowName)
                && Objects.equals(deploymentName, other.deploymentName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, flowName, deploymentName);
    }

    /** As the user wrote it: {@code flow/deployment} or the id. */
    @Override
    public String toString() {
        return id != null ? id : flowName + "/" + deploymentName;
    }
}
