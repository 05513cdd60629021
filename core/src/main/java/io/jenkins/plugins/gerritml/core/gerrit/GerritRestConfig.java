package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Secret;

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

    /** A plain implementation. */
    static GerritRestConfig of(final String url, final String username, final Secret password) {
        return new GerritRestConfig() {
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
