package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.util.Objects;

/**
 * Long-lived access keys, temporary session credentials, a provider the host refreshes (a Jenkins credential that
 * assumes a role returns new session keys each time it is asked), or the SDK's default chain (environment,
 * instance profile).
 * {@link #toString()} shows the key id's last four characters only; the secret and the session token never leave
 * this object except towards the SDK.
 */
public final class BaseCredentials {
    /** Where the credentials come from. */
    public enum Kind { DEFAULT_CHAIN, STATIC_KEYS, SESSION, PROVIDER }

    private static final BaseCredentials DEFAULT_CHAIN = new BaseCredentials(Kind.DEFAULT_CHAIN, null, null, null);

    private final Kind kind;
    @CheckForNull
    private final String accessKeyId;
    @CheckForNull
    private final String secretAccessKey;
    @CheckForNull
    private final String sessionToken;
    @CheckForNull
    private final AwsCredentialsProvider provider;
    private final String description;

    private BaseCredentials(final Kind kind, @CheckForNull final String accessKeyId,
            @CheckForNull final String secretAccessKey, @CheckForNull final String sessionToken) {
        this(kind, accessKeyId, secretAccessKey, sessionToken, null, "");
    }

    private BaseCredentials(final Kind kind, @CheckForNull final String accessKeyId,
            @CheckForNull final String secretAccessKey, @CheckForNull final String sessionToken,
            @CheckForNull final AwsCredentialsProvider provider, final String description) {
        this.kind = kind;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.provider = provider;
        this.description = description;
    }

    /** The SDK's default provider chain: environment, system properties, profile, container or instance role. */
    public static BaseCredentials defaultChain() {
        return DEFAULT_CHAIN;
    }

    /**
     * Credentials the SDK asks {@code provider} for on every signature (it caches and refreshes them itself), so a
     * job longer than one role session is still followed. {@code description} names it in messages (e.g.
     * {@code Jenkins credential 'aws-prod'}) and in the key that shares status reads; it must not hold a secret.
     */
    public static BaseCredentials provider(final AwsCredentialsProvider provider, final String description) {
        return new BaseCredentials(Kind.PROVIDER, null, null, null, Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(description, "description"));
    }

    public static BaseCredentials staticKeys(final String accessKeyId, final String secretAccessKey) {
        return new BaseCredentials(Kind.STATIC_KEYS, required(accessKeyId, "accessKeyId"),
                required(secretAccessKey, "secretAccessKey"), null);
    }

    public static BaseCredentials session(final String accessKeyId, final String secretAccessKey,
            final String sessionToken) {
        return new BaseCredentials(Kind.SESSION, required(accessKeyId, "accessKeyId"),
                required(secretAccessKey, "secretAccessKey"), required(sessionToken, "sessionToken"));
    }

    private static String required(@CheckForNull final String value, final String field) {
        if (value == null || value.isBlank()) {
            // Never echo the value: it may be a secret pasted into the wrong field.
            throw new InvalidSpecException("The AWS credentials", java.util.List.of(field + ": is required"));
        }
        return value.trim();
    }

    public Kind getKind() {
        return kind;
    }

    @CheckForNull
    public String getAccessKeyId() {
        return accessKeyId;
    }

    /** For the SDK only: never log it. */
    @CheckForNull
    public String getSecretAccessKey() {
        return secretAccessKey;
    }

    /** For the SDK only: never log it. */
    @CheckForNull
    public String getSessionToken() {
        return sessionToken;
    }

    /** The host's provider ({@link Kind#PROVIDER} only). */
    @CheckForNull
    public AwsCredentialsProvider getProvider() {
        return provider;
    }

    /** What the provider is, without secrets ({@link Kind#PROVIDER} only; empty otherwise). */
    public String getDescription() {
        return description;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BaseCredentials)) {
            return false;
        }
        BaseCredentials other = (BaseCredentials) o;
        return kind == other.kind && Objects.equals(accessKeyId, other.accessKeyId)
                && Objects.equals(secretAccessKey, other.secretAccessKey)
                && Objects.equals(sessionToken, other.sessionToken) && Objects.equals(provider, other.provider)
                && description.equals(other.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, accessKeyId, secretAccessKey, sessionToken, provider, description);
    }

    @Override
    public String toString() {
        if (kind == Kind.PROVIDER) {
            return "AWS credentials from " + description;
        }
        if (kind == Kind.DEFAULT_CHAIN || accessKeyId == null) {
            return "AWS credentials from the default chain";
        }
        String shownId = accessKeyId.length() > 4 ? "****" + accessKeyId.substring(accessKeyId.length() - 4) : "****";
        return (kind == Kind.SESSION ? "AWS session credentials " : "AWS access key ") + shownId;
    }
}
