package io.jenkins.plugins.gerritml.core.gerrit;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;

/**
 * Which account a build's Gerrit calls may use. The CI accounts a build does not own, Gerrit Trigger's REST account
 * (not in the credentials store) and the administrator's default Gerrit credential, are lent only to a build that
 * Gerrit's own event started (a trusted context), and only for that event's change and patch set, which is what
 * Gerrit Trigger itself reports on. Anything else (contexts typed as build parameters or {@code withEnv}, another
 * change) needs a credential named by the step, which the caller looks up in the build's context and tracks: a
 * Jenkinsfile can then act only with an account its job was given.
 */
public final class GerritCredentialPolicy {
    /** The rule's name in refusals. */
    public static final String TRIGGER_ACCOUNT_RULE = "ci-accounts-only-for-own-event";

    private GerritCredentialPolicy() {
    }

    /** The account chosen for one call. */
    public static final class Choice {
        @CheckForNull
        private final String credentialsId;
        private final String reason;

        private Choice(@CheckForNull final String credentialsId, final String reason) {
            this.credentialsId = credentialsId;
            this.reason = reason;
        }

        /** Gerrit Trigger's REST account of the event's server. */
        public boolean isTriggerAccount() {
            return credentialsId == null;
        }

        /** The stored credential to look up in the build's context; empty for Gerrit Trigger's account. */
        public String getCredentialsId() {
            return credentialsId == null ? "" : credentialsId;
        }

        /** Why this account, for the build log: never a secret. */
        public String getReason() {
            return reason;
        }

        @Override
        public String toString() {
            return isTriggerAccount() ? "Gerrit Trigger's REST account (" + reason + ")"
                    : "credential '" + credentialsId + "' (" + reason + ")";
        }
    }

    /** The steps' name for their own Gerrit credential, for refusals that say what to pass. */
    static final String STEP_PARAMETERS = "the step's credentialsId (gerritCredentialsId on sagemakerTrain, "
            + "sagemakerDeploy and approveModelPackage)";

    /**
     * Chooses the account for a call about {@code target}.
     *
     * @param ownEvent the change of the Gerrit event that started the build (Gerrit Trigger's cause), or null
     * @param target the change and patch set the call is about
     * @param stepCredentialsId the step's {@code credentialsId}, or blank
     * @param defaultCredentialsId the administrator's default Gerrit credential, or blank
     * @param triggerAccountAvailable whether Gerrit Trigger's server for {@code target} has REST credentials
     * @throws GerritAccessRefusedException naming the rule and what to configure
     */
    public static Choice choose(@CheckForNull final GerritChange ownEvent, final GerritChange target,
            @CheckForNull final String stepCredentialsId, @CheckForNull final String defaultCredentialsId,
            final boolean triggerAccountAvailable) {
        Objects.requireNonNull(target, "target");
        if (!isBlank(stepCredentialsId)) {
            return new Choice(stepCredentialsId.trim(), "the step's credentialsId");
        }
        String refusal = whyNotTriggerAccount(ownEvent, target);
        if (refusal != null) {
            throw new GerritAccessRefusedException(TRIGGER_ACCOUNT_RULE, "Gerrit Trigger's REST account and the "
                    + "default Gerrit credentials serve only the change and patch set of the Gerrit event that started "
                    + "the build, and " + refusal + ". Pass " + STEP_PARAMETERS + ": a 'Username with "
                    + "password' credential this build may use (its account votes instead)");
        }
        String own = "the Gerrit event that started this build, change " + target.getChangeNumber()
                + " patch set " + target.getPatchSetNumber();
        if (triggerAccountAvailable) {
            return new Choice(null, own);
        }
        if (!isBlank(defaultCredentialsId)) {
            return new Choice(defaultCredentialsId.trim(), "the default Gerrit credentials, for " + own);
        }
        throw new GerritAccessRefusedException(TRIGGER_ACCOUNT_RULE, "No Gerrit account for change "
                + target.getRestId() + ": " + (target.getServerName().isEmpty() ? "no Gerrit Trigger server is named"
                : "Gerrit Trigger's server '" + target.getServerName() + "' has no REST credentials")
                + ". Pass " + STEP_PARAMETERS + ": a 'Username with password' credential this build may use, or "
                + "set default Gerrit HTTP credentials");
    }

    /** Null when Gerrit Trigger's account may be used for {@code target}, else why not (for the refusal). */
    @CheckForNull
    static String whyNotTriggerAccount(@CheckForNull final GerritChange ownEvent, final GerritChange target) {
        if (!target.isVerified()) {
            return "change " + target.getChangeNumber() + " patch set " + target.getPatchSetNumber()
                    + " was named by build parameters or environment variables (GERRIT_*), not by a Gerrit event";
        }
        if (ownEvent == null || !ownEvent.isVerified()) {
            return "this build was not started by a Gerrit event";
        }
        boolean same = ownEvent.getServerName().equals(target.getServerName())
                && ownEvent.getChangeNumber() == target.getChangeNumber()
                && ownEvent.getPatchSetNumber() == target.getPatchSetNumber()
                && ownEvent.getRevision().equals(target.getRevision());
        if (!same) {
            return "the call is about change " + target.getChangeNumber() + " patch set "
                    + target.getPatchSetNumber() + " on '" + target.getServerName() + "', not the event's change "
                    + ownEvent.getChangeNumber() + " patch set " + ownEvent.getPatchSetNumber() + " on '"
                    + ownEvent.getServerName() + "'";
        }
        return null;
    }

    private static boolean isBlank(@CheckForNull final String value) {
        return value == null || value.isBlank();
    }
}
