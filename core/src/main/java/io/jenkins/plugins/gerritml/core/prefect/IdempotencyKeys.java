package io.jenkins.plugins.gerritml.core.prefect;

/**
 * Idempotency keys for flow runs: the same change, patch set, build and step always give the same key, so a
 * restarted Jenkins that creates the run again gets the existing run back from Prefect instead of a second one.
 */
public final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    /**
     * {@code gerrit-ml:<change>/<patchSet>:<build>:<step>}, e.g. {@code gerrit-ml:42/3:ml-train#17:train}.
     *
     * @param build the build's stable id (job full name and number)
     * @param step  the step's id within the build (its name or a counter), so two runs in one build differ
     */
    public static String of(final int change, final int patchSet, final String build, final String step) {
        if (change <= 0 || patchSet <= 0) {
            throw new IllegalArgumentException("idempotency key: change and patch set must be positive, were "
                    + change + "/" + patchSet);
        }
        if (build == null || build.isBlank()) {
            throw new IllegalArgumentException("idempotency key: the build id is required");
        }
        if (step == null || step.isBlank()) {
            throw new IllegalArgumentException("idempotency key: the step id is required");
        }
        return "gerrit-ml:" + change + "/" + patchSet + ":" + build.trim() + ":" + step.trim();
    }
}
