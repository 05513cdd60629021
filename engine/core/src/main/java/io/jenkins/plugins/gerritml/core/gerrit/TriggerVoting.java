package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What Gerrit Trigger itself votes for a build it started, from the job's trigger settings, and whether that collides
 * with a step voting the same label.
 *
 * <p>Gerrit Trigger (non-silent) posts {@code --verified <VERIFIED>} when the build starts (0 by default, unless
 * "silent start mode") and ±1 when it completes (unless its "skip vote" is set for that result). Gerrit keeps one
 * vote per account and label, and Gerrit Trigger usually reports as the same service account the steps use: so its
 * end-of-build vote replaces the step's {@code Verified} (a failed training's -1 becomes +1 with
 * {@code propagate: false}), and the start of any later triggered build on the same patch set resets it to 0.
 * A step may vote {@code Verified} only when the job's trigger votes nothing: silent mode, silent start mode
 * with the vote skipped for every result, or a server that reports over REST with its Verified vote turned off
 * (Gerrit Trigger then posts its messages without a Verified label).
 */
public final class TriggerVoting {
    /** The label Gerrit Trigger's {@code --verified} votes. */
    public static final String VERIFIED = "Verified";

    private final boolean silentMode;
    private final boolean silentStartMode;
    private final boolean skipAllResults;
    private final boolean restWithoutVerified;

    private TriggerVoting(final Builder builder) {
        this.restWithoutVerified = builder.restReporting && !builder.restVerified;
        this.silentMode = builder.silentMode;
        this.silentStartMode = builder.silentStartMode;
        this.skipAllResults = builder.skipSuccessful && builder.skipFailed && builder.skipUnstable
                && builder.skipNotBuilt && builder.skipAborted;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether Gerrit Trigger votes {@code Verified} when the build starts. */
    public boolean votesWhenStarted() {
        return !silentMode && !silentStartMode && !restWithoutVerified;
    }

    /** Whether Gerrit Trigger votes {@code Verified} for some result when the build completes. */
    public boolean votesWhenCompleted() {
        return !silentMode && !skipAllResults && !restWithoutVerified;
    }

    /**
     * Why {@code step} may not vote {@code label} in a build this trigger started, or empty when it may: any label
     * but {@code Verified}, or {@code Verified} when the trigger votes nothing.
     */
    public Optional<String> conflictWith(final String step, final String label) {
        Objects.requireNonNull(step, "step");
        if (label == null || !VERIFIED.toLowerCase(Locale.ROOT).equals(label.trim().toLowerCase(Locale.ROOT))
                || !votesWhenStarted() && !votesWhenCompleted()) {
            return Optional.empty();
        }
        String when = votesWhenStarted() && votesWhenCompleted() ? "when the build starts and when it ends"
                : votesWhenStarted() ? "when the build starts" : "when the build ends";
        return Optional.of(step + ": this job's Gerrit Trigger votes Verified itself (" + when + "), which replaces "
                + "the Verified vote of this step (one vote per account and label). Vote another label (e.g. label: "
                + "'Model-Verified'), or set the trigger to silent mode (Advanced → Silent Mode), or to silent start "
                + "mode with Skip Vote checked for every result, or let its server report over REST without the "
                + "Verified vote.");
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TriggerVoting)) {
            return false;
        }
        TriggerVoting other = (TriggerVoting) o;
        return silentMode == other.silentMode && silentStartMode == other.silentStartMode
                && skipAllResults == other.skipAllResults && restWithoutVerified == other.restWithoutVerified;
    }

    @Override
    public int hashCode() {
        return Objects.hash(silentMode, silentStartMode, skipAllResults, restWithoutVerified);
    }

    @Override
    public String toString() {
        return "Gerrit Trigger votes Verified " + (votesWhenStarted() ? "at start" : "not at start") + ", "
                + (votesWhenCompleted() ? "at the end" : "not at the end");
    }

    /** Gerrit Trigger's settings that decide its own votes; everything off is a trigger that votes at start and end. */
    public static final class Builder {
        private boolean silentMode;
        private boolean silentStartMode;
        private boolean skipSuccessful;
        private boolean skipFailed;
        private boolean skipUnstable;
        private boolean skipNotBuilt;
        private boolean skipAborted;
        private boolean restReporting;
        private boolean restVerified = true;

        private Builder() {
        }

        /**
         * How the trigger's server reports: over REST ({@code Use REST API}) it votes {@code Verified} only when
         * its {@code Verified} box is checked; over SSH it always may.
         */
        public Builder withRestReporting(final boolean overRest, final boolean withVerified) {
            this.restReporting = overRest;
            this.restVerified = withVerified;
            return this;
        }

        /** Silent mode: the trigger posts nothing. */
        public Builder withSilentMode(final boolean silent) {
            this.silentMode = silent;
            return this;
        }

        /** Silent start mode: nothing is posted when the build starts. */
        public Builder withSilentStartMode(final boolean silentStart) {
            this.silentStartMode = silentStart;
            return this;
        }

        /** "Skip vote" per build result (the completion message is still posted, without a vote). */
        public Builder withSkipVote(final boolean onSuccessful, final boolean onFailed, final boolean onUnstable,
                final boolean onNotBuilt, final boolean onAborted) {
            this.skipSuccessful = onSuccessful;
            this.skipFailed = onFailed;
            this.skipUnstable = onUnstable;
            this.skipNotBuilt = onNotBuilt;
            this.skipAborted = onAborted;
            return this;
        }

        public TriggerVoting build() {
            return new TriggerVoting(this);
        }
    }
}
