package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that signs or verifies lineage, supplied by the caller: Ed25519 (the JDK's own implementation; verifiers need
 * only the public key) or HMAC-SHA256 over a shared secret (for teams that prefer one). Every key has an id that the
 * signature carries, so a verifier can pick the right key and a rotated key is visible. Key material never appears
 * in {@link #toString()}.
 */
public final class LineageKey {
    /** The Ed25519 signature algorithm's name in the envelope. */
    public static final String ED25519 = "Ed25519";
    /** The HMAC algorithm's name in the envelope. */
    public static final String HMAC_SHA256 = "HmacSHA256";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final String PEM_PRIVATE = "PRIVATE KEY";
    private static final String PEM_PUBLIC = "PUBLIC KEY";

    private final String keyId;
    private final String algorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Secret secret;

    private LineageKey(final String keyId, final String algorithm, final PrivateKey privateKey,
            final PublicKey publicKey, final Secret secret) {
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.secret = secret;
    }

    /** A new Ed25519 key pair; its id is derived from the public key ({@code ed25519:<16 hex>}). */
    public static LineageKey generateEd25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ED25519).generateKeyPair();
            return ed25519(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519 (Java 15+ has): " + e.getMessage(), e);
        }
    }

    /** An Ed25519 signing key; the id is derived from the public key. */
    public static LineageKey ed25519(final PrivateKey privateKey, final PublicKey publicKey) {
        return new LineageKey(fingerprint(publicKey), ED25519, Objects.requireNonNull(privateKey, "privateKey"),
                Objects.requireNonNull(publicKey, "publicKey"), Secret.empty());
    }

    /** An Ed25519 key that can only verify. */
    public static LineageKey ed25519Public(final PublicKey publicKey) {
        return new LineageKey(fingerprint(publicKey), ED25519, null, Objects.requireNonNull(publicKey, "publicKey"),
                Secret.empty());
    }

    /**
     * An HMAC-SHA256 key over a shared secret, named by the caller (a hash of the secret would leak something about
     * it, so the id is not derived).
     *
     * @throws IllegalArgumentException when the id is malformed or the secret shorter than 32 bytes
     */
    public static LineageKey hmac(final String keyId, final Secret secret) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("HMAC key id '" + keyId + "' must be 1-128 letters, digits or . _ : @ -"
                    + ", e.g. ml-team-2024");
        }
        if (secret.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the HMAC secret for key '" + keyId + "' is shorter than 32 bytes: use "
                    + "at least 32 random bytes, e.g. `openssl rand -base64 32`");
        }
        return new LineageKey(keyId, HMAC_SHA256, null, null, secret);
    }

    /** Reads an Ed25519 private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) with its public key. */
    public static LineageKey fromPem(final String privatePem, final String publicPem) {
        try {
            KeyFactory factory = KeyFactory.getInstance(ED25519);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pem(privatePem, PEM_PRIVATE)));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(pem(publicPem, PEM_PUBLIC)));
            return ed25519(privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key in PEM form: " + e.getMessage(), e);
        }
    }

    /** Reads an Ed25519 public key from X.509 PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static LineageKey fromPublicPem(final String publicPem) {
        try {
            return ed25519Public(KeyFactory.getInstance(ED25519).generatePublic(
                    new X509EncodedKeySpec(pem(publicPem, PEM_PUBLIC))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key in PEM form: " + e.getMessage(), e);
        }
    }

    /** The private key as PKCS#8 PEM, to store in a secret store. */
    public String privateKeyPem() {
        if (privateKey == null) {
            throw new IllegalStateException("key " + keyId + " has no private key");
        }
        return toPem(PEM_PRIVATE, privateKey.getEncoded());
    }

    /** The public key as X.509 PEM, to hand to verifiers. */
    public String publicKeyPem() {
        if (publicKey == null) {
            throw new IllegalStateException("key " + keyId + " is a shared secret: it has no public half");
        }
        return toPem(PEM_PUBLIC, publicKey.getEncoded());
    }

    /** The public half of an Ed25519 key (an HMAC key has none: returns itself). */
    public LineageKey verifyingKey() {
        return publicKey == null ? this : ed25519Public(publicKey);
    }

    public String getKeyId() {
        return keyId;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public boolean canSign() {
        return privateKey != null || !secret.isEmpty();
    }

    /**
     * Signs {@code data}.
     *
     * @throws IllegalStateException when this key can only verify
     */
    public byte[] sign(final byte[] data) {
        try {
            if (HMAC_SHA256.equals(algorithm)) {
                return mac(data);
            }
            if (privateKey == null) {
                throw new IllegalStateException("key " + keyId + " is a public key and cannot sign: supply the private"
                        + " key");
            }
            Signature signature = Signature.getInstance(ED25519);
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with key " + keyId + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is this key's signature of {@code data}. */
    public boolean verify(final byte[] data, final byte[] signature) {
        try {
            if (HMAC_SHA256.equals(algorithm)) {
                return MessageDigest.isEqual(mac(data), signature);
            }
            Signature verifier = Signature.getInstance(ED25519);
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (InvalidKeyException e) {
            return false;
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("verifying with key " + keyId + " failed: " + e.getMessage(), e);
        }
    }

    private byte[] mac(final byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(HMAC_SHA256);
        mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
        return mac.doFinal(data);
    }

    /** The secret of an HMAC key, so an audit log can scrub it; empty for Ed25519. */
    public Secret getSecret() {
        return secret;
    }

    private static String fingerprint(final PublicKey key) {
        return "ed25519:" + Digests.sha256Hex(key.getEncoded()).substring(0, 16);
    }

    private static byte[] pem(final String text, final String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    private static String toPem(final String type, final byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return algorithm + " key " + keyId + (canSign() ? "" : " (verify only)");
    }
}
