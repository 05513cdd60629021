package io.jenkins.plugins.gerritml.core.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies {@code lineage.json} envelopes against trusted keys: the signature over the payload, the payload's canonical
 * form and digest, every field of the readable record against the signed payload (naming each field that differs),
 * and for a chain that each promotion points at the digest of the record before it.
 *
 * <p>What can be named: an edit to the readable record (the usual tampering: the file is edited by hand or by a
 * tool) is named by its JSON pointer, and so is an edit to the payload alone (the signature then fails and the
 * payload disagrees with the record there). If both are edited alike, the signature still fails, but which field
 * changed cannot be told without a trusted copy; compare the digest with the one posted on the Gerrit change.
 */
public final class LineageVerifier {
    private final Map<String, LineageKey> keys = new LinkedHashMap<>();

    /** A verifier trusting {@code trusted} (public Ed25519 keys or shared HMAC keys), looked up by key id. */
    public LineageVerifier(final List<LineageKey> trusted) {
        trusted.forEach(key -> keys.put(key.getKeyId(), key));
    }

    /** Verifies one envelope. Never throws for a bad document: every problem is in the answer. */
    public LineageVerification verify(final String envelopeJson) {
        List<String> problems = new ArrayList<>();
        List<String> tampered = new ArrayList<>();
        Map<?, ?> envelope;
        try {
            Object parsed = CanonicalJson.parse(envelopeJson);
            if (!(parsed instanceof Map)) {
                return failed("", "", List.of("not a lineage envelope: the document is not a JSON object"));
            }
            envelope = (Map<?, ?>) parsed;
        } catch (IllegalArgumentException e) {
            return failed("", "", List.of("not a lineage envelope: " + e.getMessage()));
        }
        if (!SignedLineage.SCHEMA.equals(envelope.get("schema"))) {
            problems.add("envelope field /schema must be " + SignedLineage.SCHEMA + ", found "
                    + JsonFields.describe(envelope.get("schema")));
        }
        Object payloadValue = envelope.get("payload");
        if (!(payloadValue instanceof String)) {
            problems.add("envelope field /payload (the signed canonical record) is missing");
            return failed("", "", problems);
        }
        String payload = (String) payloadValue;
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(payloadBytes);
        Map<?, ?> signature = envelope.get("signature") instanceof Map ? (Map<?, ?>) envelope.get("signature")
                : Map.of();
        String keyId = signature.get("keyId") instanceof String ? (String) signature.get("keyId") : "";
        String algorithm = signature.get("algorithm") instanceof String ? (String) signature.get("algorithm") : "";

        boolean signatureHolds = false;
        LineageKey key = keys.get(keyId);
        if (keyId.isEmpty()) {
            problems.add("envelope field /signature/keyId is missing: cannot tell which key signed it");
        } else if (key == null) {
            problems.add("signed with key '" + keyId + "', which is not among the trusted keys ("
                    + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())) + ")");
        } else if (!key.getAlgorithm().equals(algorithm)) {
            problems.add("envelope field /signature/algorithm says '" + algorithm + "' but key '" + keyId + "' is "
                    + key.getAlgorithm());
        } else {
            byte[] value;
            try {
                value = Base64.getDecoder().decode(String.valueOf(signature.get("value")));
            } catch (IllegalArgumentException e) {
                value = new byte[0];
            }
            signatureHolds = key.verify(payloadBytes, value);
            if (!signatureHolds) {
                problems.add("the signature does not verify with key '" + keyId + "': the signed payload or the "
                        + "signature was altered after signing");
            }
        }
        if (!digest.equals(envelope.get("digest"))) {
            problems.add("envelope field /digest is " + JsonFields.describe(envelope.get("digest"))
                    + " but the payload's SHA-256 is " + digest);
        }

        Object signedTree;
        try {
            signedTree = CanonicalJson.parse(payload);
        } catch (IllegalArgumentException e) {
            problems.add("the signed payload is not JSON: " + e.getMessage());
            return failed(digest, keyId, problems);
        }
        if (!CanonicalJson.write(signedTree).equals(payload)) {
            problems.add("the signed payload is not in canonical form, so it was not written by a signer");
        }
        if (!envelope.containsKey("record")) {
            problems.add("envelope field /record is missing");
        } else {
            for (String path : CanonicalJson.diff(envelope.get("record"), signedTree)) {
                tampered.add(path);
                problems.add("field " + path + " differs from what the signature covers: signed "
                        + show(at(signedTree, path)) + ", found " + show(at(envelope.get("record"), path)));
            }
        }
        if (!signatureHolds && tampered.isEmpty() && key != null && key.getAlgorithm().equals(algorithm)) {
            problems.add("the record matches the payload, so both were altered alike (or re-signed by another key "
                    + "using the id '" + keyId + "'): compare the digest with the one posted on the Gerrit change");
        }
        LineageRecord record = null;
        if (signatureHolds) {
            try {
                record = LineageRecord.fromJson(signedTree);
                if (!record.toCanonicalJson().equals(payload)) {
                    problems.add("the signed payload has fields this version does not know: "
                            + CanonicalJson.diff(record.toJson(), signedTree));
                }
            } catch (LineageFormatException e) {
                problems.add("the signed payload is not a valid lineage record: " + e.getMessage());
            }
        }
        return new LineageVerification(digest, keyId, problems.isEmpty() ? record : null, problems, tampered);
    }

    /**
     * Verifies a promotion chain, oldest first: every envelope, and that each record after the first is a promotion
     * of the one before it (its {@code promotes} equals that record's digest). The answer is about the newest record
     * and carries the problems of all of them, each prefixed with the record's position.
     */
    public LineageVerification verifyChain(final List<String> oldestFirst) {
        if (oldestFirst.isEmpty()) {
            return failed("", "", List.of("an empty chain proves nothing: give at least one lineage file"));
        }
        List<String> problems = new ArrayList<>();
        List<String> tampered = new ArrayList<>();
        LineageVerification previous = null;
        LineageVerification current = null;
        for (int i = 0; i < oldestFirst.size(); i++) {
            current = verify(oldestFirst.get(i));
            String where = "record " + (i + 1) + " of " + oldestFirst.size() + ": ";
            current.getProblems().forEach(p -> problems.add(where + p));
            current.getTamperedFields().forEach(f -> tampered.add(where + f));
            if (previous != null && current.getRecord().isPresent()) {
                LineageRecord record = current.getRecord().get();
                if (record.getKind() != LineageRecord.Kind.PROMOTION) {
                    problems.add(where + "is a " + record.getKind().name().toLowerCase(java.util.Locale.ROOT)
                            + " record, not a promotion of record " + i);
                } else if (!record.getPromotes().equals(previous.getDigest())) {
                    problems.add(where + "promotes " + record.getPromotes() + " but record " + i + " has digest "
                            + previous.getDigest() + ": the chain is broken");
                }
            }
            previous = current;
        }
        return new LineageVerification(current.getDigest(), current.getKeyId(),
                problems.isEmpty() ? current.getRecord().orElse(null) : null, problems, tampered);
    }

    private static LineageVerification failed(final String digest, final String keyId, final List<String> problems) {
        return new LineageVerification(digest, keyId, null, problems, List.of());
    }

    /** The value at a JSON pointer, or a marker when absent. */
    private static Object at(final Object tree, final String pointer) {
        Object node = tree;
        if (pointer.equals("/")) {
            return node;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String part = raw.replace("~1", "/").replace("~0", "~");
            if (node instanceof Map && ((Map<?, ?>) node).containsKey(part)) {
                node = ((Map<?, ?>) node).get(part);
            } else if (node instanceof List && part.matches("\\d+") && Integer.parseInt(part) < ((List<?>) node).size()) {
                node = ((List<?>) node).get(Integer.parseInt(part));
            } else {
                return Absent.INSTANCE;
            }
        }
        return node;
    }

    private static String show(final Object value) {
        if (value == Absent.INSTANCE) {
            return "nothing";
        }
        String text = CanonicalJson.write(value);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    private enum Absent { INSTANCE }
}
