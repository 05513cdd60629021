package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;

/**
 * Long-lived access keys, temporary session credentials, or the SDK's default chain (environment, instance profile).
 * {@link #toString()} shows the key id's last four characters only; the secret and the session token never leave
 * this object except towards the SDK.
 */
public final class BaseCredentials {
    /** Where the credentials come from. */
    public enum Kind { DEFAULT_CHAIN, STATIC_KEYS, SESSION }

    private static final BaseCredentials DEFAULT_CHAIN = new BaseCredentials(Kind.DEFAULT_CHAIN, null, null, null);

    private final Kind kind;
    @CheckForNull
    private final String accessKeyId;
    @CheckForNull
    private final String secretAccessKey;
    @CheckForNull
    private final String sessionToken;

    private BaseCredentials(final Kind kind, @CheckForNull final String accessKeyId,
            @CheckForNull final String secretAccessKey, @CheckForNull final String sessionToken) {
        this.kind = kind;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
    }

    /** The SDK's default provider chain: environment, system properties, profile, container or instance role. */
    public static BaseCredentials defaultChain() {
        return DEFAULT_CHAIN;
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
                && Objects.equals(sessionToken, other.sessionToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
        if (kind == Kind.DEFAULT_CHAIN || accessKeyId == null) {
            return "AWS credentials from the default chain";
        }
        String shownId = accessKeyId.length() > 4 ? "****" + accessKeyId.substring(accessKeyId.length() - 4) : "****";
        return (kind == Kind.SESSION ? "AWS session credentials " : "AWS access key ") + shownId;
    }
}
