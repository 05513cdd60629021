package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The administrator's AWS limits and OIDC federation against moto: a refused step leaves nothing in AWS. */
@ExtendWith(MotoLab.class)
class AwsAccessPolicyMotoITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100));
    /** moto does not verify the token's signature; STS would, against the OIDC provider's keys. */
    private static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IvZnJhdWQvMTIifQ.c2lnbmF0dXJl";

    private final MotoServer moto;

    AwsAccessPolicyMotoITest(final MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    private SimpleAwsConnectionConfig.Builder keys() {
        return SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint());
    }

    private List<String> trainingJobs() {
        try (AwsClients admin = AwsClients.create(keys().build())) {
            return admin.sageMaker().listTrainingJobs(b -> b.maxResults(10)).trainingJobSummaries().stream()
                    .map(s -> s.trainingJobName()).toList();
        }
    }

    @Test
    void shouldCreateNoTrainingJobWhenTheRoleIsOutsideThePatterns() {
        AwsAccessPolicy policy = AwsAccessPolicy.builder()
                .withRolePatterns(List.of("arn:aws:iam::123456789012:role/ml-*"))
                .withEndpointPatterns(List.of(moto.endpoint().toString())).build();

        try (AwsClients clients = AwsClients.create(keys().withAccessPolicy(policy).build());
             SageMakerTrainer trainer = SageMakerTrainer.builder(clients).withBackoff(FAST).build()) {
            assertThatThrownBy(() -> trainer.start(Fixtures.spec().build(), Fixtures.context(1).build(),
                    TrainingListener.silent())).isInstanceOf(AwsAccessRefusedException.class)
                    .hasMessageContaining("roleArn '" + Fixtures.ROLE + "' matches none of the allowed patterns");
        }
        assertThat(trainingJobs()).isEmpty();
    }

    @Test
    void shouldMakeNoClientWithTheDefaultChainWithoutTheOptIn() {
        AwsConnectionConfig ambient = SimpleAwsConnectionConfig.builder("eu-west-1", BaseCredentials.defaultChain())
                .withEndpointOverride(moto.endpoint()).withAccessPolicy(AwsAccessPolicy.builder().build()).build();

        assertThatThrownBy(() -> AwsClients.create(ambient)).isInstanceOf(AwsAccessRefusedException.class)
                .hasMessageContaining("[rule: aws-default-chain-opt-in]");
        assertThat(trainingJobs()).isEmpty();
    }

    @Test
    void shouldAssumeTheConfiguredRoleWithAnOidcTokenAndChainToSetSourceIdentity() {
        TrainingContext context = Fixtures.context(12).build();
        AwsAccessPolicy noAmbient = AwsAccessPolicy.builder().build();
        SimpleAwsConnectionConfig.Builder oidcOnly = SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.defaultChain()).withEndpointOverride(moto.endpoint()).withAccessPolicy(noAmbient)
                .withWebIdentityRole(WebIdentityRoleSettings.ofToken("arn:aws:iam::123456789012:role/JenkinsOidc",
                        context.getResponsibleUser().orElse("gerrit-ml"), Secret.of(ID_TOKEN)));
        try (AwsClients direct = AwsClients.create(oidcOnly.build());
             AwsClients chained = AwsClients.create(oidcOnly.withAssumeRole(AssumeRoleSettings
                     .builder("arn:aws:iam::123456789012:role/Trainer").withSessionName("jenkins-build-12")
                     .forReview(context).build()).build())) {
            assertThat(direct.sts().getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/JenkinsOidc/alice");
            assertThat(chained.sts().getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/Trainer/jenkins-build-12");
            assertThat(chained.sageMaker().listTrainingJobs(b -> b.maxResults(1)).trainingJobSummaries()).isEmpty();
        }
    }
}
