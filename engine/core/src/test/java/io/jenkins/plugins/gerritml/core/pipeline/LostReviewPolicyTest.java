package io.jenkins.plugins.gerritml.core.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LostReviewPolicyTest {
    @Test
    void shouldFailTheStepUnlessTheAdministratorChoseUnstable() {
        assertThat(LostReviewPolicy.fromSetting(null)).isEqualTo(LostReviewPolicy.FAIL);
        assertThat(LostReviewPolicy.fromSetting("  ")).isEqualTo(LostReviewPolicy.FAIL);
        assertThat(LostReviewPolicy.fromSetting("fail")).isEqualTo(LostReviewPolicy.FAIL);
        assertThat(LostReviewPolicy.fromSetting(" Unstable ")).isEqualTo(LostReviewPolicy.UNSTABLE);
    }

    @Test
    void shouldNameTheValuesItTakesWhenTheSettingIsNoneOfThem() {
        assertThatThrownBy(() -> LostReviewPolicy.fromSetting("ignore"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lost review: 'ignore' is not one of FAIL, UNSTABLE");
    }
}
