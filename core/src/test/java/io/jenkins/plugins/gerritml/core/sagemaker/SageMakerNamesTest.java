package io.jenkins.plugins.gerritml.core.sagemaker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SageMakerNamesTest {
    @Test
    void shouldDeriveTheSameNameForTheSameReviewAndBuild() {
        String name = SageMakerNames.trainingJobName(Fixtures.context(17).build());

        assertThat(name).isEqualTo("ml-fraud-model-c1234-p2-b17")
                .isEqualTo(SageMakerNames.trainingJobName(Fixtures.context(17).build()))
                .isNotEqualTo(SageMakerNames.trainingJobName(Fixtures.context(18).build()));
    }

    @Test
    void shouldCutLongProjectsAndKeepThemApartWithAHash() {
        String longProject = "research/very-long-group-name/and-an-even-longer-subproject/fraud_detection_model";
        String a = SageMakerNames.trainingJobName(Fixtures.context(123456).withProject(longProject + "-a").build());
        String b = SageMakerNames.trainingJobName(Fixtures.context(123456).withProject(longProject + "-b").build());

        assertThat(a).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME).endsWith("-c1234-p2-b123456")
                .matches(".*-[0-9a-f]{8}-c1234-p2-b123456");
        assertThat(b).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldTurnAnyCharacterRunIntoOneHyphenAndNeverStartOrEndWithOne() {
        assertThat(SageMakerNames.fit("__Ünïcode//project__", "c1-p1-b1")).isEqualTo("n-code-project-c1-p1-b1")
                .matches(SageMakerNames.NAME);
        assertThat(SageMakerNames.fit("///", "c1-p1-b1")).isEqualTo("gerrit-c1-p1-b1");
    }
}
