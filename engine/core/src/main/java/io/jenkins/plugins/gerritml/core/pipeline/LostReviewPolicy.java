package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a review that could not be posted does to the step: a host setting (Jenkins: global configuration). */
public enum LostReviewPolicy {
    /** The step fails: reviewers must not miss a result. */
    FAIL,
    /** The step returns its result and the build is marked unstable. */
    UNSTABLE;

    /** The default: a result reviewers never saw is never hidden behind a green (or merely yellow) build. */
    public static final LostReviewPolicy DEFAULT = FAIL;

    /**
     * What {@code delivery} does to a step that otherwise succeeded: nothing when the review arrived or none was asked
     * for; a failure or an unstable build, as this policy says, when it was lost.
     */
    public JobOutcome.Status statusFor(final ReviewDelivery delivery) {
        if (!delivery.isLost()) {
            return JobOutcome.Status.SUCCESS;
        }
        return this == FAIL ? JobOutcome.Status.FAILURE : JobOutcome.Status.UNSTABLE;
    }

    /**
     * Reads the setting as an administrator wrote it (any case; blank means {@link #DEFAULT}); anything else is refused
     * naming the values that are.
     */
    public static LostReviewPolicy fromSetting(@CheckForNull final String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT;
        }
        try {
            return valueOf(setting.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lost review: '" + setting.trim() + "' is not one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")), e);
        }
    }
}
