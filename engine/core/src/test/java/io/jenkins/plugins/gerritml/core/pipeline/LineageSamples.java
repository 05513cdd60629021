package io.jenkins.plugins.gerritml.core.pipeline;

import java.math.BigDecimal;
import java.time.Instant;

/** A fully populated training record: every field of the schema set, so tampering tests cover them all. */
final class LineageSamples {
    static final String DIGEST_OF_NOTHING = Digests.sha256(new byte[0]);

    private LineageSamples() {
    }

    static LineageRecord training() {
        return LineageRecord.builder()
                .withServer("https://review.example.com/")
                .withProject("ml-demo")
                .withBranch("master")
                .withChange(42)
                .withChangeId("I0123456789abcdef0123456789abcdef01234567")
                .withPatchSet(3)
                .withRevision("0123456789abcdef0123456789abcdef01234567")
                .withUploader(LineageAccount.valueOf(1000003, "dana", "Dana Data", "dana@example.com"))
                .withApproval(LineageApproval.valueOf(LineageAccount.valueOf(1000001, "alice", "Alice Approver",
                        "alice@example.com"), "Code-Review", 2, Instant.parse("2024-05-01T10:15:30Z"), 3))
                .withEventType("comment-added")
                .withEventAccount(LineageAccount.valueOf(1000001, "alice", "Alice Approver", "alice@example.com"))
                .withEventSource("gerrit-event")
                .withBuild("https://ci.example.com/job/train/17/", "17")
                .withJob(LineageJob.builder().withBackend("sagemaker")
                        .withId("arn:aws:sagemaker:eu-west-1:123456789012:training-job/ml-demo-42-3")
                        .withImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1.4")
                        .withInput("s3://ml-data/approved/images/v2/")
                        .withParameter("epochs", "20").withParameter("learning_rate", "0.001").build())
                .withOutput(LineageArtifact.valueOf("s3://models/ml-demo/42/3/model.tar.gz", "\"9b2cf535f27731c9\"",
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
                .withMetric("val_accuracy", new BigDecimal("0.930"))
                .withMetric("loss", BigDecimal.valueOf(0.2125))
                .withTime("started", Instant.parse("2024-05-01T10:16:00Z"))
                .withTime("finished", Instant.parse("2024-05-01T10:46:12.5Z"))
                .build();
    }

    static LineageRecord promotionOf(final LineageRecord trained) {
        return trained.toBuilder().promoting(trained.getDigest())
                .withJob(LineageJob.builder().withBackend("sagemaker")
                        .withId("arn:aws:sagemaker:eu-west-1:123456789012:endpoint/ml-demo-prod").build())
                .withTime("promoted", Instant.parse("2024-05-02T08:00:00Z"))
                .build();
    }
}
