package io.jenkins.plugins.gerritml.core.sagemaker;

import java.time.Duration;

/** Specs and contexts the tests share. */
final class Fixtures {
    static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerTraining";
    static final String IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-train:1.4";

    private Fixtures() {
    }

    static TrainingSpec.Builder spec() {
        return TrainingSpec.builder()
                .withTrainingImage(IMAGE)
                .withRoleArn(ROLE)
                .withInputChannel("train", "s3://ml-data/fraud/train/", "text/csv")
                .withOutputPath("s3://ml-models/fraud")
                .withInstanceType("ml.m5.xlarge")
                .withMaxRuntime(Duration.ofHours(2))
                .withHyperparameter("epochs", 10)
                .withHyperparameter("learning_rate", 0.05)
                .withMetricDefinition("validation:accuracy", "accuracy=([0-9.]+)");
    }

    static TrainingContext.Builder context(final int build) {
        return TrainingContext.builder()
                .withProject("ml/fraud-model")
                .withChange(1234, 2)
                .withRevision("4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d")
                .withUploader("dana")
                .withApprover("alice")
                .withBuild(build, "https://ci.example.com/job/fraud%20model/" + build + "/");
    }
}
