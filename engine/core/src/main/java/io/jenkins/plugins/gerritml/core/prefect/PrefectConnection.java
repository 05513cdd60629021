package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Where and how to reach a Prefect API; the Jenkins layer implements it from its configuration and credentials
 * (as gerrit-events' {@code RestConnectionConfig}). Secrets are read on each request and never stored elsewhere.
 *
 * <p>Prefect Cloud: {@link PrefectUrls#cloudApiUrl(String, String)} with an API key (sent as {@code Bearer}).
 * Self-hosted: the server's {@code /api} URL, optionally with the {@code user:password} string the server was
 * started with ({@code PREFECT_SERVER_API_AUTH_STRING}, sent as HTTP basic auth).
 */
public interface PrefectConnection {
    /** The API base, e.g. {@code http://prefect:4200/api} or {@code https://api.prefect.cloud/api/accounts/A/workspaces/W}. */
    String getApiUrl();

    /** A Prefect Cloud API key, or null. */
    @CheckForNull
    String getApiKey();

    /** A self-hosted server's {@code user:password} auth string, or null. */
    @CheckForNull
    String getBasicAuth();

    /** Names the credential for error messages (e.g. {@code Jenkins credential 'prefect-cloud'}), never its value. */
    default String getCredentialName() {
        return getApiKey() != null ? "the Prefect API key" : getBasicAuth() != null ? "the Prefect basic auth string"
                : "no credential";
    }

    default Duration getConnectTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Where the client's HTTP client starts from: by default the JDK's (which follows the JVM's proxy properties);
     * Jenkins passes one configured with its own proxy settings.
     */
    default HttpClient.Builder newHttpClientBuilder() {
        return HttpClient.newBuilder();
    }

    /** Per request, from sending to the full answer. */
    default Duration getRequestTimeout() {
        return Duration.ofSeconds(30);
    }
}
