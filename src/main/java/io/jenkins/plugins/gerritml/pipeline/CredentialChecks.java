package io.jenkins.plugins.gerritml.pipeline;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialCheck;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.util.List;

/** Core's {@link CredentialCheck} for a credential id as this build sees it: what is stored there, no secret. */
public final class CredentialChecks {
    private CredentialChecks() {
    }

    /** The check of {@code id} for {@code use}; {@code accepted} are the kinds that use can take. */
    public static CredentialCheck of(final Run<?, ?> run, final String use, final String id,
            final List<CredentialCheck.Kind> accepted) {
        StandardCredentials found = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
        return CredentialCheck.of(use, id, accepted, found == null ? null : kind(found),
                found == null ? "" : found.getDescriptor().getDisplayName());
    }

    static CredentialCheck.Kind kind(final StandardCredentials credentials) {
        if (credentials instanceof StandardUsernamePasswordCredentials) {
            return CredentialCheck.Kind.USERNAME_PASSWORD;
        }
        if (credentials instanceof StringCredentials) {
            return CredentialCheck.Kind.SECRET_TEXT;
        }
        if (credentials instanceof AmazonWebServicesCredentials) {
            return CredentialCheck.Kind.AWS_KEYS;
        }
        return CredentialCheck.Kind.OTHER;
    }
}
