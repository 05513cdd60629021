package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.util.Secret;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsAccessPolicyTest {
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IifQ.c2lnbmF0dXJl";
    private static final AwsAccessPolicy LOCKED = AwsAccessPolicy.builder()
            .withRolePatterns(List.of("arn:aws:iam::123456789012:role/SageMaker*", " "))
            .withImagePatterns(AwsAccessPolicy.patterns("123456789012.dkr.ecr.eu-west-1.amazonaws.com/*,\n"
                    + "arn:aws:sagemaker:eu-west-1:123456789012:algorithm/*"))
            .withEndpointPatterns(List.of("https://*.vpce.amazonaws.com"))
            .withWhereToConfigure("Manage Jenkins → System")
            .build();

    private static SimpleAwsConnectionConfig.Builder keys() {
        return SimpleAwsConnectionConfig.builder("eu-west-1", BaseCredentials.staticKeys("AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }

    @Test
    void shouldRefuseTheControllersDefaultChainUnlessAnAdministratorOptedIn() {
        AwsConnectionConfig ambient = SimpleAwsConnectionConfig.builder("eu-west-1", BaseCredentials.defaultChain())
                .withAccessPolicy(AwsAccessPolicy.builder().build()).build();

        assertThatThrownBy(() -> AwsClients.create(ambient)).isInstanceOf(AwsAccessRefusedException.class)
                .hasMessageContaining("The AWS connection refused by the AWS access policy; nothing was called in AWS")
                .hasMessageContaining("the controller's own default credentials chain")
                .hasMessageContaining("[rule: aws-default-chain-opt-in]")
                .satisfies(e -> assertThat(((AwsAccessRefusedException) e).getRules())
                        .containsExactly(AwsAccessPolicy.DEFAULT_CHAIN_RULE));
        assertThatCode(() -> AwsAccessPolicy.builder().withDefaultChainAllowed(true).build().checkConnection(
                SimpleAwsConnectionConfig.builder("eu-west-1", BaseCredentials.defaultChain()).build()))
                .doesNotThrowAnyException();
        assertThatCode(() -> AwsAccessPolicy.builder().build().checkConnection(keys().build()))
                .doesNotThrowAnyException();
        // an OIDC token needs no base credentials, so it is not the default chain
        assertThatCode(() -> AwsAccessPolicy.builder().build().checkConnection(SimpleAwsConnectionConfig.builder(
                "eu-west-1", BaseCredentials.defaultChain()).withWebIdentityRole(WebIdentityRoleSettings.ofToken(
                "arn:aws:iam::123456789012:role/Oidc", "alice", Secret.of(TOKEN))).build()))
                .doesNotThrowAnyException();
        assertThat(AwsAccessPolicy.unrestricted().isDefaultChainAllowed()).isTrue();
        assertThat(AwsConnectionConfig.of("eu-west-1", BaseCredentials.defaultChain()).getAccessPolicy())
                .isEqualTo(AwsAccessPolicy.unrestricted());
    }

    @Test
    void shouldRefuseRolesAndEndpointsOutsideThePatternsNamingEachRule() {
        AwsConnectionConfig config = keys().withAccessPolicy(LOCKED)
                .withAssumeRole(AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/Admin").build())
                .withEndpointOverride(URI.create("http://attacker.example:4566")).build();

        assertThatThrownBy(() -> AwsClients.create(config)).isInstanceOf(AwsAccessRefusedException.class)
                .hasMessageContaining("(Manage Jenkins → System)")
                .hasMessageContaining("assumeRoleArn 'arn:aws:iam::123456789012:role/Admin' matches none of the "
                        + "allowed patterns [arn:aws:iam::123456789012:role/SageMaker*]")
                .hasMessageContaining("endpointOverride 'http://attacker.example:4566' matches none")
                .satisfies(e -> assertThat(((AwsAccessRefusedException) e).getRules())
                        .containsExactly(AwsAccessPolicy.ROLE_RULE, AwsAccessPolicy.ENDPOINT_RULE));
        assertThatCode(() -> LOCKED.checkConnection(keys()
                .withAssumeRole(AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/SageMakerDeploy").build())
                .withEndpointOverride(URI.create("https://vpce-1.api.sagemaker.eu-west-1.vpce.amazonaws.com"))
                .build())).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseTrainingWithAnotherRoleOrImageBeforeCallingSageMaker() {
        List<String> calls = new ArrayList<>();
        SageMakerClient sageMaker = (SageMakerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SageMakerClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    throw new AssertionError("SageMaker was called: " + method.getName());
                });
        TrainingSpec spec = Fixtures.spec().withRoleArn("arn:aws:iam::123456789012:role/Admin")
                .withTrainingImage("docker.io/attacker/miner:latest").build();

        try (SageMakerTrainer trainer = SageMakerTrainer.builder(sageMaker, null, "eu-west-1")
                .withAccessPolicy(LOCKED).build()) {
            assertThatThrownBy(() -> trainer.start(spec, Fixtures.context(1).build(), TrainingListener.silent()))
                    .isInstanceOf(AwsAccessRefusedException.class)
                    .hasMessageStartingWith("The training job refused by the AWS access policy")
                    .hasMessageContaining("roleArn 'arn:aws:iam::123456789012:role/Admin' matches none")
                    .hasMessageContaining("trainingImage 'docker.io/attacker/miner:latest' matches none")
                    .hasMessageContaining("[rule: aws-image-patterns]");
        }
        assertThat(calls).isEmpty();
        assertThatCode(() -> LOCKED.checkTraining(Fixtures.spec().build())).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseADeploymentWithAnotherImage() {
        DeploySpec spec = DeploySpec.builder().withEndpointName("fraud").withModelArtifact("s3://ml-models/fraud/model.tar.gz")
                .withInferenceImage("public.ecr.aws/x/y:1").withExecutionRoleArn(Fixtures.ROLE).build();

        assertThatThrownBy(() -> LOCKED.checkDeploy(spec)).isInstanceOf(AwsAccessRefusedException.class)
                .hasMessageContaining("inferenceImage 'public.ecr.aws/x/y:1' matches none")
                .hasMessageNotContaining("executionRoleArn");
    }

    @Test
    void shouldMatchGlobsLiterallyExceptForTheStar() {
        assertThat(AwsAccessPolicy.matches("anything", List.of())).isTrue();
        assertThat(AwsAccessPolicy.matches("a.b", List.of("a.b"))).isTrue();
        assertThat(AwsAccessPolicy.matches("axb", List.of("a.b"))).isFalse();
        assertThat(AwsAccessPolicy.matches("role/ml-x", List.of("role/ml-*"))).isTrue();
        assertThat(AwsAccessPolicy.matches("role/ml-x/../admin", List.of("role/ml"))).isFalse();
        assertThat(AwsAccessPolicy.matches(null, List.of("*"))).isFalse();
        assertThat(AwsAccessPolicy.patterns(" a , b\nc ")).containsExactly("a", "b", "c");
        assertThat(LOCKED.toString()).startsWith("AWS access: default chain not allowed, roles [");
    }

    @Test
    void shouldTakeAnOidcTokenAsTextWithoutEverShowingIt() {
        WebIdentityRoleSettings role = WebIdentityRoleSettings.ofToken("arn:aws:iam::123456789012:role/Oidc",
                "alice@example.com", Secret.of(" " + TOKEN + "\n"));

        assertThat(role.currentToken()).isEqualTo(TOKEN);
        assertThat(role.getDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(role.getSessionName()).isEqualTo("alice@example.com");
        assertThat(role.toString()).doesNotContain(TOKEN);
        assertThatThrownBy(() -> WebIdentityRoleSettings.ofToken("arn:aws:iam::123456789012:role/Oidc", "a",
                Secret.of("not-a-jwt-secret-value"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("webIdentity.token: is not an OIDC ID token")
                .hasMessageNotContaining("not-a-jwt-secret-value");
    }
}
