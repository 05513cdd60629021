package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Secret;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to reach Gerrit's REST API, as gerrit-events' {@code RestConnectionConfig} does: the Jenkins layer implements it
 * from Gerrit Trigger's server configuration or a credentials id, the CLI from its environment.
 */
public interface GerritRestConfig {
    /** The front-end URL, e.g. {@code https://review.example.com/} (a trailing slash is optional). */
    String getGerritFrontEndUrl();

    /** The HTTP user for {@code /a/} calls. */
    String getUsername();

    /** The user's HTTP password (Gerrit: Settings → HTTP Credentials). */
    Secret getPassword();

    /**
     * Where the REST client's HTTP client starts from: by default the JDK's (which follows the JVM's proxy properties);
     * Jenkins passes one configured with its own proxy settings (Manage Jenkins → System → HTTP Proxy).
     */
    default HttpClient.Builder newHttpClientBuilder() {
        return HttpClient.newBuilder();
    }

    /** A plain implementation. */
    static GerritRestConfig of(final String url, final String username, final Secret password) {
        return of(url, username, password, HttpClient::newBuilder);
    }

    /** A plain implementation whose HTTP clients start from {@code http} (e.g. one with a proxy). */
    static GerritRestConfig of(final String url, final String username, final Secret password,
            final Supplier<HttpClient.Builder> http) {
        Objects.requireNonNull(http, "http");
        return new GerritRestConfig() {
            @Override
            public HttpClient.Builder newHttpClientBuilder() {
                return http.get();
            }

            @Override
            public String getGerritFrontEndUrl() {
                return url;
            }

            @Override
            public String getUsername() {
                return username;
            }

            @Override
            public Secret getPassword() {
                return password;
            }

            @Override
            public String toString() {
                return username + " at " + url;
            }
        };
    }
}
