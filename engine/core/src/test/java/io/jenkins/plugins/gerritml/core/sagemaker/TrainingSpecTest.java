package io.jenkins.plugins.gerritml.core.sagemaker;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TrainingSpecTest {
    @Test
    void shouldBuildAValidSpecWithStringHyperparameters() {
        TrainingSpec spec = Fixtures.spec().withHyperparameter("early_stop", true).build();

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(spec.getHyperparameters()).containsEntry("epochs", "10")
                    .containsEntry("learning_rate", "0.05").containsEntry("early_stop", "true");
            softly.assertThat(spec.getInputChannels()).containsExactly(
                    InputChannel.of("train", "s3://ml-data/fraud/train/").withContentType("text/csv"));
            softly.assertThat(spec.getTimeout()).isEqualTo(Duration.ofHours(2).plusMinutes(15));
            softly.assertThat(spec.toBuilder().build()).isEqualTo(spec);
        });
    }

    @Test
    void shouldNameEveryBadFieldAtOnce() {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> TrainingSpec.builder()
                .withRoleArn("SageMakerRole")
                .withInputChannel("train", "ml-data/fraud", null)
                .withInputChannel("train", "s3://ml-data/fraud/valid", "text csv")
                .withOutputPath("s3://UPPER_case/out")
                .withInstanceType("m5.large")
                .withInstanceCount(0)
                .withMaxRuntime(Duration.ofDays(30))
                .withHyperparameter("layers", List.of(1, 2))
                .withHyperparameter("dropout", Double.NaN)
                .withEnvironment("1BAD", "x")
                .withVpcConfig(VpcConfig.of(List.of("subnet-abc"), List.of("default")))
                .build());

        assertThat(e.getProblems()).anySatisfy(p -> assertThat(p).startsWith("trainingImage: set either"))
                .anySatisfy(p -> assertThat(p).startsWith("roleArn: 'SageMakerRole' is not an IAM role ARN"))
                .anySatisfy(p -> assertThat(p).startsWith("inputChannels[0].s3Uri:"))
                .anySatisfy(p -> assertThat(p).startsWith("inputChannels[1].name: 'train' is used by another"))
                .anySatisfy(p -> assertThat(p).startsWith("inputChannels[1].contentType:"))
                .anySatisfy(p -> assertThat(p).startsWith("outputPath:"))
                .anySatisfy(p -> assertThat(p).startsWith("instanceType: must look like ml.m5.xlarge"))
                .anySatisfy(p -> assertThat(p).startsWith("instanceCount: must be at least 1"))
                .anySatisfy(p -> assertThat(p).startsWith("maxRuntime: must be between 1 second and 28 days"))
                .anySatisfy(p -> assertThat(p).startsWith("hyperparameters.layers: must be a string, number or "
                        + "boolean, was a list ("))
                .anySatisfy(p -> assertThat(p).startsWith("hyperparameters.dropout:"))
                .anySatisfy(p -> assertThat(p).startsWith("environment.1BAD:"))
                .anySatisfy(p -> assertThat(p).startsWith("vpcConfig.securityGroupIds: 'default' is not"));
        assertThat(e).hasMessageStartingWith("The SageMaker training spec is not valid:");
    }

    @Test
    void shouldRequireSpotWaitAtLeastTheRuntime() {
        assertThatThrownBy(() -> Fixtures.spec().withMaxRuntime(Duration.ofHours(2)).withSpot(Duration.ofHours(1))
                .build()).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("maxWait: must be at least maxRuntime");
        TrainingSpec spot = Fixtures.spec().withSpot(Duration.ofHours(3)).build();
        assertThat(spot.getTimeout()).isEqualTo(Duration.ofHours(3).plusMinutes(15));
    }

    @Test
    void shouldRefuseImageAndAlgorithmTogether() {
        assertThatThrownBy(() -> Fixtures.spec().withAlgorithmName("xgboost").build())
                .hasMessageContaining("trainingImage: set a training image or an algorithmName, not both");
        assertThat(Fixtures.spec().withTrainingImage(null).withAlgorithmName("my-algo-1").build().getAlgorithmName())
                .isEqualTo("my-algo-1");
    }

    @Test
    void shouldValidateTheContext() {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class,
                () -> TrainingContext.builder().withProject(" ").withChange(0, 1).build());
        assertThat(e.getProblems()).containsExactly(
                "project: is required (the Gerrit project name)",
                "changeNumber: must be a positive Gerrit change number",
                "revision: is required (the patch set's commit sha)",
                "buildNumber: must be a positive build number");
    }

    @Test
    void shouldPickTheApproverAsResponsibleUserElseTheUploader() {
        assertThat(Fixtures.context(1).build().getResponsibleUser()).contains("alice");
        assertThat(TrainingContext.builder().withProject("p").withChange(1, 1).withRevision("abc")
                .withUploader("dana").withBuild(1, null).build().getResponsibleUser()).contains("dana");
    }
}
