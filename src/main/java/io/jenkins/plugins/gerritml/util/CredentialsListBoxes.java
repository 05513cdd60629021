package io.jenkins.plugins.gerritml.util;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.util.List;

/**
 * The credentials drop-downs of the steps' forms (job configuration and Snippet Generator), one pattern for all, as
 * credentials' {@code docs/consumer.adoc} shows: only users who may configure (or use the credentials of) the item see
 * the list; it is listed as the build would run and without System-scoped credentials, which a build can never use.
 */
public final class CredentialsListBoxes {
    private CredentialsListBoxes() {
    }

    /** Username-with-password credentials for Gerrit's REST API. */
    public static ListBoxModel gerrit(@CheckForNull final Item item, @CheckForNull final String current) {
        return forBuild(item, StandardUsernamePasswordCredentials.class, current);
    }

    /**
     * The AWS credentials a build may use: "AWS Credentials" (keys, or a role they assume), and "Secret text" holding
     * an OIDC ID token for AssumeRoleWithWebIdentity.
     */
    public static ListBoxModel aws(@CheckForNull final Item item, @CheckForNull final String current) {
        return forBuild(item, StandardCredentials.class, current, CredentialsMatchers.anyOf(
                CredentialsMatchers.instanceOf(AmazonWebServicesCredentials.class),
                CredentialsMatchers.instanceOf(StringCredentials.class)));
    }

    /** Credentials of {@code type} that a build of {@code item} (null: the root Snippet Generator) may use. */
    public static ListBoxModel forBuild(@CheckForNull final Item item, final Class<? extends StandardCredentials> type,
            @CheckForNull final String current) {
        return forBuild(item, type, current, CredentialsMatchers.always());
    }

    private static ListBoxModel forBuild(@CheckForNull final Item item,
            final Class<? extends StandardCredentials> type, @CheckForNull final String current,
            final CredentialsMatcher kinds) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return model.includeCurrentValue(Util.fixNull(current));
        }
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.of(), CredentialsMatchers.allOf(kinds,
                    CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM))));
        } else {
            model.includeMatchingAs(item instanceof Queue.Task ? Tasks.getAuthenticationOf2((Queue.Task) item)
                    : ACL.SYSTEM2, item, type, List.of(), CredentialsMatchers.allOf(kinds,
                    CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM))));
        }
        return model.includeCurrentValue(Util.fixNull(current));
    }

    /** Credentials of {@code type} for the global configuration (admins only; every scope, since Jenkins reads them). */
    public static ListBoxModel forAdministrator(final Class<? extends StandardCredentials> type,
            @CheckForNull final String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return model.includeCurrentValue(Util.fixNull(current));
        }
        return model.includeEmptyValue().includeAs(ACL.SYSTEM2, Jenkins.get(), type).includeCurrentValue(Util.fixNull(current));
    }
}
