package io.jenkins.plugins.gerritml.core.sagemaker;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsIdentityTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void shouldSanitizeGerritUsernamesForSts() {
        assertThat(StsNames.sourceIdentity("jane.doe@example.com")).isEqualTo("jane.doe@example.com");
        assertThat(StsNames.sourceIdentity("José Müller (ext)")).isEqualTo("Jos--M-ller--ext-")
                .matches("[a-zA-Z0-9+=,.@-]{2,64}");
        assertThat(StsNames.sourceIdentity("x")).isEqualTo("gerrit-x");
        assertThat(StsNames.sourceIdentity("a".repeat(80))).hasSize(64);
        assertThat(StsNames.sessionName("build #12 of ml/fraud")).isEqualTo("build--12-of-ml-fraud");
    }

    @Test
    void shouldCarryTheReviewIntoTheAssumedRoleSession() {
        AssumeRoleSettings role = AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/Deployer")
                .withExternalId("gerrit-ml-ext-1").withDuration(Duration.ofMinutes(30))
                .forReview(TrainingContext.builder().withProject("ml/fraud-model").withChange(1234, 2)
                        .withRevision("abc").withUploader("ünïcode user").withBuild(3, null).build())
                .build();

        assertThat(role.getSourceIdentity()).isEqualTo("-n-code-user");
        assertThat(role.getSessionTags()).containsEntry("gerrit-project", "ml/fraud-model")
                .containsEntry("gerrit-change", "1234").containsEntry("gerrit-patchset", "2");
        assertThat(role.toString()).doesNotContain("gerrit-ml-ext-1").contains("external id set");
    }

    @Test
    void shouldRejectUnusableRoleSettingsNamingTheField() {
        assertThatThrownBy(() -> AssumeRoleSettings.builder("Deployer").withDuration(Duration.ofMinutes(5)).build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("assumeRole.roleArn: 'Deployer' is not an IAM role ARN")
                .hasMessageContaining("assumeRole.duration: must be 15 minutes to 12 hours");
    }

    @Test
    void shouldNeverShowSecrets() {
        BaseCredentials keys = BaseCredentials.session("AKIAIOSFODNN7EXAMPLE", SECRET, "session-token-value");
        SimpleAwsConnectionConfig config = SimpleAwsConnectionConfig.builder("eu-west-1", keys).build();

        assertThat(keys.toString()).isEqualTo("AWS session credentials ****MPLE");
        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("session-token-value")
                .doesNotContain("AKIAIOSFODNN7EXAMPLE");
        assertThatThrownBy(() -> BaseCredentials.staticKeys("AKIAIOSFODNN7EXAMPLE", " "))
                .hasMessage("The AWS credentials are not valid:\n  - secretAccessKey: is required");
    }

    @Test
    void shouldRejectABadConnectionBeforeMakingAnyClient() {
        AwsConnectionConfig config = SimpleAwsConnectionConfig.builder("Ireland", BaseCredentials.defaultChain())
                .withEndpointOverride(URI.create("localhost:4566"))
                .withAssumeRole(AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/A").build())
                .withWebIdentityRole(WebIdentityRoleSettings.of("arn:aws:iam::123456789012:role/B", "s",
                        Duration.ofHours(1), () -> "token"))
                .build();

        assertThatThrownBy(() -> AwsClients.create(config)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("region: must be an AWS region like eu-west-1, was 'Ireland'")
                .hasMessageContaining("endpointOverride: must be an http(s) URL with a host")
                .hasMessageNotContaining("assumeRole");
    }
}
