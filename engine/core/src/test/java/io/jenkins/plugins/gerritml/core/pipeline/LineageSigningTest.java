package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Secret;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LineageSigningTest {
    private static final LineageKey ED25519 = LineageKey.generateEd25519();
    private static final LineageKey HMAC = LineageKey.hmac("ml-team-2024",
            Secret.of("an-hmac-secret-of-at-least-32-bytes-0123456789"));

    @Test
    void shouldSignAndVerifyWithEd25519FromThePublicKeyOnly() {
        LineageRecord record = LineageSamples.training();
        SignedLineage signed = SignedLineage.sign(record, ED25519);

        LineageVerification verification = new LineageVerifier(List.of(ED25519.verifyingKey()))
                .verify(signed.toJsonText());

        assertThat(verification.isValid()).as(verification.summary()).isTrue();
        assertThat(verification.getRecord()).contains(record);
        assertThat(verification.getDigest()).isEqualTo(record.getDigest()).isEqualTo(signed.getDigest())
                .matches("sha256:[0-9a-f]{64}");
        assertThat(verification.getKeyId()).isEqualTo(ED25519.getKeyId()).matches("ed25519:[0-9a-f]{16}");
        assertThat(ED25519.verifyingKey().canSign()).isFalse();
    }

    @Test
    void shouldSignAndVerifyWithASharedHmacSecretAndRejectTheWrongOne() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), HMAC);

        assertThat(new LineageVerifier(List.of(HMAC)).verify(signed.toJsonText()).isValid()).isTrue();
        LineageKey impostor = LineageKey.hmac("ml-team-2024", Secret.of("another-secret-of-at-least-32-bytes-xxxxx"));
        LineageVerification wrong = new LineageVerifier(List.of(impostor)).verify(signed.toJsonText());
        assertThat(wrong.isValid()).isFalse();
        assertThat(wrong.getProblems()).anySatisfy(p -> assertThat(p).contains("signature does not verify"));
        assertThat(signed.toJsonText()).doesNotContain("an-hmac-secret");
        assertThat(HMAC.toString()).doesNotContain("an-hmac-secret");
        assertThatIllegalArgumentException().isThrownBy(() -> LineageKey.hmac("k", Secret.of("short")))
                .withMessageContaining("shorter than 32 bytes").withMessageNotContaining("short\"");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingIt() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), LineageKey.generateEd25519());

        LineageVerification verification = new LineageVerifier(List.of(ED25519.verifyingKey()))
                .verify(signed.toJsonText());

        assertThat(verification.isValid()).isFalse();
        assertThat(verification.getProblems()).first().asString().contains("signed with key '" + signed.getKeyId()
                + "', which is not among the trusted keys (" + ED25519.getKeyId() + ")");
    }

    @Test
    void shouldRoundTripKeysThroughPem() {
        LineageKey restored = LineageKey.fromPem(ED25519.privateKeyPem(), ED25519.publicKeyPem());
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), restored);

        assertThat(restored.getKeyId()).isEqualTo(ED25519.getKeyId());
        assertThat(new LineageVerifier(List.of(LineageKey.fromPublicPem(ED25519.publicKeyPem())))
                .verify(signed.toJsonText()).isValid()).isTrue();
    }

    /** Every leaf of the readable record, changed alone, is detected and named by its JSON pointer. */
    @Test
    void shouldDetectAndNameEverySingleFieldTamperingOfTheRecord() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), ED25519);
        LineageVerifier verifier = new LineageVerifier(List.of(ED25519.verifyingKey()));
        Map<String, Object> envelope = mutable(CanonicalJson.parse(signed.toJsonText()));
        List<String> leaves = leaves(envelope.get("record"), "");
        assertThat(leaves).hasSizeGreaterThan(40).contains("/approvals/0/account/username", "/approvals/0/value",
                "/gerrit/revision", "/job/inputs/0", "/job/parameters/epochs", "/outputs/0/sha256",
                "/metrics/val_accuracy", "/times/started", "/build/url", "/trigger/type", "/promotes", "/schema");

        SoftAssertions softly = new SoftAssertions();
        for (String leaf : leaves) {
            Map<String, Object> tampered = mutable(CanonicalJson.parse(signed.toJsonText()));
            tamper(tampered.get("record"), leaf);

            LineageVerification verification = verifier.verify(CanonicalJson.write(tampered));

            softly.assertThat(verification.isValid()).as("tampered " + leaf).isFalse();
            softly.assertThat(verification.getTamperedFields()).as("tampered " + leaf).containsExactly(leaf);
            softly.assertThat(verification.getRecord()).as("tampered " + leaf).isEmpty();
        }
        softly.assertAll();
    }

    /** The same for the signed payload: the signature fails, and the field is named against the readable record. */
    @Test
    void shouldDetectAndNameEverySingleFieldTamperingOfThePayload() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), ED25519);
        LineageVerifier verifier = new LineageVerifier(List.of(ED25519.verifyingKey()));

        SoftAssertions softly = new SoftAssertions();
        for (String leaf : leaves(CanonicalJson.parse(signed.getPayload()), "")) {
            Map<String, Object> envelope = mutable(CanonicalJson.parse(signed.toJsonText()));
            Object payload = mutable(CanonicalJson.parse(signed.getPayload()));
            tamper(payload, leaf);
            envelope.put("payload", CanonicalJson.write(payload));

            LineageVerification verification = verifier.verify(CanonicalJson.write(envelope));

            softly.assertThat(verification.getProblems()).as("tampered payload " + leaf)
                    .anySatisfy(p -> assertThat(p).contains("signature does not verify"));
            softly.assertThat(verification.getTamperedFields()).as("tampered payload " + leaf).containsExactly(leaf);
        }
        softly.assertAll();
    }

    @Test
    void shouldDetectAddedRemovedAndConsistentlyEditedFieldsAndABadSignatureOrDigest() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), ED25519);
        LineageVerifier verifier = new LineageVerifier(List.of(ED25519.verifyingKey()));

        Map<String, Object> added = mutable(CanonicalJson.parse(signed.toJsonText()));
        ((Map<String, Object>) ((Map<String, Object>) added.get("record")).get("metrics"))
                .put("test_accuracy", new BigDecimal("0.99"));
        assertThat(verifier.verify(CanonicalJson.write(added)).getTamperedFields())
                .containsExactly("/metrics/test_accuracy");

        Map<String, Object> removed = mutable(CanonicalJson.parse(signed.toJsonText()));
        ((List<Object>) ((Map<String, Object>) removed.get("record")).get("approvals")).clear();
        assertThat(verifier.verify(CanonicalJson.write(removed)).getTamperedFields())
                .containsExactly("/approvals/0");

        // Both copies edited alike: the signature catches it, the field cannot be named without a trusted copy.
        Map<String, Object> both = mutable(CanonicalJson.parse(signed.toJsonText()));
        Map<String, Object> payload = mutable(CanonicalJson.parse(signed.getPayload()));
        ((Map<String, Object>) payload.get("gerrit")).put("patchSet", 4);
        ((Map<String, Object>) ((Map<String, Object>) both.get("record")).get("gerrit")).put("patchSet", 4);
        both.put("payload", CanonicalJson.write(payload));
        LineageVerification alike = verifier.verify(CanonicalJson.write(both));
        assertThat(alike.isValid()).isFalse();
        assertThat(alike.getProblems()).anySatisfy(p -> assertThat(p).contains("signature does not verify"))
                .anySatisfy(p -> assertThat(p).contains("both were altered alike"));

        Map<String, Object> badSignature = mutable(CanonicalJson.parse(signed.toJsonText()));
        ((Map<String, Object>) badSignature.get("signature")).put("value",
                java.util.Base64.getEncoder().encodeToString(new byte[64]));
        assertThat(verifier.verify(CanonicalJson.write(badSignature)).getProblems())
                .anySatisfy(p -> assertThat(p).contains("signature does not verify"));

        Map<String, Object> badDigest = mutable(CanonicalJson.parse(signed.toJsonText()));
        badDigest.put("digest", LineageSamples.DIGEST_OF_NOTHING);
        assertThat(verifier.verify(CanonicalJson.write(badDigest)).getProblems()).singleElement().asString()
                .contains("envelope field /digest");

        assertThat(verifier.verify("not json").getProblems()).singleElement().asString()
                .startsWith("not a lineage envelope");
    }

    @Test
    void shouldNameTheTamperedFieldWithBothValues() {
        SignedLineage signed = SignedLineage.sign(LineageSamples.training(), ED25519);
        String edited = signed.toJsonText().replace("\"value\" : 2", "\"value\" : 1");
        assertThat(edited).isNotEqualTo(signed.toJsonText());

        LineageVerification verification = new LineageVerifier(List.of(ED25519.verifyingKey())).verify(edited);

        assertThat(verification.getProblems()).containsExactly(
                "field /approvals/0/value differs from what the signature covers: signed 2, found 1");
    }

    @Test
    void shouldCheckThePromotionChain() {
        LineageRecord trained = LineageSamples.training();
        LineageRecord promoted = LineageSamples.promotionOf(trained);
        LineageVerifier verifier = new LineageVerifier(List.of(ED25519.verifyingKey()));
        String first = SignedLineage.sign(trained, ED25519).toJsonText();
        String second = SignedLineage.sign(promoted, ED25519).toJsonText();

        LineageVerification chain = verifier.verifyChain(List.of(first, second));
        assertThat(chain.isValid()).as(chain.summary()).isTrue();
        assertThat(chain.getRecord()).contains(promoted);
        assertThat(promoted.getPromotes()).isEqualTo(trained.getDigest());

        LineageRecord other = trained.toBuilder().withBuild("https://ci.example.com/job/train/18/", "18").build();
        LineageVerification broken = verifier.verifyChain(List.of(SignedLineage.sign(other, ED25519).toJsonText(),
                second));
        assertThat(broken.getProblems()).singleElement().asString()
                .isEqualTo("record 2 of 2: promotes " + trained.getDigest() + " but record 1 has digest "
                        + other.getDigest() + ": the chain is broken");

        assertThat(verifier.verifyChain(List.of(first, first)).getProblems()).singleElement().asString()
                .contains("is a training record, not a promotion of record 1");
        assertThatIllegalArgumentException().isThrownBy(() -> trained.toBuilder().promoting("sha256:abc").build())
                .withMessageContaining("/promotes");
    }

    @Test
    void shouldRoundTripTheRecordThroughJsonAndRefuseBadShapesNamingTheField() {
        LineageRecord record = LineageSamples.training();

        assertThat(LineageRecord.fromJson(CanonicalJson.parse(record.toCanonicalJson()))).isEqualTo(record);
        assertThat(LineageRecord.fromJson(CanonicalJson.parse(record.toCanonicalJson())).toCanonicalJson())
                .isEqualTo(record.toCanonicalJson());

        Map<String, Object> json = mutable(CanonicalJson.parse(record.toCanonicalJson()));
        ((Map<String, Object>) json.get("gerrit")).put("change", "forty-two");
        assertThatIllegalArgumentException().isThrownBy(() -> LineageRecord.fromJson(json))
                .isInstanceOf(LineageFormatException.class)
                .withMessage("lineage field /gerrit/change must be a number, found the string \"forty-two\"");
    }

    @Test
    void shouldObeyEqualsContracts() {
        for (Class<?> type : List.of(LineageAccount.class, LineageApproval.class, LineageArtifact.class,
                LineageJob.class, LineageRecord.class, SignedLineage.class, LineageVerification.class)) {
            EqualsVerifier.forClass(type).suppress(Warning.NULL_FIELDS).verify();
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private static <T> T mutable(final Object tree) {
        if (tree instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) tree).forEach((k, v) -> copy.put(k, mutable(v)));
            return (T) copy;
        }
        if (tree instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<Object>) tree).forEach(v -> copy.add(mutable(v)));
            return (T) copy;
        }
        return (T) tree;
    }

    private static List<String> leaves(final Object tree, final String path) {
        List<String> result = new ArrayList<>();
        if (tree instanceof Map) {
            ((Map<?, ?>) tree).forEach((k, v) -> result.addAll(leaves(v, path + "/" + k)));
        } else if (tree instanceof List) {
            List<?> list = (List<?>) tree;
            for (int i = 0; i < list.size(); i++) {
                result.addAll(leaves(list.get(i), path + "/" + i));
            }
        } else {
            result.add(path);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static void tamper(final Object tree, final String path) {
        String[] parts = path.substring(1).split("/");
        Object node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node instanceof Map ? ((Map<String, Object>) node).get(parts[i])
                    : ((List<Object>) node).get(Integer.parseInt(parts[i]));
        }
        String last = parts[parts.length - 1];
        Object old = node instanceof Map ? ((Map<String, Object>) node).get(last)
                : ((List<Object>) node).get(Integer.parseInt(last));
        Object changed = old instanceof BigDecimal ? ((BigDecimal) old).add(BigDecimal.ONE)
                : old instanceof Boolean ? !((Boolean) old) : old + "x";
        if (node instanceof Map) {
            ((Map<String, Object>) node).put(last, changed);
        } else {
            ((List<Object>) node).set(Integer.parseInt(last), changed);
        }
    }
}
