package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.pipeline.CredentialUse.Scope;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialUseTest {
    @Test
    void shouldLookUpTheBuildsCredentialsAsTheBuildAndNeverOfferSystemOnes() {
        SoftAssertions softly = new SoftAssertions();
        for (CredentialUse use : new CredentialUse[] {CredentialUse.GERRIT_REST, CredentialUse.AWS}) {
            softly.assertThat(use.isLookedUpAsTheBuild()).as(use.name()).isTrue();
            softly.assertThat(use.accepts(Scope.GLOBAL)).as(use.name()).isTrue();
            softly.assertThat(use.accepts(Scope.SYSTEM)).as(use.name()).isFalse();
        }
        softly.assertAll();
        assertThat(CredentialUse.AWS.refusal("aws-admin", Scope.SYSTEM))
                .isEqualTo("Credentials 'aws-admin' for AWS are System-scoped, which no build can use: make them "
                        + "Global, or choose another credential");
    }

    @Test
    void shouldKeepTheLineageKeyTheAdministratorsAndSystemScoped() {
        CredentialUse key = CredentialUse.LINEAGE_SIGNING_KEY;

        assertThat(key.isLookedUpAsTheBuild()).isFalse();
        assertThat(key.accepts(Scope.SYSTEM)).isTrue();
        assertThat(key.accepts(Scope.GLOBAL)).isFalse();
        assertThat(key.accepts("GLOBAL")).isFalse();
        assertThat(key.accepts((String) null)).isFalse();
        assertThat(key.accepts("system")).isTrue();
        assertThat(key.refusal("ml-lineage", Scope.GLOBAL)).startsWith("Credentials 'ml-lineage' for the lineage "
                + "signing key are global-scoped, so any Pipeline could read them with withCredentials");
    }

    @Test
    void shouldLetAPrefectServersKeyBeEitherScope() {
        assertThat(CredentialUse.PREFECT_SERVER.isLookedUpAsTheBuild()).isFalse();
        assertThat(CredentialUse.PREFECT_SERVER.accepts(Scope.SYSTEM)).isTrue();
        assertThat(CredentialUse.PREFECT_SERVER.accepts(Scope.GLOBAL)).isTrue();
        assertThat(CredentialUse.PREFECT_SERVER.accepts(Scope.USER)).isFalse();
    }
}
