package io.jenkins.plugins.gerritml.core.sagemaker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Deterministic SageMaker resource names. The same change, patch set and build always give the same training job
 * name, so a restarted Jenkins finds the job it started instead of starting a second one.
 */
public final class SageMakerNames {
    /** SageMaker's rule for job, model, endpoint and endpoint config names. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private SageMakerNames() {
    }

    /** E.g. {@code ml-fraud-model-c1234-p2-b17}; long project names are cut and get a hash of the full name. */
    public static String trainingJobName(final TrainingContext context) {
        return fit(context.getProject(), "c" + context.getChangeNumber() + "-p" + context.getPatchSet() + "-b"
                + context.getBuildNumber());
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
