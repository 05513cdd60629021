package io.jenkins.plugins.gerritml.core.sagemaker;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach AWS: region, optional endpoint override, base credentials, and an optional role to assume.
 * The Jenkins layer implements it from its credentials store (as gerrit-events' {@code RestConnectionConfig} is
 * implemented by Gerrit Trigger); {@link AwsClients} turns it into SDK clients. Implementations must not log secrets.
 */
public interface AwsConnectionConfig {
    /** E.g. {@code eu-west-1}. */
    String getRegion();

    /**
     * Another endpoint for every service: a VPC interface endpoint, or a test server such as moto. S3 is then
     * addressed path-style.
     */
    default Optional<URI> getEndpointOverride() {
        return Optional.empty();
    }

    /** The credentials that call AWS, or that call STS when a role is assumed. */
    BaseCredentials getCredentials();

    /** A role assumed with {@link #getCredentials()} (STS AssumeRole). */
    default Optional<AssumeRoleSettings> getAssumeRole() {
        return Optional.empty();
    }

    /**
     * A role assumed with an OIDC token (STS AssumeRoleWithWebIdentity); needs no base credentials. With
     * {@link #getAssumeRole()} too, its session is the one that assumes that role (role chaining), which is how the
     * session gets a {@code SourceIdentity}: AssumeRoleWithWebIdentity has no such parameter.
     */
    default Optional<WebIdentityRoleSettings> getWebIdentityRole() {
        return Optional.empty();
    }

    /** What the administrator allows; {@link AwsClients} and the trainer and deployer check it before any call. */
    default AwsAccessPolicy getAccessPolicy() {
        return AwsAccessPolicy.unrestricted();
    }

    /** A plain implementation, for the demo, tests and callers without a credentials store. */
    static AwsConnectionConfig of(final String region, final BaseCredentials credentials) {
        return SimpleAwsConnectionConfig.builder(region, credentials).build();
    }
}
