package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.util.Secret;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An IAM role assumed with an OIDC token (STS AssumeRoleWithWebIdentity), e.g. a token Jenkins issues per build.
 * The token comes from a supplier so a refreshed token is used when the session is renewed; it is never shown.
 */
public final class WebIdentityRoleSettings {
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private final String roleArn;
    private final String sessionName;
    private final Duration duration;
    private final Supplier<String> token;

    private WebIdentityRoleSettings(final String roleArn, final String sessionName, final Duration duration,
            final Supplier<String> token) {
        this.roleArn = roleArn;
        this.sessionName = sessionName;
        this.duration = duration;
        this.token = token;
    }

    /** @throws InvalidSpecException when the role ARN or duration are not usable */
    public static WebIdentityRoleSettings of(final String roleArn, final String sessionName, final Duration duration,
            final Supplier<String> token) {
        Problems problems = new Problems();
        problems.requireRoleArn(roleArn, "webIdentity.roleArn");
        problems.require(duration.compareTo(Duration.ofMinutes(15)) >= 0
                && duration.compareTo(Duration.ofHours(12)) <= 0, "webIdentity.duration",
                "must be 15 minutes to 12 hours, was " + duration);
        problems.throwIfAny("The STS web identity settings");
        return new WebIdentityRoleSettings(roleArn, StsNames.sessionName(sessionName), duration,
                Objects.requireNonNull(token, "token"));
    }

    /**
     * A role assumed with one OIDC ID token held as text, e.g. a Jenkins "Secret text" credential minted per build by
     * an OpenID Connect provider. The session is named after {@code sessionName} (the approver, say) and lasts an hour.
     *
     * @throws InvalidSpecException when the role ARN is not usable or the text is not a JWT (the token is not shown)
     */
    public static WebIdentityRoleSettings ofToken(final String roleArn, final String sessionName, final Secret token) {
        Problems problems = new Problems();
        problems.require(JWT.matcher(token.reveal().trim()).matches(), "webIdentity.token",
                "is not an OIDC ID token: expected a JWT, three Base64url parts separated by dots (value not shown)");
        problems.throwIfAny("The STS web identity settings");
        String text = token.reveal().trim();
        return of(roleArn, sessionName, Duration.ofHours(1), () -> text);
    }

    public String getRoleArn() {
        return roleArn;
    }

    public String getSessionName() {
        return sessionName;
    }

    public Duration getDuration() {
        return duration;
    }

    /** The current OIDC token, for the SDK only. */
    String currentToken() {
        String value = token.get();
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException("The STS web identity settings",
                    List.of("webIdentity.token: the token supplier gave no token"));
        }
        return value;
    }

    @Override
    public String toString() {
        return "assume " + roleArn + " with a web identity token as session " + sessionName;
    }
}
