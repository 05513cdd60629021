package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * Where a run talks to AWS and as whom, decided once for every front end: the region, the endpoint, the role to
 * assume (with its external id), and the role an OIDC ID token assumes. Names only, nothing secret, so a host may
 * save it; {@link #connect} adds the credentials of the moment.
 */
public final class AwsIdentity implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String roleArn;
    private final String externalId;
    private final String endpointOverride;
    private final String webIdentityRoleArn;

    private AwsIdentity(final String region, final String roleArn, final String externalId,
            final String endpointOverride, final String webIdentityRoleArn) {
        this.region = trim(region);
        this.roleArn = trim(roleArn);
        this.externalId = trim(externalId);
        this.endpointOverride = trim(endpointOverride);
        this.webIdentityRoleArn = trim(webIdentityRoleArn);
    }

    /**
     * As given (the CLI's options).
     *
     * @param externalId         the external id of {@code roleArn}'s trust policy, or blank
     * @param webIdentityRoleArn the role an OIDC ID token assumes, or blank for {@code roleArn}
     */
    public static AwsIdentity of(@CheckForNull final String region, @CheckForNull final String roleArn,
            @CheckForNull final String externalId, @CheckForNull final String endpointOverride,
            @CheckForNull final String webIdentityRoleArn) {
        return new AwsIdentity(region, roleArn, externalId, endpointOverride, webIdentityRoleArn);
    }

    /**
     * A step's values over the administrator's defaults. The default external id belongs to the default role: a step
     * naming a role of its own does not inherit it.
     */
    public static AwsIdentity resolve(@CheckForNull final String stepRegion, @CheckForNull final String stepRoleArn,
            @CheckForNull final String stepEndpointOverride, final AwsIdentity defaults) {
        boolean ownRole = !trim(stepRoleArn).isEmpty();
        return new AwsIdentity(first(stepRegion, defaults.region), ownRole ? stepRoleArn : defaults.roleArn,
                ownRole ? "" : defaults.externalId, first(stepEndpointOverride, defaults.endpointOverride),
                defaults.webIdentityRoleArn);
    }

    /**
     * Core's connection with {@code base} credentials, or with an OIDC ID token: the token assumes the web-identity
     * role (else the role to assume), and a different role to assume is assumed from that session, so that the
     * session that acts carries the review's SourceIdentity and tags either way.
     *
     * @param idToken   an OIDC ID token, or null to use {@code base}
     * @param tokenName what holds the token, for the message when no role is configured for it
     * @param policy    the administrator's limits, checked when the clients are built
     * @throws IllegalArgumentException a token without a role to assume, or a malformed endpoint
     */
    public AwsConnectionConfig connect(final BaseCredentials base, @CheckForNull final Secret idToken,
            final String tokenName, final TrainingContext context, final AwsAccessPolicy policy) {
        SimpleAwsConnectionConfig.Builder config = SimpleAwsConnectionConfig.builder(region, base)
                .withAccessPolicy(policy);
        if (!endpointOverride.isEmpty()) {
            config.withEndpointOverride(URI.create(endpointOverride));
        }
        String assume = roleArn;
        if (idToken != null) {
            String tokenRole = webIdentityRoleArn.isEmpty() ? roleArn : webIdentityRoleArn;
            if (tokenRole.isEmpty()) {
                throw new IllegalArgumentException(tokenName + " holds an OIDC ID token, but no role is configured to "
                        + "assume with it: configure the role for OIDC tokens or a role to assume");
            }
            config.withWebIdentityRole(WebIdentityRoleSettings.ofToken(tokenRole,
                    context.getResponsibleUser().orElse("gerrit-ml"), idToken));
            assume = tokenRole.equals(roleArn) ? "" : roleArn;
        }
        if (!assume.isEmpty()) {
            config.withAssumeRole(AssumeRoleSettings.builder(assume).withExternalId(externalId.isEmpty() ? null
                    : externalId).forReview(context).build());
        }
        return config.build();
    }

    public String getRegion() {
        return region;
    }

    public String getRoleArn() {
        return roleArn;
    }

    public String getExternalId() {
        return externalId;
    }

    public String getEndpointOverride() {
        return endpointOverride;
    }

    /** For the log: {@code eu-west-1 as arn:… via https://…}. */
    public String describe() {
        return region + (roleArn.isEmpty() ? "" : " as " + roleArn) + (endpointOverride.isEmpty() ? ""
                : " via " + endpointOverride);
    }

    private static String first(@CheckForNull final String step, final String fallback) {
        String value = trim(step);
        return value.isEmpty() ? fallback : value;
    }

    private static String trim(@CheckForNull final String value) {
        return value == null ? "" : value.trim();
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof AwsIdentity)) {
            return false;
        }
        AwsIdentity other = (AwsIdentity) o;
        return region.equals(other.region) && roleArn.equals(other.roleArn) && externalId.equals(other.externalId)
                && endpointOverride.equals(other.endpointOverride)
                && webIdentityRoleArn.equals(other.webIdentityRoleArn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, roleArn, externalId, endpointOverride, webIdentityRoleArn);
    }

    @Override
    public String toString() {
        return "AwsIdentity[" + describe() + "]";
    }
}
