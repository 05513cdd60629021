package io.jenkins.plugins.gerritml.core.prefect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyKeysTest {
    @Test
    void shouldKeepTwoPipelinesOnTheSameChangePatchSetAndBuildApart() {
        String train = IdempotencyKeys.of(3, 1, "ml-demo/train-on-patchset#5", "7");
        String deploy = IdempotencyKeys.of(3, 1, "ml-demo/deploy-on-merge#5", "7");

        assertThat(train).isEqualTo("gerrit-ml:3/1:ml-demo/train-on-patchset#5:7")
                .isEqualTo(IdempotencyKeys.of(3, 1, "ml-demo/train-on-patchset#5", "7")).isNotEqualTo(deploy);
        assertThat(IdempotencyKeys.forBuild("ml-demo/nightly#5", "7")).isEqualTo("gerrit-ml:ml-demo/nightly#5:7");
    }

    @Test
    void shouldCutVeryLongKeysDeterministicallyAndKeepThemDistinct() {
        String folder = "a-folder-name-of-some-length/".repeat(8);
        String a = IdempotencyKeys.of(3, 1, folder + "train-a#5", "7");
        String b = IdempotencyKeys.of(3, 1, folder + "train-b#5", "7");

        assertThat(a).hasSize(IdempotencyKeys.MAX_LENGTH).matches(".*~[0-9a-f]{16}")
                .isEqualTo(IdempotencyKeys.of(3, 1, folder + "train-a#5", "7"));
        assertThat(b).hasSize(IdempotencyKeys.MAX_LENGTH).isNotEqualTo(a);
    }

    @Test
    void shouldNameWhatIsMissing() {
        assertThatThrownBy(() -> IdempotencyKeys.of(3, 1, " ", "7")).hasMessage("idempotency key: the build id is "
                + "required");
        assertThatThrownBy(() -> IdempotencyKeys.of(0, 1, "b#1", "7")).hasMessageContaining("must be positive");
    }
}
