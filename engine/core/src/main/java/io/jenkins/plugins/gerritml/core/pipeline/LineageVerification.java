package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier found: valid, or every problem in words plus the JSON pointers of the fields that differ from what
 * the signature covers. The record is present only when the signature held (it is then read from the signed payload,
 * never from the editable copy).
 */
public final class LineageVerification {
    private final String digest;
    private final String keyId;
    private final LineageRecord record;
    private final List<String> problems;
    private final List<String> tamperedFields;

    LineageVerification(final String digest, final String keyId, final LineageRecord record,
            final List<String> problems, final List<String> tamperedFields) {
        this.digest = digest;
        this.keyId = keyId;
        this.record = record;
        this.problems = List.copyOf(problems);
        this.tamperedFields = List.copyOf(tamperedFields);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The digest of the signed payload, empty when there was none. */
    public String getDigest() {
        return digest;
    }

    public String getKeyId() {
        return keyId;
    }

    /** The signed record, when the signature held. */
    public Optional<LineageRecord> getRecord() {
        return Optional.ofNullable(record);
    }

    public List<String> getProblems() {
        return problems;
    }

    /** JSON pointers into the record (e.g. {@code /approvals/0/value}) that differ from the signed payload. */
    public List<String> getTamperedFields() {
        return tamperedFields;
    }

    /** One paragraph for a log or a review message. */
    public String summary() {
        if (isValid()) {
            return "Lineage " + digest + " verified (signed by " + keyId + ")";
        }
        return "Lineage " + (digest.isEmpty() ? "" : digest + " ") + "failed verification: "
                + String.join("; ", problems);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageVerification)) {
            return false;
        }
        LineageVerification other = (LineageVerification) o;
        return digest.equals(other.digest) && keyId.equals(other.keyId) && Objects.equals(record, other.record)
                && problems.equals(other.problems) && tamperedFields.equals(other.tamperedFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digest, keyId, record, problems, tamperedFields);
    }

    @Override
    public String toString() {
        return summary();
    }
}
