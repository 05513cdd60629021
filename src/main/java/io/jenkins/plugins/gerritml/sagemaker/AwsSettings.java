package io.jenkins.plugins.gerritml.sagemaker;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.sagemaker.AssumeRoleSettings;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.RefreshingCredentialsProvider;
import io.jenkins.plugins.gerritml.core.sagemaker.SimpleAwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.WebIdentityRoleSettings;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.util.CredentialsLookup;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.Serializable;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a SageMaker step talks to AWS, as ids and names only (saved with the build): each field from the step, else
 * the global configuration. {@link #connect} turns them into core's connection with the secret read from the
 * credentials store at that moment; the role is assumed with the review's SourceIdentity and session tags.
 */
final class AwsSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String credentialsId;
    private final String roleArn;
    private final String externalId;
    private final String endpointOverride;

    private AwsSettings(final String region, final String credentialsId, final String roleArn,
            final String externalId, final String endpointOverride) {
        this.region = region;
        this.credentialsId = credentialsId;
        this.roleArn = roleArn;
        this.externalId = externalId;
        this.endpointOverride = endpointOverride;
    }

    /** The step's values over the global defaults. */
    static AwsSettings resolve(final String region, final String credentialsId, final String roleArn,
            final String endpointOverride) throws AbortException {
        GerritMlConfiguration global = GerritMlConfiguration.get();
        String r = first(region, global.getAwsRegion());
        if (r.isEmpty()) {
            throw new AbortException("No AWS region: pass region: 'eu-west-1' or set it in Manage Jenkins → System → "
                    + "Gerrit ML Pipelines.");
        }
        String role = first(roleArn, global.getAwsRoleArn());
        // The external id belongs to the configured role; a step naming another role does not inherit it.
        String external = Util.fixEmptyAndTrim(roleArn) == null ? Util.fixNull(global.getAwsExternalId()) : "";
        return new AwsSettings(r, first(credentialsId, global.getAwsCredentialsId()), role, external,
                first(endpointOverride, global.getAwsEndpointOverride()));
    }

    private static String first(final String step, final String global) {
        String value = Util.fixEmptyAndTrim(step);
        return value != null ? value : Util.fixNull(global).trim();
    }

    String getRegion() {
        return region;
    }

    String describe() {
        return region + (roleArn.isEmpty() ? "" : " as " + roleArn) + (endpointOverride.isEmpty() ? ""
                : " via " + endpointOverride);
    }

    /**
     * Core's connection for this build: credentials looked up (and tracked) now, never stored. "AWS Credentials" are
     * the base keys; "Secret text" is an OIDC ID token for AssumeRoleWithWebIdentity. The administrator's access
     * policy goes with it: core refuses the default chain without the opt-in, and roles, images and endpoints
     * outside the patterns, before any AWS call.
     */
    AwsConnectionConfig connect(final Run<?, ?> run, final TrainingContext context) throws AbortException {
        GerritMlConfiguration global = GerritMlConfiguration.get();
        BaseCredentials base = BaseCredentials.defaultChain();
        String idToken = null;
        if (!credentialsId.isEmpty()) {
            StandardCredentials found = CredentialsLookup.find(run, credentialsId, StandardCredentials.class,
                    "AWS in " + region, "'AWS Credentials', or 'Secret text' holding an OIDC ID token");
            if (found instanceof AmazonWebServicesCredentials) {
                AmazonWebServicesCredentials aws = (AmazonWebServicesCredentials) found;
                // Asked again every 15 minutes: a credential with an IAM role hands out one-hour sessions. Through
                // its SDK v2 side (an AwsCredentialsProvider); no SDK v1 classes.
                base = BaseCredentials.provider(new RefreshingCredentialsProvider(() -> {
                    AwsCredentials keys = aws.resolveCredentials();
                    return keys instanceof AwsSessionCredentials
                            ? AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(),
                            ((AwsSessionCredentials) keys).sessionToken())
                            : AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey());
                }, Duration.ofMinutes(15), Clock.systemUTC()), "Jenkins credential '" + credentialsId + "'");
            } else if (found instanceof StringCredentials) {
                idToken = ((StringCredentials) found).getSecret().getPlainText();
            } else {
                throw new AbortException("Credentials '" + credentialsId + "' for AWS in " + region + " are "
                        + found.getDescriptor().getDisplayName() + ", expected 'AWS Credentials' or 'Secret text' "
                        + "(an OIDC ID token).");
            }
        }
        try {
            SimpleAwsConnectionConfig.Builder config = SimpleAwsConnectionConfig.builder(region, base)
                    .withAccessPolicy(global.awsAccessPolicy());
            if (!endpointOverride.isEmpty()) {
                config.withEndpointOverride(URI.create(endpointOverride));
            }
            String assumeRole = roleArn;
            if (idToken != null) {
                String federated = Util.fixNull(global.getAwsWebIdentityRoleArn()).trim();
                String tokenRole = federated.isEmpty() ? roleArn : federated;
                if (tokenRole.isEmpty()) {
                    throw new AbortException("Credentials '" + credentialsId + "' hold an OIDC ID token, but no role "
                            + "is configured to assume with it: set 'Role for OIDC tokens' or 'Role to assume' in "
                            + "Manage Jenkins → System → Gerrit ML Pipelines, or pass assumeRoleArn.");
                }
                config.withWebIdentityRole(WebIdentityRoleSettings.ofToken(tokenRole,
                        context.getResponsibleUser().orElse("gerrit-ml"), Secret.of(idToken)));
                // The token's session assumes the role to assume, so that session carries SourceIdentity.
                assumeRole = tokenRole.equals(roleArn) ? "" : roleArn;
            }
            if (!assumeRole.isEmpty()) {
                config.withAssumeRole(AssumeRoleSettings.builder(assumeRole).withExternalId(
                        externalId.isEmpty() ? null : externalId).forReview(context).build());
            }
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
