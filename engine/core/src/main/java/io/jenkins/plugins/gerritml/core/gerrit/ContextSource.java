package io.jenkins.plugins.gerritml.core.gerrit;

/** Where a {@link GerritChange} came from, and so how far it can be trusted. */
public enum ContextSource {
    /** Gerrit's own event stream (Gerrit Trigger's event object or {@code stream-events}): Gerrit said it. */
    GERRIT_EVENT(true),
    /** {@code GERRIT_*} build parameters: anyone who can start a build can type them. */
    BUILD_PARAMETERS(false);

    private final boolean verified;

    ContextSource(final boolean verified) {
        this.verified = verified;
    }

    public boolean isVerified() {
        return verified;
    }
}
