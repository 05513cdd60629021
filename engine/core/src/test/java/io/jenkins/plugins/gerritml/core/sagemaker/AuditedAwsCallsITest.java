package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every state-changing AWS call lands in the audit log with its outcome; reads do not; secrets never do. */
@ExtendWith(MotoLab.class)
class AuditedAwsCallsITest {
    @Test
    void shouldAuditTrainingAndS3WritesButNotReads(final MotoServer moto, @TempDir final Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = AuditLog.open(file, "run-7", Clock.systemUTC(),
                List.of(Secret.of(MotoServer.SECRET_ACCESS_KEY)));
        TrainingResult result;
        try (AwsClients clients = AwsClients.builder(SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint()).build()).withAudit(audit, "jenkins@ci").build();
             SageMakerTrainer trainer = SageMakerTrainer.builder(clients)
                     .withBackoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100))).build()) {
            clients.s3().createBucket(b -> b.bucket("audit-models"));
            result = trainer.train(Fixtures.spec().withOutputPath("s3://audit-models/fraud").build(),
                    Fixtures.context(31).build(), new TrainingListener() { });
            clients.s3().putObject(b -> b.bucket("audit-models").key("fraud/lineage.json"),
                    RequestBody.fromString("{}"));
            assertThatThrownBy(() -> clients.s3().putObject(b -> b.bucket("no-such-bucket").key("x"),
                    RequestBody.fromString("x"))).isInstanceOf(NoSuchBucketException.class);
        }

        List<Map<?, ?>> entries = AuditLog.read(file);
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("target") + " " + e.get("outcome"))
                .containsExactly(
                        "s3.create-bucket audit-models ok",
                        "sagemaker.create-training-job " + result.getJobName() + " ok",
                        "s3.put-object s3://audit-models/fraud/lineage.json ok",
                        "s3.put-object s3://no-such-bucket/x failed");
        assertThat(entries).allSatisfy(e -> assertThat(e.get("actor")).isEqualTo("jenkins@ci"));
        assertThat(Files.readString(file)).doesNotContain(MotoServer.SECRET_ACCESS_KEY)
                .doesNotContain("describe").doesNotContain("list-training-jobs");
    }
}
