package io.jenkins.plugins.gerritml.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(GerritLab.class)
class GerritServerITest {
    @Test
    void shouldBeProvisionedLikeARealInstallation(final GerritServer gerrit) {
        JsonNode verified = gerrit.rest(gerrit.admin(), "GET", "projects/All-Projects/labels/Verified", null);
        assertThat(verified.get("values").has("+1")).isTrue();
        JsonNode self = gerrit.rest(gerrit.jenkins(), "GET", "accounts/self", null);
        assertThat(self.get("username").asText()).isEqualTo("jenkins");
        JsonNode keys = gerrit.rest(gerrit.jenkins(), "GET", "accounts/self/sshkeys", null);
        assertThat(keys).hasSize(1);
        JsonNode members = gerrit.rest(gerrit.jenkins(), "GET", "groups/" + GerritServer.encode(GerritServer.APPROVERS)
                + "/members", null);
        assertThat(members.findValuesAsText("username")).containsExactlyInAnyOrder("alice", "dana");
        System.out.printf("Gerrit lab: init %d ms, start %d ms, RSS %d MiB%n", gerrit.initTime().toMillis(),
                gerrit.lastStartTime().toMillis(), gerrit.residentMiB());
    }

    @Test
    void shouldCreateChangesByRestAndByGitPushAndTakeVotes(final GerritServer gerrit) {
        LabChange byRest = gerrit.createChange(gerrit.dana(), "Tune learning rate", "train/config.yaml", "lr: 0.01\n");
        LabChange byPush = gerrit.pushChange(gerrit.dana(), "Add model card", Map.of("MODEL.md", "# Model\n"));

        assertThat(byPush.patchSet()).isEqualTo(1);
        assertThat(byPush.number()).isNotEqualTo(byRest.number());
        assertThat(byPush.changeId()).startsWith("I");
        assertThat(byPush.ref()).isEqualTo("refs/changes/%02d/%d/1".formatted(byPush.number() % 100, byPush.number()));

        gerrit.vote(gerrit.alice(), byRest, "Code-Review", 2);
        JsonNode read = gerrit.readChange(byRest);
        assertThat(read.get("labels").get("Code-Review").get("approved").get("username").asText()).isEqualTo("alice");

        LabChange second = gerrit.newPatchSet(gerrit.dana(), byRest, "train/config.yaml", "lr: 0.02\n");
        assertThat(second.patchSet()).isEqualTo(byRest.patchSet() + 1);
        assertThat(second.revision()).isNotEqualTo(byRest.revision());
    }

    @Test
    void shouldRefuseCodeReviewPlusTwoFromAPlainReviewer(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Try bigger batch", "train/config.yaml", "batch: 64\n");
        assertThatThrownBy(() -> gerrit.vote(gerrit.bob(), change, "Code-Review", 2))
                .isInstanceOf(LabException.class).hasMessageContaining("403");
    }
}
