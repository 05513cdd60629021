package io.jenkins.plugins.gerritml.core.prefect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency keys for flow runs: the same CI job, build, change, patch set and step always give the same key, so a
 * restarted Jenkins that creates the run again gets the existing run back from Prefect instead of a second one; two
 * CI jobs never share a key, so one pipeline never re-attaches to another's run.
 */
public final class IdempotencyKeys {
    /** Keys longer than this are cut and end in a hash of the whole key: deterministic, and still distinct. */
    static final int MAX_LENGTH = 200;
    private static final int HASH_LENGTH = 16;

    private IdempotencyKeys() {
    }

    /**
     * {@code gerrit-ml:<change>/<patchSet>:<build>:<step>}, e.g. {@code gerrit-ml:42/3:ml/train#17:train}.
     *
     * @param build the build's stable id, which must hold the CI job's full name and the build number (Jenkins:
     *              {@code Run.getExternalizableId()}, {@code ml/train#17}; the command line: {@code BUILD_TAG})
     * @param step  the step's id within the build (its name or a counter), so two runs in one build differ
     */
    public static String of(final int change, final int patchSet, final String build, final String step) {
        if (change <= 0 || patchSet <= 0) {
            throw new IllegalArgumentException("idempotency key: change and patch set must be positive, were "
                    + change + "/" + patchSet);
        }
        return fit("gerrit-ml:" + change + "/" + patchSet + ":" + required(build, "build id") + ":"
                + required(step, "step id"));
    }

    /** {@code gerrit-ml:<build>:<step>}, for a run outside any review (no Gerrit context). */
    public static String forBuild(final String build, final String step) {
        return fit("gerrit-ml:" + required(build, "build id") + ":" + required(step, "step id"));
    }

    private static String required(final String value, final String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("idempotency key: the " + what + " is required");
        }
        return value.trim();
    }

    static String fit(final String key) {
        if (key.length() <= MAX_LENGTH) {
            return key;
        }
        return key.substring(0, MAX_LENGTH - HASH_LENGTH - 1) + "~" + sha256Hex(key).substring(0, HASH_LENGTH);
    }

    private static String sha256Hex(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
