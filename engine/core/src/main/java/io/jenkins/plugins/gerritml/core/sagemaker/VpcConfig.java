package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;
import java.util.Objects;

/** Subnets and security groups the training containers run in; {@link #none()} runs them outside any VPC. */
public final class VpcConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final VpcConfig NONE = new VpcConfig(List.of(), List.of());

    private final List<String> subnets;
    private final List<String> securityGroupIds;

    private VpcConfig(final List<String> subnets, final List<String> securityGroupIds) {
        this.subnets = List.copyOf(subnets);
        this.securityGroupIds = List.copyOf(securityGroupIds);
    }

    public static VpcConfig of(final List<String> subnets, final List<String> securityGroupIds) {
        return subnets.isEmpty() && securityGroupIds.isEmpty() ? NONE : new VpcConfig(subnets, securityGroupIds);
    }

    /** The null object: no VPC. */
    public static VpcConfig none() {
        return NONE;
    }

    public boolean isNone() {
        return subnets.isEmpty() && securityGroupIds.isEmpty();
    }

    public List<String> getSubnets() {
        return subnets;
    }

    public List<String> getSecurityGroupIds() {
        return securityGroupIds;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof VpcConfig)) {
            return false;
        }
        VpcConfig other = (VpcConfig) o;
        return subnets.equals(other.subnets) && securityGroupIds.equals(other.securityGroupIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subnets, securityGroupIds);
    }

    @Override
    public String toString() {
        return isNone() ? "no VPC" : "VPC[subnets " + subnets + ", security groups " + securityGroupIds + "]";
    }
}
