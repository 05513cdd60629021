package io.jenkins.plugins.gerritml.core.pipeline;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests written as {@code sha256:<64 lower-case hex>}, the form lineage cites records by. */
public final class Digests {
    private Digests() {
    }

    /** {@code sha256:<hex>} of {@code bytes}. */
    public static String sha256(final byte[] bytes) {
        return "sha256:" + sha256Hex(bytes);
    }

    /** The bare 64-digit hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
