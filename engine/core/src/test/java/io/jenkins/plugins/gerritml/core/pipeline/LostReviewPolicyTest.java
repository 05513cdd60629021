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

    @Test
    void shouldFailOrMarkUnstableOnlyWhenTheReviewWasLost() {
        org.assertj.core.api.Assertions.assertThat(LostReviewPolicy.FAIL.statusFor(ReviewDelivery.lost("down")))
                .isEqualTo(JobOutcome.Status.FAILURE);
        org.assertj.core.api.Assertions.assertThat(LostReviewPolicy.UNSTABLE.statusFor(ReviewDelivery.lost("down")))
                .isEqualTo(JobOutcome.Status.UNSTABLE);
        org.assertj.core.api.Assertions.assertThat(LostReviewPolicy.FAIL.statusFor(ReviewDelivery.posted("+1")))
                .isEqualTo(JobOutcome.Status.SUCCESS);
        org.assertj.core.api.Assertions.assertThat(LostReviewPolicy.UNSTABLE.statusFor(ReviewDelivery.notRequested()))
                .isEqualTo(JobOutcome.Status.SUCCESS);
        org.assertj.core.api.Assertions.assertThat(ReviewDelivery.lost("Gerrit down").asFields())
                .containsEntry("reviewPosted", false).containsEntry("reviewError", "Gerrit down");
    }
}
