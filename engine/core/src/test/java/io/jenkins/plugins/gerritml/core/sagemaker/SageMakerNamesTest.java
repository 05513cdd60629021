package io.jenkins.plugins.gerritml.core.sagemaker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SageMakerNamesTest {
    @Test
    void shouldDeriveTheSameNameForTheSameReviewAndBuild() {
        String name = SageMakerNames.trainingJobName(Fixtures.context(17).withJob("ml/fraud model/train").build());

        assertThat(name).isEqualTo("ml-fraud-model-train-" + SageMakerNames.sha256Hex("job\u0000ml/fraud model/train")
                .substring(0, 8) + "-c1234-p2-b17")
                .isEqualTo(SageMakerNames.trainingJobName(Fixtures.context(17).withJob("ml/fraud model/train").build()))
                .isNotEqualTo(SageMakerNames.trainingJobName(Fixtures.context(18).withJob("ml/fraud model/train")
                        .build()));
        assertThat(SageMakerNames.trainingJobName(Fixtures.context(17).build())).as("no CI job: one pipeline")
                .isEqualTo("ml-fraud-model-c1234-p2-b17");
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

    /** Run defect 1: two pipelines on one change, patch set and build number adopted each other's job. */
    /** Parallel branches of one build (a hyperparameter sweep) each train a job of their own. */
    @Test
    void shouldKeepTwoStepsOfOneBuildApart() {
        String first = SageMakerNames.trainingJobName(Fixtures.context(17).withJob("churn").withStep("23").build());
        String second = SageMakerNames.trainingJobName(Fixtures.context(17).withJob("churn").withStep("27").build());
        String none = SageMakerNames.trainingJobName(Fixtures.context(17).withJob("churn").build());

        assertThat(first).isNotEqualTo(second).endsWith("-b17-s23").hasSizeLessThanOrEqualTo(63);
        assertThat(none).as("a command line runs one step").endsWith("-b17");
        assertThat(SageMakerNames.trainingJobName(Fixtures.context(17).withJob("churn").withStep("23").build()))
                .as("the same step after a restart").isEqualTo(first);
    }

    @Test
    void shouldKeepTwoPipelinesOnTheSameChangePatchSetAndBuildApart() {
        String train = SageMakerNames.trainingJobName(Fixtures.context(5).withJob("ml-demo/train-on-patchset").build());
        String deploy = SageMakerNames.trainingJobName(Fixtures.context(5).withJob("ml-demo/deploy-on-merge").build());
        String slash = SageMakerNames.trainingJobName(Fixtures.context(5).withJob("a/b").build());
        String hyphen = SageMakerNames.trainingJobName(Fixtures.context(5).withJob("a-b").build());

        assertThat(train).isNotEqualTo(deploy).startsWith("ml-fraud-model-train-on-patchset-").endsWith("-c1234-p2-b5");
        assertThat(deploy).startsWith("ml-fraud-model-deploy-on-merge-");
        assertThat(slash).as("names that sanitize alike").isNotEqualTo(hyphen);
        assertThat(SageMakerNames.trainingJobName(Fixtures.context(5).withJob("ml-demo/train-on-patchset").build()))
                .as("deterministic").isEqualTo(train);
    }

    @Test
    void shouldFitAVeryLongJobNameInto63CharactersAndStillTellJobsApart() {
        String folder = "department-of-machine-learning/very/deep/folder/structure/with/many/levels";
        String a = SageMakerNames.trainingJobName(Fixtures.context(99999).withJob(folder + "/train-a").build());
        String b = SageMakerNames.trainingJobName(Fixtures.context(99999).withJob(folder + "/train-b").build());

        assertThat(a).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME).endsWith("-c1234-p2-b99999");
        assertThat(b).hasSizeLessThanOrEqualTo(63).matches(SageMakerNames.NAME);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldNameDeploymentsPerPipelineToo() {
        DeploySpec spec = DeploySpec.builder().withEndpointName("fraud").withModelArtifact("s3://ml-models/model.tar.gz")
                .withInferenceImage(Fixtures.IMAGE).withExecutionRoleArn(Fixtures.ROLE).build();

        assertThat(SageMakerDeployer.configName(spec, Fixtures.context(5).withJob("one").build()))
                .isNotEqualTo(SageMakerDeployer.configName(spec, Fixtures.context(5).withJob("two").build()))
                .startsWith("fraud-one-").endsWith("-c1234-p2-b5");
    }
}
