package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.Digests;
import io.jenkins.plugins.gerritml.core.pipeline.LineageAccount;
import io.jenkins.plugins.gerritml.core.pipeline.LineageApproval;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerification;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** lineage.json next to the model in moto's S3, read back and verified as an auditor would. */
@ExtendWith(MotoLab.class)
class S3LineageSinkITest {
    private static final String BUCKET = "ml-models";
    private final MotoServer moto;
    private S3Client s3;

    S3LineageSinkITest(final MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void connect() {
        moto.reset();
        s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.EU_WEST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        s3.createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
    }

    @AfterEach
    void disconnect() {
        s3.close();
    }

    @Test
    void shouldWriteSignedLineageNextToTheModelThatVerifiesWhenReadBack(@TempDir final Path dir) throws Exception {
        byte[] model = "pretend this is a tarball of weights".getBytes(StandardCharsets.UTF_8);
        String modelKey = "ml-demo/42/3/output/model.tar.gz";
        s3.putObject(b -> b.bucket(BUCKET).key(modelKey), RequestBody.fromBytes(model));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(modelKey));
        LineageRecord record = record(LineageArtifact.valueOf("s3://" + BUCKET + "/" + modelKey, head.eTag(),
                Digests.sha256Hex(model)));
        LineageKey key = LineageKey.generateEd25519();
        SignedLineage signed = SignedLineage.sign(record, key);
        Secret awsSecret = Secret.of(MotoServer.SECRET_ACCESS_KEY);
        AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), "s3-test", Clock.systemUTC(), List.of(awsSecret));

        String where = new S3LineageSink(s3, audit, "arn:aws:iam::123456789012:role/ci").publish(signed);

        assertThat(where).isEqualTo("s3://ml-models/ml-demo/42/3/output/lineage.json");
        String stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ml-demo/42/3/output/lineage.json"))
                .asString(StandardCharsets.UTF_8);
        assertThat(stored).isEqualTo(signed.toJsonText());
        LineageVerification verification = new LineageVerifier(List.of(key.verifyingKey())).verify(stored);
        assertThat(verification.isValid()).as(verification.summary()).isTrue();
        LineageRecord readBack = verification.getRecord().orElseThrow();
        assertThat(readBack.getOutputs()).singleElement().satisfies(output -> {
            assertThat(output.getEtag()).isEqualTo(head.eTag());
            assertThat(output.getSha256()).isEqualTo(Digests.sha256Hex(s3.getObjectAsBytes(b -> b.bucket(BUCKET)
                    .key(modelKey)).asByteArray()));
        });
        HeadObjectResponse lineageHead = s3.headObject(b -> b.bucket(BUCKET).key("ml-demo/42/3/output/lineage.json"));
        assertThat(lineageHead.metadata()).containsEntry("gerrit-ml-digest", signed.getDigest());
        assertThat(lineageHead.contentType()).isEqualTo("application/json");

        assertThat(AuditLog.read(audit.getFile())).singleElement().satisfies(entry -> {
            assertThat(entry.get("action")).isEqualTo("s3.put-object");
            assertThat(entry.get("outcome")).isEqualTo("ok");
            assertThat(entry.get("target")).isEqualTo(where);
        });
        assertThat(Files.readString(audit.getFile())).doesNotContain(MotoServer.SECRET_ACCESS_KEY);
    }

    @Test
    void shouldRecordAFailedPutAndRefuseARecordWithoutAnS3Output(@TempDir final Path dir) throws Exception {
        AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), "s3-test", Clock.systemUTC(), List.of());
        LineageKey key = LineageKey.generateEd25519();
        S3LineageSink sink = new S3LineageSink(s3, audit, "ci");

        assertThatIllegalArgumentException().isThrownBy(() -> sink.publish(SignedLineage.sign(record(
                LineageArtifact.valueOf("gs://elsewhere/model", "", "")), key)))
                .withMessageContaining("has no s3:// output to put lineage.json next to");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.publish(SignedLineage.sign(record(
                LineageArtifact.valueOf("s3://no-such-bucket/m/model.tar.gz", "", "")), key)))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchBucketException.class)
                .hasMessageContaining("bucket does not exist");
        assertThat(AuditLog.read(audit.getFile())).singleElement().satisfies(entry -> {
            assertThat(entry.get("outcome")).isEqualTo("failed");
            assertThat(entry.get("target")).isEqualTo("s3://no-such-bucket/m/lineage.json");
            assertThat(entry.get("message").toString()).startsWith("NoSuchBucketException: The specified bucket does "
                    + "not exist");
        });
    }

    private static LineageRecord record(final LineageArtifact output) {
        LineageAccount alice = LineageAccount.valueOf(1000001, "alice", "Alice", "alice@example.com");
        return LineageRecord.builder().withServer("http://127.0.0.1:8080/").withProject("ml-demo")
                .withBranch("master").withChange(42).withPatchSet(3)
                .withRevision("0123456789abcdef0123456789abcdef01234567")
                .withUploader(LineageAccount.valueOf(1000003, "dana", "Dana", "dana@example.com"))
                .withApproval(LineageApproval.valueOf(alice, "Code-Review", 2, Instant.parse("2024-05-01T10:00:00Z"), 3))
                .withJob(LineageJob.builder().withBackend("sagemaker").withId("arn:aws:sagemaker:eu-west-1:"
                        + "123456789012:training-job/ml-demo-42-3").withInput("s3://ml-data/approved/v3/").build())
                .withOutput(output).withMetric("val_accuracy", new BigDecimal("0.93")).build();
    }
}
