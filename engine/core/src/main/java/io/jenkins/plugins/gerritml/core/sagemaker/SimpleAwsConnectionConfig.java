package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/** A plain {@link AwsConnectionConfig}; the Jenkins layer has its own, backed by its credentials store. */
public final class SimpleAwsConnectionConfig implements AwsConnectionConfig {
    private final String region;
    @CheckForNull
    private final URI endpointOverride;
    private final BaseCredentials credentials;
    @CheckForNull
    private final AssumeRoleSettings assumeRole;
    @CheckForNull
    private final WebIdentityRoleSettings webIdentityRole;
    private final AwsAccessPolicy accessPolicy;

    private SimpleAwsConnectionConfig(final Builder b) {
        region = b.region;
        endpointOverride = b.endpointOverride;
        credentials = b.credentials;
        assumeRole = b.assumeRole;
        webIdentityRole = b.webIdentityRole;
        accessPolicy = b.accessPolicy;
    }

    public static Builder builder(final String region, final BaseCredentials credentials) {
        return new Builder(region, credentials);
    }

    @Override
    public String getRegion() {
        return region;
    }

    @Override
    public Optional<URI> getEndpointOverride() {
        return Optional.ofNullable(endpointOverride);
    }

    @Override
    public BaseCredentials getCredentials() {
        return credentials;
    }

    @Override
    public Optional<AssumeRoleSettings> getAssumeRole() {
        return Optional.ofNullable(assumeRole);
    }

    @Override
    public Optional<WebIdentityRoleSettings> getWebIdentityRole() {
        return Optional.ofNullable(webIdentityRole);
    }

    @Override
    public AwsAccessPolicy getAccessPolicy() {
        return accessPolicy;
    }

    @Override
    public String toString() {
        return "AWS " + region + (endpointOverride == null ? "" : " via " + endpointOverride) + ", " + credentials
                + (assumeRole == null ? "" : ", " + assumeRole) + (webIdentityRole == null ? "" : ", " + webIdentityRole);
    }

    /** Collects the settings. */
    public static final class Builder {
        private final String region;
        @CheckForNull
        private URI endpointOverride;
        private final BaseCredentials credentials;
        @CheckForNull
        private AssumeRoleSettings assumeRole;
        @CheckForNull
        private WebIdentityRoleSettings webIdentityRole;
        private AwsAccessPolicy accessPolicy = AwsAccessPolicy.unrestricted();

        private Builder(final String region, final BaseCredentials credentials) {
            this.region = Objects.requireNonNull(region, "region");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        public Builder withEndpointOverride(@CheckForNull final URI endpoint) {
            this.endpointOverride = endpoint;
            return this;
        }

        public Builder withAssumeRole(@CheckForNull final AssumeRoleSettings settings) {
            this.assumeRole = settings;
            return this;
        }

        public Builder withWebIdentityRole(@CheckForNull final WebIdentityRoleSettings settings) {
            this.webIdentityRole = settings;
            return this;
        }

        /** The administrator's limits; unrestricted unless set. */
        public Builder withAccessPolicy(final AwsAccessPolicy policy) {
            this.accessPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public SimpleAwsConnectionConfig build() {
            return new SimpleAwsConnectionConfig(this);
        }
    }
}
