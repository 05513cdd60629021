package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.LineageAccount;
import io.jenkins.plugins.gerritml.core.pipeline.LineageApproval;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The artifact key Prefect accepts, and markdown that still carries verifiable lineage. */
class PrefectLineageSinkTest {
    private static LineageRecord record(final String project) {
        LineageAccount alice = LineageAccount.valueOf(1000001, "alice", "Alice Approver", "alice@example.com");
        return LineageRecord.builder().withServer("https://review.example.com/").withProject(project)
                .withBranch("master").withChange(42).withChangeId("I0123456789abcdef0123456789abcdef01234567")
                .withPatchSet(3).withRevision("0123456789abcdef0123456789abcdef01234567")
                .withApproval(LineageApproval.valueOf(alice, "Code-Review", 2, Instant.parse("2024-05-01T10:15:30Z"),
                        3))
                .withJob(LineageJob.builder().withBackend("prefect").withId("0b7c5a6e-1f2d-4c3b-9a8e-7d6c5b4a3f21")
                        .withImage("train-model/prod").build())
                .build();
    }

    @Test
    void shouldMakeKeysOfLowerCaseLettersDigitsAndDashesOnly() {
        assertThat(PrefectLineageSink.artifactKey(record("ml-demo"))).isEqualTo("gerrit-ml-lineage-ml-demo-42");
        assertThat(PrefectLineageSink.artifactKey(record("Team/Vision_Models"))).isEqualTo(
                "gerrit-ml-lineage-team-vision-models-42");
        String longKey = PrefectLineageSink.artifactKey(record("a".repeat(150)));
        assertThat(longKey).hasSizeLessThanOrEqualTo(100).matches("[a-z0-9-]+").doesNotEndWith("-");
    }

    @Test
    void shouldPutTheSummaryAndTheSignedDocumentInTheMarkdown() {
        LineageKey key = LineageKey.generateEd25519();
        SignedLineage signed = SignedLineage.sign(record("ml-demo"), key);
        String markdown = PrefectLineageSink.markdown(signed);
        assertThat(markdown).contains("Digest: " + signed.getDigest())
                .contains("Approved: alice").contains("Job: prefect 0b7c5a6e-1f2d-4c3b-9a8e-7d6c5b4a3f21");
        String document = markdown.substring(markdown.indexOf("```json\n") + 8, markdown.lastIndexOf("\n```"));
        assertThat(new LineageVerifier(List.of(key.verifyingKey())).verify(document).isValid()).isTrue();
    }
}
