package io.jenkins.plugins.gerritml.sagemaker;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSSessionCredentials;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
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
import io.jenkins.plugins.gerritml.util.CredentialsLookup;
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

    /** Core's connection for this build: credentials looked up (and tracked) now, never stored. */
    AwsConnectionConfig connect(final Run<?, ?> run, final TrainingContext context) throws AbortException {
        BaseCredentials base = BaseCredentials.defaultChain();
        if (!credentialsId.isEmpty()) {
            AmazonWebServicesCredentials found = CredentialsLookup.find(run, credentialsId,
                    AmazonWebServicesCredentials.class, "AWS in " + region);
            // Asked again every 15 minutes: a credential with an IAM role hands out one-hour sessions (review 2.6).
            base = BaseCredentials.provider(new RefreshingCredentialsProvider(() -> {
                AWSCredentials keys = found.getCredentials();
                return keys instanceof AWSSessionCredentials
                        ? AwsSessionCredentials.create(keys.getAWSAccessKeyId(), keys.getAWSSecretKey(),
                        ((AWSSessionCredentials) keys).getSessionToken())
                        : AwsBasicCredentials.create(keys.getAWSAccessKeyId(), keys.getAWSSecretKey());
            }, Duration.ofMinutes(15), Clock.systemUTC()), "Jenkins credential '" + credentialsId + "'");
        }
        try {
            SimpleAwsConnectionConfig.Builder config = SimpleAwsConnectionConfig.builder(region, base);
            if (!endpointOverride.isEmpty()) {
                config.withEndpointOverride(URI.create(endpointOverride));
            }
            if (!roleArn.isEmpty()) {
                config.withAssumeRole(AssumeRoleSettings.builder(roleArn).withExternalId(
                        externalId.isEmpty() ? null : externalId).forReview(context).build());
            }
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
