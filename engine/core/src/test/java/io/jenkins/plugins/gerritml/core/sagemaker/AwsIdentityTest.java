package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.util.Secret;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Who a run acts as in AWS: one rule set for the CLI and the Jenkins steps. */
class AwsIdentityTest {
    private static final String ADMIN_ROLE = "arn:aws:iam::123456789012:role/ci-training";
    private static final String STEP_ROLE = "arn:aws:iam::123456789012:role/team-training";
    private static final String OIDC_ROLE = "arn:aws:iam::123456789012:role/oidc-entry";
    private static final AwsIdentity DEFAULTS = AwsIdentity.of("eu-west-1", ADMIN_ROLE, "ext-1234",
            "https://vpce.example.com", "");
    private static final TrainingContext CONTEXT = TrainingContext.builder(GerritChange.builder()
            .withProject("ml-demo").withChangeNumber(42).withPatchSetNumber(3).withRevision("a".repeat(40)).build())
            .withApprovers(java.util.List.of("alice")).withJob("train").withBuild(7, null).build();

    @Test
    void shouldTakeTheStepsValuesOverTheDefaultsButNotTheDefaultRolesExternalId() {
        AwsIdentity inherited = AwsIdentity.resolve("", " ", null, DEFAULTS);
        AwsIdentity own = AwsIdentity.resolve("us-east-1", STEP_ROLE, "", DEFAULTS);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(inherited).isEqualTo(DEFAULTS);
        softly.assertThat(own.getRegion()).isEqualTo("us-east-1");
        softly.assertThat(own.getRoleArn()).isEqualTo(STEP_ROLE);
        softly.assertThat(own.getExternalId()).as("the external id belongs to the administrator's role").isEmpty();
        softly.assertThat(own.getEndpointOverride()).isEqualTo("https://vpce.example.com");
        softly.assertThat(own.describe()).isEqualTo("us-east-1 as " + STEP_ROLE + " via https://vpce.example.com");
        softly.assertAll();
    }

    @Test
    void shouldAssumeTheRoleWithTheReviewsSourceIdentityAndTheExternalId() {
        AwsConnectionConfig config = DEFAULTS.connect(BaseCredentials.staticKeys("AKIAIOSFODNN7EXAMPLE",
                "secret-key"), null, "", CONTEXT, AwsAccessPolicy.unrestricted());

        assertThat(config.getRegion()).isEqualTo("eu-west-1");
        assertThat(config.getEndpointOverride()).hasValue(java.net.URI.create("https://vpce.example.com"));
        assertThat(config.getWebIdentityRole()).isEmpty();
        assertThat(config.getAssumeRole()).hasValueSatisfying(role -> {
            assertThat(role.getRoleArn()).isEqualTo(ADMIN_ROLE);
            assertThat(role.getExternalId()).isEqualTo("ext-1234");
            assertThat(role.getSourceIdentity()).isEqualTo("alice");
        });
    }

    @Test
    void shouldLetAnOidcTokenAssumeItsRoleAndChainTheRoleToAssumeFromThatSession() {
        AwsIdentity chained = AwsIdentity.of("eu-west-1", STEP_ROLE, "", "", OIDC_ROLE);
        AwsConnectionConfig config = chained.connect(BaseCredentials.defaultChain(), Secret.of("eyJ.token.sig"),
                "Credentials 'oidc'", CONTEXT, AwsAccessPolicy.unrestricted());
        assertThat(config.getWebIdentityRole()).hasValueSatisfying(w -> assertThat(w.getRoleArn())
                .isEqualTo(OIDC_ROLE));
        assertThat(config.getAssumeRole()).hasValueSatisfying(role -> assertThat(role.getRoleArn())
                .isEqualTo(STEP_ROLE));

        AwsConnectionConfig direct = AwsIdentity.of("eu-west-1", STEP_ROLE, "", "", "").connect(
                BaseCredentials.defaultChain(), Secret.of("eyJ.token.sig"), "Credentials 'oidc'", CONTEXT,
                AwsAccessPolicy.unrestricted());
        assertThat(direct.getWebIdentityRole()).hasValueSatisfying(w -> assertThat(w.getRoleArn())
                .isEqualTo(STEP_ROLE));
        assertThat(direct.getAssumeRole()).as("the token's own session is the role to assume").isEmpty();

        assertThatIllegalArgumentException().isThrownBy(() -> AwsIdentity.of("eu-west-1", "", "", "", "").connect(
                BaseCredentials.defaultChain(), Secret.of("eyJ.token.sig"), "Credentials 'oidc'", CONTEXT,
                AwsAccessPolicy.unrestricted())).withMessageStartingWith("Credentials 'oidc' holds an OIDC ID "
                + "token, but no role is configured to assume with it");
    }

    @Test
    void shouldBeAValue() {
        EqualsVerifier.forClass(AwsIdentity.class).suppress(Warning.NULL_FIELDS).verify();
    }
}
