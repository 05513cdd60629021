package io.jenkins.plugins.gerritml.util;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialUse;
import jenkins.model.Jenkins;

import java.util.List;

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
        return find(run, id, type, purpose, describe(type));
    }

    /** As {@link #find(Run, String, Class, String)}, where {@code expected} names the kinds a message asks for. */
    public static <C extends StandardCredentials> C find(final Run<?, ?> run, final String id, final Class<C> type,
            final String purpose, final String expected) throws AbortException {
        if (id == null || id.isBlank()) {
            throw new AbortException("No credentials id for " + purpose + ": add one of type " + expected
                    + " in Manage Jenkins → Credentials and pass its id (or set it in Manage Jenkins → System → Gerrit"
                    + " ML Pipelines).");
        }
        C found = CredentialsProvider.findCredentialById(id, type, run);
        if (found == null) {
            StandardCredentials other = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
            if (other != null) {
                throw new AbortException("Credentials '" + id + "' for " + purpose + " are "
                        + other.getDescriptor().getDisplayName() + ", expected " + expected + ".");
            }
            throw new AbortException("Credentials '" + id + "' for " + purpose + " were not found (or this build may "
                    + "not use them): expected " + expected + ".");
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    /**
     * Finds an administrator's credential (the lineage signing key, say) in the root store as the system, outside
     * the build's authentication, and refuses it unless its scope serves {@code use} (see core's
     * {@link CredentialUse}). Tracked against {@code run} for the credential's usage record.
     */
    public static <C extends StandardCredentials> C findAsAdministrator(final Run<?, ?> run, final String id,
            final Class<C> type, final CredentialUse use) throws AbortException {
        if (id == null || id.isBlank()) {
            throw new AbortException("No credentials id for " + use.describe() + ": add one of type " + describe(type)
                    + " with System scope in Manage Jenkins → Credentials and choose it in Manage Jenkins → System → "
                    + "Gerrit ML Pipelines.");
        }
        StandardCredentials found = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(
                StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of()), CredentialsMatchers.withId(id));
        if (found == null) {
            throw new AbortException("Credentials '" + id + "' for " + use.describe() + " were not found in the "
                    + "global credentials store: expected " + describe(type) + " with System scope.");
        }
        if (!type.isInstance(found)) {
            throw new AbortException("Credentials '" + id + "' for " + use.describe() + " are "
                    + found.getDescriptor().getDisplayName() + ", expected " + describe(type) + ".");
        }
        CredentialsScope declared = found.getScope();
        CredentialsScope scope = declared == null ? CredentialsScope.GLOBAL : declared;
        if (!use.accepts(scope.name())) {
            throw new AbortException(use.refusal(id, CredentialUse.Scope.valueOf(scope.name())) + ".");
        }
        CredentialsProvider.track(run, found);
        return type.cast(found);
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
