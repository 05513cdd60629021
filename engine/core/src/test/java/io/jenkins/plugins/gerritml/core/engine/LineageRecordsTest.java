package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ContextSource;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineageRecordsTest {
    @Test
    void shouldRecordAKeptChangeAndItsApprovals() {
        GerritAccount dana = GerritAccount.valueOf(1000004, "Dana", "dana@example.com", "dana");
        GerritChange change = GerritChange.builder().withSource(ContextSource.GERRIT_EVENT).withProject("ml-demo")
                .withBranch("master").withChangeNumber(42).withChangeId("I" + "1".repeat(40)).withPatchSetNumber(3)
                .withRevision("a".repeat(40)).withEventType("comment-added").withUploader(dana).build();
        Approval alice = Approval.valueOf(GerritAccount.valueOf(1000002, "Alice", "alice@example.com", "alice"),
                "Code-Review", 2, Instant.parse("2026-11-21T12:00:00Z"), 3);

        LineageRecord record = LineageRecords.training(change, dana, List.of(alice),
                Instant.parse("2026-11-21T12:01:00Z"), "https://review.example.com/")
                .withBuild("https://ci.example.com/job/train/7/", "train#7")
                .withJob(LineageJob.builder().withBackend("prefect").withId("r1").build()).build();

        assertThat(record.getRestId()).isEqualTo("ml-demo~42");
        assertThat(record.getUploader().getUsername()).isEqualTo("dana");
        assertThat(record.getApprovals()).singleElement().satisfies(a -> assertThat(a.getAccount().getUsername())
                .isEqualTo("alice"));
        assertThat(record.getEventSource()).isEqualTo("gerrit-event");
        assertThat(record.toCanonicalJson()).contains("\"approved\":\"2026-11-21T12:01:00Z\"");
    }

    @Test
    void shouldNotClaimAnApprovalTimeWithoutApprovals() {
        GerritAccount dana = GerritAccount.valueOf(1000004, "Dana", "dana@example.com", "dana");
        GerritChange change = GerritChange.builder().withSource(ContextSource.GERRIT_EVENT).withProject("ml-demo")
                .withBranch("master").withChangeNumber(42).withChangeId("I" + "1".repeat(40)).withPatchSetNumber(3)
                .withRevision("a".repeat(40)).withEventType("patchset-created").withUploader(dana).build();

        LineageRecord record = LineageRecords.training(change, dana, List.of(), Instant.parse("2026-11-21T12:01:00Z"),
                "https://review.example.com/").withBuild("https://ci.example.com/job/train/8/", "train#8")
                .withJob(LineageJob.builder().withBackend("tensorflow").withId("r2").build()).build();

        assertThat(record.getApprovals()).isEmpty();
        assertThat(record.toCanonicalJson()).doesNotContain("\"approved\"");
    }
}
