package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.gerrit.dto.ChangeInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.RevisionInfo;
import io.jenkins.plugins.gerritml.core.util.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What is concluded from the change as Gerrit has it when events may have been missed ({@link
 * SupersedeListener#catchUp}: after a reconnect, a registration, a controller restart), and the follower's settings.
 */
class ReviewFollowerTest {
    private static final RunningJob JOB = RunningJob.of("j", "training job j", GerritChange.builder()
            .withProject("ml-demo").withChangeNumber(7).withPatchSetNumber(1).withRevision("r1").build(), true);

    /** Change 7 with patch sets of the given kinds (patch set 1 first), the last one current. */
    private static LiveChange change(final String status, final String... kinds) {
        ChangeInfo info = new ChangeInfo();
        info.project = "ml-demo";
        info._number = 7;
        info.status = status;
        info.revisions = new LinkedHashMap<>();
        for (int i = 0; i < kinds.length; i++) {
            RevisionInfo revision = new RevisionInfo();
            revision._number = i + 1;
            revision.kind = kinds[i];
            info.revisions.put("r" + (i + 1), revision);
        }
        info.current_revision = "r" + kinds.length;
        return LiveChange.fromChangeInfo(info);
    }

    @Test
    void shouldFindNothingWhileTheJobsPatchSetIsCurrent() {
        assertThat(SupersedeListener.missedEvent(change("NEW", "REWORK"), JOB)).isEmpty();
        assertThat(SupersedeListener.missedEvent(change("MERGED", "REWORK"), JOB)).isEmpty();
    }

    @Test
    void shouldReportTheAbandonWhateverThePatchSet() {
        assertThat(SupersedeListener.missedEvent(change("ABANDONED", "REWORK"), JOB))
                .contains(ChangeEvent.changeAbandoned("ml-demo", 7, 1));
        assertThat(SupersedeListener.missedEvent(change("ABANDONED", "REWORK", "REWORK"), JOB))
                .contains(ChangeEvent.changeAbandoned("ml-demo", 7, 2));
    }

    @Test
    void shouldReportTheFirstNewerPatchSetThatIsNotATrivialRebase() {
        assertThat(SupersedeListener.missedEvent(change("NEW", "REWORK", "TRIVIAL_REBASE", "REWORK", "REWORK"), JOB))
                .contains(ChangeEvent.patchSetCreated("ml-demo", 7, 3, "REWORK"));
        assertThat(SupersedeListener.missedEvent(change("NEW", "REWORK", "TRIVIAL_REBASE", "NO_CODE_CHANGE"), JOB))
                .as("only trivial ones: the newest, for the listener to keep or stop")
                .contains(ChangeEvent.patchSetCreated("ml-demo", 7, 3, "NO_CODE_CHANGE"));
        assertThat(SupersedeListener.missedEvent(change("NEW", "REWORK", ""), JOB))
                .as("an unknown kind counts as rework")
                .contains(ChangeEvent.patchSetCreated("ml-demo", 7, 2, "REWORK"));
    }

    @Test
    void shouldStopAJobOnCatchingUpOnlyWhenTheChangeMovedOn() {
        java.util.List<String> stopped = new java.util.ArrayList<>();
        SupersedeListener listener = new SupersedeListener(true, (change, review) -> null,
                java.time.Clock.systemUTC(), line -> { });
        listener.register(JOB, (job, reason) -> {
            stopped.add(reason);
            return "";
        });

        assertThat(listener.catchUp(JOB, change("NEW", "REWORK"))).isEmpty();
        assertThat(listener.catchUp(JOB, change("NEW", "REWORK", "TRIVIAL_REBASE"))).as("kept").isEmpty();
        assertThat(listener.catchUp(JOB, change("NEW", "REWORK", "TRIVIAL_REBASE", "REWORK"))).hasSize(1);
        assertThat(stopped).containsExactly("superseded by patch set 3 of ml-demo~7");
    }

    @Test
    void shouldNameEverySshSettingToFixAtOnce(@TempDir final Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("id"), "key");
        assertThatThrownBy(() -> ReviewFollower.Ssh.of(" ", 0, "", dir.resolve("missing"), Secret.empty(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Gerrit SSH host")
                .hasMessageContaining("SSH port 0 is not 1..65535")
                .hasMessageContaining("no SSH user")
                .hasMessageContaining("the SSH private key " + dir.resolve("missing") + " cannot be read")
                .hasMessageContaining("the known_hosts file is not set");
        assertThat(ReviewFollower.Ssh.of("review.example.com", 29418, "ci", key, null, key))
                .hasToString("ci@review.example.com:29418");
    }
}
