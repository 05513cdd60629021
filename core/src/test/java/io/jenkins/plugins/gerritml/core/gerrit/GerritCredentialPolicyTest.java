package io.jenkins.plugins.gerritml.core.gerrit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GerritCredentialPolicyTest {
    private static final GerritChange PARAMETERS = GerritChangeFactory.fromParameters(
            GerritChangeFactoryTest.triggerParameters());
    private static final GerritChange EVENT = PARAMETERS.toBuilder().withSource(ContextSource.GERRIT_EVENT).build();

    @Test
    void shouldLendGerritTriggersAccountOnlyForTheBuildsOwnEvent() {
        GerritCredentialPolicy.Choice choice = GerritCredentialPolicy.choose(EVENT, EVENT, "", "", true);

        assertThat(choice.isTriggerAccount()).isTrue();
        assertThat(choice.getCredentialsId()).isEmpty();
        assertThat(choice.getReason()).contains("change 1234 patch set 3");
    }

    @Test
    void shouldRefuseGerritTriggersAccountForAContextFromBuildParameters() {
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(null, PARAMETERS, "", "", true))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessageContaining("named by build parameters or environment variables (GERRIT_*)")
                .hasMessageContaining("Pass credentialsId")
                .hasMessageEndingWith("[rule: gerrit-trigger-account-only-for-own-event]")
                .extracting(e -> ((GerritAccessRefusedException) e).getRule())
                .isEqualTo(GerritCredentialPolicy.TRIGGER_ACCOUNT_RULE);
        // even when the build has an event of its own: the parameters are not that event
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, PARAMETERS, null, null, true))
                .isInstanceOf(GerritAccessRefusedException.class).hasMessageContaining("build parameters");
    }

    @Test
    void shouldRefuseGerritTriggersAccountForAnotherChangeOrPatchSet() {
        GerritChange otherChange = EVENT.toBuilder().withChangeNumber(999).build();
        GerritChange otherPatchSet = EVENT.toBuilder().withPatchSetNumber(2).build();
        GerritChange otherServer = EVENT.toBuilder().withServerName("other").build();

        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, otherChange, "", "", true))
                .hasMessageContaining("about change 999 patch set 3 on 'review', not the event's change 1234 patch set 3");
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, otherPatchSet, "", "", true))
                .hasMessageContaining("patch set 2");
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, otherServer, "", "", true))
                .hasMessageContaining("on 'other'");
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(null, EVENT, "", "", true))
                .hasMessageContaining("this build was not started by a Gerrit event");
    }

    @Test
    void shouldUseAStoredCredentialWhenOneIsNamed() {
        assertThat(GerritCredentialPolicy.choose(null, PARAMETERS, " ci-bot ", "default-bot", true))
                .satisfies(c -> assertThat(c.isTriggerAccount()).isFalse())
                .satisfies(c -> assertThat(c.getCredentialsId()).isEqualTo("ci-bot"))
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("the step's credentialsId"));
        assertThat(GerritCredentialPolicy.choose(EVENT, EVENT, "ci-bot", "", true).getCredentialsId())
                .isEqualTo("ci-bot");
        assertThat(GerritCredentialPolicy.choose(null, PARAMETERS, "", "default-bot", true))
                .satisfies(c -> assertThat(c.getCredentialsId()).isEqualTo("default-bot"))
                .satisfies(c -> assertThat(c.toString()).isEqualTo(
                        "credential 'default-bot' (the default Gerrit credentials)"));
        // the build's own event still prefers Gerrit Trigger's account over the default
        assertThat(GerritCredentialPolicy.choose(EVENT, EVENT, "", "default-bot", true).isTriggerAccount()).isTrue();
    }

    @Test
    void shouldSayWhatToConfigureWhenThereIsNoAccountAtAll() {
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, EVENT, "", " ", false))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessageContaining("Gerrit Trigger's server 'review' has no REST credentials")
                .hasMessageContaining("Pass credentialsId");
    }
}
