package io.jenkins.plugins.gerritml.prefect;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.core.prefect.PrefectConnection;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.util.List;

/**
 * A configured {@link PrefectServer} as core's {@link PrefectConnection}. The credential is looked up on every request
 * (never stored), from the global store as Gerrit Trigger does for its server: the server is an admin's choice, not
 * the Jenkinsfile's. Secret text is a Prefect Cloud API key; a username with password is a self-hosted server's basic
 * auth ({@code PREFECT_SERVER_API_AUTH_STRING}).
 */
final class JenkinsPrefectConnection implements PrefectConnection {
    private final String serverName;
    private final String apiUrl;
    private final String credentialsId;

    JenkinsPrefectConnection(final PrefectServer server) {
        this.serverName = server.getName();
        this.apiUrl = server.getApiUrl();
        this.credentialsId = server.getCredentialsId();
    }

    /**
     * Refuses {@code run} unless its job is in one of the folders the administrator limited {@code server} to; call
     * before anything is sent to Prefect.
     */
    static void checkFolder(final PrefectServer server, final Run<?, ?> run) throws AbortException {
        try {
            server.folderRestriction().check(run.getParent().getFullName(), "Prefect server '" + server.getName()
                    + "'");
        } catch (IllegalStateException e) {
            throw new AbortException("prefectFlowRun: " + e.getMessage() + " (Manage Jenkins → System → Gerrit ML "
                    + "Pipelines → Prefect servers → Only for jobs in these folders)");
        }
    }

    /** Identifies the connection for sharing one status source per server. */
    String key() {
        return serverName + '\n' + apiUrl + '\n' + credentialsId;
    }

    StandardCredentials credential() {
        if (credentialsId == null || credentialsId.isBlank()) {
            return null;
        }
        StandardCredentials found = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(
                StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(credentialsId));
        if (found == null) {
            throw new IllegalStateException("Credentials '" + credentialsId + "' of Prefect server '" + serverName
                    + "' were not found: expected 'Secret text' (Prefect Cloud API key) or 'Username with password' "
                    + "(self-hosted basic auth) in the global credentials store.");
        }
        if (!(found instanceof StringCredentials) && !(found instanceof StandardUsernamePasswordCredentials)) {
            throw new IllegalStateException("Credentials '" + credentialsId + "' of Prefect server '" + serverName
                    + "' are " + found.getDescriptor().getDisplayName() + ", expected 'Secret text' (Prefect Cloud "
                    + "API key) or 'Username with password' (self-hosted basic auth).");
        }
        return found;
    }

    @Override
    public String getApiUrl() {
        return apiUrl;
    }

    @Override
    public String getApiKey() {
        StandardCredentials credential = credential();
        return credential instanceof StringCredentials ? ((StringCredentials) credential).getSecret().getPlainText()
                : null;
    }

    @Override
    public String getBasicAuth() {
        StandardCredentials credential = credential();
        if (credential instanceof StandardUsernamePasswordCredentials) {
            StandardUsernamePasswordCredentials user = (StandardUsernamePasswordCredentials) credential;
            return user.getUsername() + ':' + user.getPassword().getPlainText();
        }
        return null;
    }

    @Override
    public String getCredentialName() {
        return credentialsId == null || credentialsId.isBlank() ? "no credential"
                : "Jenkins credential '" + credentialsId + "'";
    }

    /** Jenkins' proxy settings (Manage Jenkins → System → HTTP Proxy), as every outbound call from Jenkins uses. */
    @Override
    public java.net.http.HttpClient.Builder newHttpClientBuilder() {
        return hudson.ProxyConfiguration.newHttpClientBuilder();
    }
}
