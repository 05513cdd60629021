package io.jenkins.plugins.gerritml.core.sagemaker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Deterministic SageMaker resource names. The same CI job, change, patch set and build always give the same training
 * job name, so a restarted Jenkins finds the job it started instead of starting a second one; two CI jobs never give
 * the same name, so one pipeline never adopts another's job.
 */
public final class SageMakerNames {
    /** SageMaker's rule for job, model, endpoint and endpoint config names. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private SageMakerNames() {
    }

    /**
     * E.g. {@code ml-fraud-model-train-2f0c81ad-c1234-p2-b17}: the project, the CI job's last name segment, an 8-hex
     * hash of the job's full name (names that sanitize alike, such as {@code a/b} and {@code a-b}, stay apart), then
     * change, patch set and build, and the step when a build trains in several (parallel branches). Longer than 63
     * characters, project and job are cut and get a hash of the whole.
     * Without a CI job (a library caller running one pipeline) it is {@code ml-fraud-model-c1234-p2-b17}.
     */
    public static String trainingJobName(final TrainingContext context) {
        return forBuild(context.getProject(), context);
    }

    /**
     * {@code base}, the CI job and the build of {@code context} in one name of at most 63 characters, the same for
     * the same inputs, different for different CI jobs: what training jobs, models and endpoint configs are named.
     */
    public static String forBuild(final String base, final TrainingContext context) {
        String job = context.getJob();
        String build = "c" + context.getChangeNumber() + "-p" + context.getPatchSet() + "-b"
                + context.getBuildNumber() + (context.getStep().isEmpty() ? "" : "-s" + context.getStep());
        if (job.isEmpty()) {
            return fit(base, build);
        }
        String leaf = job.substring(job.lastIndexOf('/') + 1);
        String readable = sanitize(base) + (sanitize(leaf).isEmpty() ? "" : "-" + sanitize(leaf));
        String tail = sha256Hex("job\u0000" + job).substring(0, HASH_LENGTH) + "-" + build;
        return fit(readable.isEmpty() ? base : readable, tail);
    }

    /**
     * {@code base-suffix}, each sanitized (any run of characters SageMaker does not allow becomes one hyphen). If that
     * is longer than 63 characters, {@code base} is cut and an 8-hex hash of the uncut input keeps different inputs
     * apart: {@code base-cut-1a2b3c4d-suffix}. An empty suffix is left out.
     */
    public static String fit(final String base, final String suffix) {
        String cleanBase = sanitize(base);
        if (cleanBase.isEmpty()) {
            cleanBase = "gerrit";
        }
        String cleanSuffix = sanitize(suffix);
        String tail = cleanSuffix.isEmpty() ? "" : "-" + cleanSuffix;
        String full = cleanBase + tail;
        if (full.length() <= MAX_LENGTH) {
            return full;
        }
        String hash = sha256Hex(base + "\u0000" + suffix).substring(0, HASH_LENGTH);
        int room = MAX_LENGTH - tail.length() - HASH_LENGTH - 1;
        if (room < 1) { // the suffix alone is too long: keep its start and the hash
            return trimHyphens(cleanSuffix.substring(0, MAX_LENGTH - HASH_LENGTH - 1)) + "-" + hash;
        }
        return trimHyphens(cleanBase.substring(0, room)) + "-" + hash + tail;
    }

    /** Letters and digits kept, everything else collapsed to single hyphens, no hyphen at either end. */
    static String sanitize(final String text) {
        return trimHyphens(text.replaceAll("[^a-zA-Z0-9]+", "-"));
    }

    private static String trimHyphens(final String text) {
        return text.replaceAll("^-+|-+$", "");
    }

    static String sha256Hex(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
