package io.jenkins.plugins.gerritml.core.gerrit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GerritChangeFactoryTest {
    private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

    static Map<String, String> triggerParameters() {
        Map<String, String> p = new HashMap<>();
        p.put("GERRIT_EVENT_TYPE", "comment-added");
        p.put("GERRIT_NAME", "review");
        p.put("GERRIT_HOST", "review.example.com");
        p.put("GERRIT_PORT", "29418");
        p.put("GERRIT_SCHEME", "ssh");
        p.put("GERRIT_PROJECT", "ml/models");
        p.put("GERRIT_BRANCH", "master");
        p.put("GERRIT_TOPIC", "lr-sweep");
        p.put("GERRIT_CHANGE_ID", "I0123456789abcdef0123456789abcdef01234567");
        p.put("GERRIT_CHANGE_NUMBER", "1234");
        p.put("GERRIT_CHANGE_SUBJECT", "Tune learning rate");
        p.put("GERRIT_CHANGE_COMMIT_MESSAGE", b64("Tune learning rate\n\nChange-Id: I0123\n"));
        p.put("GERRIT_CHANGE_URL", "https://review.example.com/c/ml/models/+/1234");
        p.put("GERRIT_PATCHSET_NUMBER", "3");
        p.put("GERRIT_PATCHSET_REVISION", REVISION);
        p.put("GERRIT_REFSPEC", "refs/changes/34/1234/3");
        p.put("GERRIT_CHANGE_OWNER", "\"Dana Developer\" <dana@example.com>");
        p.put("GERRIT_CHANGE_OWNER_NAME", "Dana Developer");
        p.put("GERRIT_CHANGE_OWNER_EMAIL", "dana@example.com");
        p.put("GERRIT_CHANGE_OWNER_USERNAME", "dana");
        p.put("GERRIT_PATCHSET_UPLOADER", "\"Dana Developer\" <dana@example.com>");
        p.put("GERRIT_EVENT_ACCOUNT", "\"Alice Approver\" <alice@example.com>");
        p.put("GERRIT_EVENT_ACCOUNT_USERNAME", "alice");
        p.put("GERRIT_EVENT_COMMENT_TEXT", b64("Patch Set 3: Code-Review+2\n\nShip it"));
        p.put("GERRIT_EVENT_UPDATED_APPROVALS", "{\"Code-Review\":\"2\"}");
        p.put("GERRIT_HASHTAGS", "ml,experiment");
        return p;
    }

    private static String b64(final String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEveryGerritTriggerParameter() {
        GerritChange change = GerritChangeFactory.fromParameters(triggerParameters());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(change.getSource()).isEqualTo(ContextSource.BUILD_PARAMETERS);
        softly.assertThat(change.isVerified()).isFalse();
        softly.assertThat(change.getServerName()).isEqualTo("review");
        softly.assertThat(change.getPort()).isEqualTo(29418);
        softly.assertThat(change.getProject()).isEqualTo("ml/models");
        softly.assertThat(change.getRestId()).isEqualTo("ml/models~1234");
        softly.assertThat(change.getPatchSetNumber()).isEqualTo(3);
        softly.assertThat(change.getRevision()).isEqualTo(REVISION);
        softly.assertThat(change.getCommitMessage()).isEqualTo("Tune learning rate\n\nChange-Id: I0123\n");
        softly.assertThat(change.getCommentText()).isEqualTo("Patch Set 3: Code-Review+2\n\nShip it");
        softly.assertThat(change.getOwner()).isEqualTo(GerritAccount.valueOf("Dana Developer", "dana@example.com",
                "dana"));
        softly.assertThat(change.getUploader().getEmail()).isEqualTo("dana@example.com");
        softly.assertThat(change.getEventAccount().getName()).isEqualTo("Alice Approver");
        softly.assertThat(change.getEventAccount().getUsername()).isEqualTo("alice");
        softly.assertThat(change.getApprovals()).containsExactly(EventApproval.valueOf("Code-Review", 2, true));
        softly.assertThat(change.getHashtags()).containsExactly("ml", "experiment");
        softly.assertThat(change.getTopic()).isEqualTo("lr-sweep");
        softly.assertAll();
    }

    @Test
    void shouldKeepReadableMessagesAsTheyAre() {
        Map<String, String> p = triggerParameters();
        p.put("GERRIT_CHANGE_COMMIT_MESSAGE", "Tune learning rate");
        p.put("GERRIT_EVENT_COMMENT_TEXT", "Test");

        GerritChange change = GerritChangeFactory.fromParameters(p);

        assertThat(change.getCommitMessage()).isEqualTo("Tune learning rate");
        assertThat(change.getCommentText()).isEqualTo("Test");
    }

    @Test
    void shouldDeriveTheRefspecWhenItIsMissing() {
        Map<String, String> p = triggerParameters();
        p.remove("GERRIT_REFSPEC");

        assertThat(GerritChangeFactory.fromParameters(p).getRefspec()).isEqualTo("refs/changes/34/1234/3");
    }

    @Test
    void shouldNameTheMissingParameter() {
        for (String name : new String[] {"GERRIT_PROJECT", "GERRIT_BRANCH", "GERRIT_CHANGE_NUMBER",
                "GERRIT_PATCHSET_NUMBER", "GERRIT_PATCHSET_REVISION"}) {
            Map<String, String> p = triggerParameters();
            p.remove(name);
            assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                    .isInstanceOf(GerritParameterException.class)
                    .hasMessageContaining(name).hasMessageContaining("missing")
                    .satisfies(e -> assertThat(((GerritParameterException) e).getParameter()).isEqualTo(name));
        }
    }

    @Test
    void shouldNameTheMalformedParameterAndWhatWasExpected() {
        SoftAssertions softly = new SoftAssertions();
        Map<String, String> p = triggerParameters();
        p.put("GERRIT_PATCHSET_NUMBER", "three");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                .hasMessageContaining("GERRIT_PATCHSET_NUMBER='three'").hasMessageContaining("positive whole number");
        p.put("GERRIT_PATCHSET_NUMBER", "3");
        p.put("GERRIT_PATCHSET_REVISION", "HEAD");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                .hasMessageContaining("GERRIT_PATCHSET_REVISION='HEAD'").hasMessageContaining("40 lower-case hex");
        p.put("GERRIT_PATCHSET_REVISION", REVISION);
        p.put("GERRIT_REFSPEC", "refs/changes/34/1234/2");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                .hasMessageContaining("GERRIT_REFSPEC").hasMessageContaining("refs/changes/34/1234/3");
        p.put("GERRIT_REFSPEC", "refs/changes/34/1234/3");
        p.put("GERRIT_EVENT_UPDATED_APPROVALS", "Code-Review=2");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                .hasMessageContaining("GERRIT_EVENT_UPDATED_APPROVALS is not JSON");
        p.put("GERRIT_EVENT_UPDATED_APPROVALS", "{}");
        p.put("GERRIT_PORT", "ssh");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p)).hasMessageContaining("GERRIT_PORT");
        p.put("GERRIT_PORT", "29418");
        p.put("GERRIT_EVENT_TYPE", "ref-updated");
        softly.assertThatThrownBy(() -> GerritChangeFactory.fromParameters(p))
                .hasMessageContaining("ref-updated").hasMessageContaining("patchset-created");
        softly.assertAll();
    }

    @Test
    void shouldReadApprovalsInEveryShapeGerritTriggerWrites() {
        assertThat(GerritChangeFactory.approvals("{\"Code-Review\":{\"value\":\"+2\",\"oldValue\":\"0\"},"
                + "\"Verified\":{\"value\":\"1\"}}"))
                .containsExactly(EventApproval.valueOf("Code-Review", 2, true), EventApproval.valueOf("Verified", 1,
                        false));
        assertThat(GerritChangeFactory.approvals("[{\"type\":\"Code-Review\",\"value\":\"-1\"}]"))
                .containsExactly(EventApproval.valueOf("Code-Review", -1, false));
    }

    @Test
    void shouldReadAStreamEventsLine() {
        String json = "{\"type\":\"patchset-created\",\"uploader\":{\"name\":\"Dana Developer\",\"email\":"
                + "\"dana@example.com\",\"username\":\"dana\"},\"patchSet\":{\"number\":2,\"revision\":\"" + REVISION
                + "\",\"ref\":\"refs/changes/01/1/2\",\"uploader\":{\"name\":\"Dana Developer\",\"email\":"
                + "\"dana@example.com\",\"username\":\"dana\"},\"createdOn\":1700000000},\"change\":{\"project\":"
                + "\"ml-demo\",\"branch\":\"master\",\"id\":\"Iabc\",\"number\":1,\"subject\":\"Tune\",\"owner\":"
                + "{\"name\":\"Dana Developer\",\"email\":\"dana@example.com\",\"username\":\"dana\"},\"url\":"
                + "\"http://127.0.0.1/c/ml-demo/+/1\",\"commitMessage\":\"Tune\\n\\nChange-Id: Iabc\\n\"},"
                + "\"eventCreatedOn\":1700000000}";

        GerritChange change = GerritChangeFactory.fromEventJson(json);

        assertThat(change.isVerified()).isTrue();
        assertThat(change.getEventType()).isEqualTo("patchset-created");
        assertThat(change.getRestId()).isEqualTo("ml-demo~1");
        assertThat(change.getPatchSetNumber()).isEqualTo(2);
        assertThat(change.getUploader().getUsername()).isEqualTo("dana");
        assertThat(change.getEventAccount().getUsername()).isEqualTo("dana");
    }

    @Test
    void shouldRefuseEventsThatNameNoChange() {
        assertThatThrownBy(() -> GerritChangeFactory.fromEventJson("{\"type\":\"ref-updated\",\"refUpdate\":"
                + "{\"project\":\"p\",\"refName\":\"refs/heads/master\",\"oldRev\":\"a\",\"newRev\":\"b\"}}"))
                .isInstanceOf(GerritParameterException.class).hasMessageContaining("names no change");
        assertThatThrownBy(() -> GerritChangeFactory.fromEventJson("not json"))
                .isInstanceOf(GerritParameterException.class).hasMessageContaining("not JSON");
    }
}
