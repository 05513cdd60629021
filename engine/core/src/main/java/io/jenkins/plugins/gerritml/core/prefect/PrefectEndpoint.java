package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An immutable {@link PrefectConnection} for code outside Jenkins (tests, the demo, the CLI). Its {@code toString}
 * never shows the secret.
 */
public final class PrefectEndpoint implements PrefectConnection {
    private final String apiUrl;
    @CheckForNull private final String apiKey;
    @CheckForNull private final String basicAuth;
    private final String credentialName;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private PrefectEndpoint(final Builder builder) {
        this.apiUrl = validateApiUrl(builder.apiUrl);
        if (builder.apiKey != null && builder.basicAuth != null) {
            throw new IllegalArgumentException("Prefect connection: give either an API key (Prefect Cloud) or a basic "
                    + "auth string (self-hosted server), not both");
        }
        if (builder.basicAuth != null && !builder.basicAuth.contains(":")) {
            throw new IllegalArgumentException("Prefect basic auth string: expected 'user:password' (as in "
                    + "PREFECT_SERVER_API_AUTH_STRING), got a value without ':'");
        }
        this.apiKey = blankToNull(builder.apiKey);
        this.basicAuth = blankToNull(builder.basicAuth);
        this.credentialName = builder.credentialName != null ? builder.credentialName
                : apiKey != null ? "the Prefect API key" : basicAuth != null ? "the Prefect basic auth string"
                : "no credential";
        this.connectTimeout = positive(builder.connectTimeout, "connect timeout");
        this.requestTimeout = positive(builder.requestTimeout, "request timeout");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A self-hosted server without auth. */
    public static PrefectEndpoint valueOf(final String apiUrl) {
        return builder().withApiUrl(apiUrl).build();
    }

    /** Prefect Cloud for one workspace. */
    public static PrefectEndpoint cloud(final String account, final String workspace, final String apiKey) {
        return builder().withApiUrl(PrefectUrls.cloudApiUrl(account, workspace)).withApiKey(apiKey).build();
    }

    static String validateApiUrl(@CheckForNull final String apiUrl) {
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalArgumentException("Prefect API URL: required, e.g. http://127.0.0.1:4200/api or "
                    + "https://api.prefect.cloud/api/accounts/<account>/workspaces/<workspace>");
        }
        String trimmed = apiUrl.trim().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Prefect API URL: not a URL (" + e.getMessage() + ")", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Prefect API URL: must be an http(s) URL with a host, e.g. "
                    + "http://127.0.0.1:4200/api");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("Prefect API URL: must not contain a user or password; put them in "
                    + "the basic auth credential instead");
        }
        return trimmed;
    }

    private static Duration positive(final Duration duration, final String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Prefect " + what + ": must be positive, was " + duration);
        }
        return duration;
    }

    @CheckForNull
    private static String blankToNull(@CheckForNull final String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String getApiUrl() {
        return apiUrl;
    }

    @Override
    @CheckForNull
    public String getApiKey() {
        return apiKey;
    }

    @Override
    @CheckForNull
    public String getBasicAuth() {
        return basicAuth;
    }

    @Override
    public String getCredentialName() {
        return credentialName;
    }

    @Override
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @Override
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PrefectEndpoint)) {
            return false;
        }
        PrefectEndpoint other = (PrefectEndpoint) o;
        return apiUrl.equals(other.apiUrl) && Objects.equals(apiKey, other.apiKey)
                && Objects.equals(basicAuth, other.basicAuth) && credentialName.equals(other.credentialName)
                && connectTimeout.equals(other.connectTimeout) && requestTimeout.equals(other.requestTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiUrl, apiKey, basicAuth, credentialName, connectTimeout, requestTimeout);
    }

    @Override
    public String toString() {
        return "PrefectEndpoint[" + apiUrl + ", credential: " + credentialName + "]";
    }

    /** Builds a {@link PrefectEndpoint}; the API URL is required. */
    public static final class Builder {
        @CheckForNull private String apiUrl;
        @CheckForNull private String apiKey;
        @CheckForNull private String basicAuth;
        @CheckForNull private String credentialName;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder withApiUrl(final String url) {
            this.apiUrl = url;
            return this;
        }

        public Builder withApiKey(@CheckForNull final String key) {
            this.apiKey = key;
            return this;
        }

        public Builder withBasicAuth(@CheckForNull final String userColonPassword) {
            this.basicAuth = userColonPassword;
            return this;
        }

        public Builder withCredentialName(final String name) {
            this.credentialName = name;
            return this;
        }

        public Builder withConnectTimeout(final Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        public Builder withRequestTimeout(final Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
            return this;
        }

        public PrefectEndpoint build() {
            return new PrefectEndpoint(this);
        }
    }
}
