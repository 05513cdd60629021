package io.jenkins.plugins.gerritml.sagemaker;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsIdentity;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.RefreshingCredentialsProvider;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.util.CredentialsLookup;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.Serializable;

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

    /** The step's values over the global defaults, as the engine's {@link AwsIdentity#resolve} rules. */
    static AwsSettings resolve(final String region, final String credentialsId, final String roleArn,
            final String endpointOverride) throws AbortException {
        GerritMlConfiguration global = GerritMlConfiguration.get();
        AwsIdentity identity = AwsIdentity.resolve(region, roleArn, endpointOverride, defaults(global));
        if (identity.getRegion().isEmpty()) {
            throw new AbortException("No AWS region: pass region: 'eu-west-1' or set it in Manage Jenkins → System → "
                    + "Gerrit ML Pipelines.");
        }
        return new AwsSettings(identity.getRegion(), first(credentialsId, global.getAwsCredentialsId()),
                identity.getRoleArn(), identity.getExternalId(), identity.getEndpointOverride());
    }

    private static AwsIdentity defaults(final GerritMlConfiguration global) {
        return AwsIdentity.of(global.getAwsRegion(), global.getAwsRoleArn(), global.getAwsExternalId(),
                global.getAwsEndpointOverride(), global.getAwsWebIdentityRoleArn());
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
            return AwsIdentity.of(region, roleArn, externalId, endpointOverride, global.getAwsWebIdentityRoleArn())
                    .connect(base, idToken == null ? null : Secret.of(idToken), "Credentials '" + credentialsId + "'",
                            context, global.awsAccessPolicy());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
