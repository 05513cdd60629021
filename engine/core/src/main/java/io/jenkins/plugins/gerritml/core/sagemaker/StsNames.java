package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.regex.Pattern;

/** Makes Gerrit usernames acceptable to STS instead of failing the build on an unusual character. */
public final class StsNames {
    /** STS: SourceIdentity is 2-64 of {@code [a-zA-Z0-9+=,.@-]} (we keep to the strictest reading). */
    private static final Pattern SOURCE_IDENTITY_NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9+=,.@-]");
    /** STS: RoleSessionName is 2-64 of {@code [\w+=,.@-]}. */
    private static final Pattern SESSION_NAME_NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9_+=,.@-]");
    private static final int MAX = 64;

    private StsNames() {
    }

    /**
     * A Gerrit username as STS {@code SourceIdentity}: other characters become {@code -}, cut at 64, and a
     * one-character name is prefixed with {@code gerrit-} (STS needs at least two).
     */
    public static String sourceIdentity(final String username) {
        return fit(SOURCE_IDENTITY_NOT_ALLOWED.matcher(username.trim()).replaceAll("-"));
    }

    /** A role session name: other characters become {@code -}, cut at 64, at least two characters. */
    public static String sessionName(final String name) {
        return fit(SESSION_NAME_NOT_ALLOWED.matcher(name.trim()).replaceAll("-"));
    }

    private static String fit(final String clean) {
        String text = clean.length() < 2 ? "gerrit-" + clean : clean;
        return text.length() <= MAX ? text : text.substring(0, MAX);
    }
}
