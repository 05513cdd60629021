package io.jenkins.plugins.gerritml.util;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Run;

/**
 * Finds a credential for a build, as credentials-binding does: by id in the build's context, tracked, type-checked,
 * and failing with a message that names the id and the expected type. Secrets never leave the credential object
 * except into the core call that needs them.
 */
public final class CredentialsLookup {
    private CredentialsLookup() {
    }

    public static <C extends StandardCredentials> C find(final Run<?, ?> run, final String id, final Class<C> type,
            final String purpose) throws AbortException {
        if (id == null || id.isBlank()) {
            throw new AbortException("No credentials id for " + purpose + ": add one of type " + describe(type)
                    + " in Manage Jenkins → Credentials and pass its id (or set it in Manage Jenkins → System → Gerrit"
                    + " ML Pipelines).");
        }
        C found = CredentialsProvider.findCredentialById(id, type, run);
        if (found == null) {
            StandardCredentials other = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
            if (other != null) {
                throw new AbortException("Credentials '" + id + "' for " + purpose + " are "
                        + other.getDescriptor().getDisplayName() + ", expected " + describe(type) + ".");
            }
            throw new AbortException("Credentials '" + id + "' for " + purpose + " were not found (or this build may "
                    + "not use them): expected " + describe(type) + ".");
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    private static String describe(final Class<?> type) {
        switch (type.getSimpleName()) {
            case "StandardUsernamePasswordCredentials":
                return "'Username with password'";
            case "StringCredentials":
                return "'Secret text'";
            case "FileCredentials":
                return "'Secret file'";
            case "AmazonWebServicesCredentials":
                return "'AWS Credentials'";
            default:
                return type.getSimpleName();
        }
    }
}
