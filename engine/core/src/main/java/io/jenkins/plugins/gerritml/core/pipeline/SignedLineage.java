package io.jenkins.plugins.gerritml.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A lineage record with its signature, as written to {@code lineage.json}: the readable {@code record}, the signed
 * {@code payload} (the record's canonical JSON as one string), its {@code digest} and the {@code signature}
 * (algorithm, key id, Base64 value) over the payload's UTF-8 bytes.
 *
 * <p>The payload is what the signature covers; the record is there for people and tools to read. A verifier checks
 * the signature over the payload and then compares the record with the payload field by field, so an edited field is
 * named (see {@link LineageVerifier}).
 */
public final class SignedLineage {
    /** The envelope's schema. */
    public static final String SCHEMA = "gerrit-ml/signed-lineage/v1";
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LineageRecord record;
    private final String payload;
    private final String digest;
    private final String algorithm;
    private final String keyId;
    private final String signature;

    private SignedLineage(final LineageRecord record, final String payload, final String algorithm,
            final String keyId, final String signature) {
        this.record = record;
        this.payload = payload;
        this.digest = Digests.sha256(payload.getBytes(StandardCharsets.UTF_8));
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.signature = signature;
    }

    /**
     * Signs {@code record} with {@code key}.
     *
     * @throws IllegalStateException when the key can only verify
     */
    public static SignedLineage sign(final LineageRecord record, final LineageKey key) {
        String payload = record.toCanonicalJson();
        byte[] value = key.sign(payload.getBytes(StandardCharsets.UTF_8));
        return new SignedLineage(record, payload, key.getAlgorithm(), key.getKeyId(),
                Base64.getEncoder().encodeToString(value));
    }

    public LineageRecord getRecord() {
        return record;
    }

    /** The canonical JSON the signature covers. */
    public String getPayload() {
        return payload;
    }

    /** {@code sha256:<hex>} of the payload, equal to {@link LineageRecord#getDigest()}. */
    public String getDigest() {
        return digest;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public String getKeyId() {
        return keyId;
    }

    /** The Base64 signature value. */
    public String getSignature() {
        return signature;
    }

    /** The envelope as a JSON tree. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", SCHEMA);
        json.put("record", record.toJson());
        json.put("digest", digest);
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("algorithm", algorithm);
        sig.put("keyId", keyId);
        sig.put("value", signature);
        json.put("signature", sig);
        json.put("payload", payload);
        return json;
    }

    /** The envelope as indented JSON text: the content of {@code lineage.json}, what to archive with the build. */
    public String toJsonText() {
        try {
            return PRETTY.writeValueAsString(toJson()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lineage envelope could not be written: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SignedLineage)) {
            return false;
        }
        SignedLineage other = (SignedLineage) o;
        return record.equals(other.record) && payload.equals(other.payload) && digest.equals(other.digest)
                && algorithm.equals(other.algorithm) && keyId.equals(other.keyId) && signature.equals(other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(record, payload, digest, algorithm, keyId, signature);
    }

    @Override
    public String toString() {
        return record + " " + digest + " signed by " + algorithm + " key " + keyId;
    }
}
