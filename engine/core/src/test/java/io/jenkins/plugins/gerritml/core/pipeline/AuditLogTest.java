package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldAppendOneCanonicalLinePerCallWithWhoWhatWhenAndOutcome(@TempDir final Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(file, "build-17", CLOCK, List.of());

        String result = log.call("gerrit.post-review", "jenkins", "ml-demo~42/3", Map.of("Verified", "+1"),
                () -> "posted");
        assertThatIllegalStateException().isThrownBy(() -> log.call("sagemaker.create-training-job", "jenkins",
                "ml-demo-42-3", Map.of("image", "train:1.4"), () -> {
                    throw new IllegalStateException("ResourceLimitExceeded");
                }));
        AuditLog.open(file, "build-18", CLOCK, List.of()).record("prefect.create-flow-run", "jenkins", "deployment/x",
                Map.of(), AuditLog.Outcome.REFUSED, "dataset not allowed");

        assertThat(result).isEqualTo("posted");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("{\"action\":\"gerrit.post-review\",\"actor\":\"jenkins\",\"details\":"
                + "{\"Verified\":\"+1\"},\"message\":\"\",\"outcome\":\"ok\",\"run\":\"build-17\",\"target\":"
                + "\"ml-demo~42/3\",\"time\":\"2024-05-01T12:00:00Z\"}");
        assertThat(AuditLog.read(file)).extracting(e -> e.get("outcome"), e -> e.get("run"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ok", "build-17"),
                        org.assertj.core.groups.Tuple.tuple("failed", "build-17"),
                        org.assertj.core.groups.Tuple.tuple("refused", "build-18"));
        assertThat(AuditLog.read(file).get(1).get("message")).isEqualTo("IllegalStateException: ResourceLimitExceeded");
    }

    @Test
    void shouldNeverWriteASecretWhereverItAppears(@TempDir final Path dir) throws Exception {
        Secret password = Secret.of("gerrit-http-pw-Xq81!");
        Secret token = Secret.of("pnu_prefect-token-77aa");
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(file, "run-" + password.reveal(), CLOCK, List.of(password));
        log.addSecret(token);

        log.record("gerrit.post-review", "jenkins:" + password.reveal(), "ml-demo~1/1 " + token.reveal(),
                Map.of("message", "auth with " + password.reveal(), "Authorization", "Basic amVua2luczp4eXo=",
                        "prefect_api_key", "whatever-it-is", "aws_secret_access_key", "abc/def+ghi",
                        "note " + token.reveal(), "x"),
                AuditLog.Outcome.FAILED, "HTTP 401 for " + password.reveal() + " / Bearer " + token.reveal());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().as("the call's failure reaches the caller")
                .isThrownBy(() -> log.call("prefect.cancel", "jenkins", "run", Map.of(), () -> {
                    throw new IllegalArgumentException("rejected token " + token.reveal());
                }));

        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain(password.reveal()).doesNotContain(token.reveal())
                .doesNotContain("amVua2luczp4eXo=").doesNotContain("whatever-it-is").doesNotContain("abc/def+ghi")
                .contains("****").contains("rejected token ****");
    }
}
