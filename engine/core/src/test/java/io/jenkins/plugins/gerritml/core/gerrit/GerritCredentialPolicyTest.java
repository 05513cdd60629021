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
                .hasMessageContaining("Pass the step's credentialsId (gerritCredentialsId on sagemakerTrain")
                .hasMessageEndingWith("[rule: ci-accounts-only-for-own-event]")
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
        assertThat(GerritCredentialPolicy.choose(EVENT, EVENT, "", "default-bot", false))
                .satisfies(c -> assertThat(c.getCredentialsId()).isEqualTo("default-bot"))
                .satisfies(c -> assertThat(c.toString()).isEqualTo("credential 'default-bot' (the default Gerrit "
                        + "credentials, for the Gerrit event that started this build, change 1234 patch set 3)"));
        // the build's own event still prefers Gerrit Trigger's account over the default
        assertThat(GerritCredentialPolicy.choose(EVENT, EVENT, "", "default-bot", true).isTriggerAccount()).isTrue();
    }

    /**
     * A Jenkinsfile that names another change (withEnv, build parameters) cannot vote on it with the administrator's
     * default credential: only with one its job was given.
     */
    @Test
    void shouldLendTheDefaultCredentialsOnlyForTheBuildsOwnEvent() {
        GerritChange otherChange = EVENT.toBuilder().withChangeNumber(2).build();

        assertThatThrownBy(() -> GerritCredentialPolicy.choose(null, PARAMETERS, "", "default-bot", false))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessageContaining("the default Gerrit credentials serve only the change and patch set of the "
                        + "Gerrit event that started the build")
                .hasMessageContaining("named by build parameters or environment variables (GERRIT_*)")
                .hasMessageContaining("Pass " + GerritCredentialPolicy.STEP_PARAMETERS);
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, otherChange, "", "default-bot", true))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessageContaining("not the event's change 1234 patch set 3");
        assertThat(GerritCredentialPolicy.choose(EVENT, otherChange, "team-bot", "default-bot", true)
                .getCredentialsId()).as("a credential the build was given may").isEqualTo("team-bot");
    }

    @Test
    void shouldSayWhenABuildOfAnEventIgnoresVariablesNamingAnotherChange() {
        java.util.Map<String, String> same = GerritChangeFactoryTest.triggerParameters();
        assertThat(GerritChangeFactory.ignoredParameters(EVENT, same)).isEmpty();
        assertThat(GerritChangeFactory.ignoredParameters(EVENT, java.util.Map.of())).isEmpty();

        java.util.Map<String, String> other = new java.util.HashMap<>(same);
        other.put("GERRIT_CHANGE_NUMBER", "2");
        other.put("GERRIT_PATCHSET_NUMBER", "1");
        assertThat(GerritChangeFactory.ignoredParameters(EVENT, other)).hasValue("GERRIT_CHANGE_NUMBER=2 "
                + "GERRIT_PATCHSET_NUMBER=1 are ignored: this build was started by Gerrit's event for change 1234 "
                + "patch set 3, and works for it. To act on another change, start a build for it.");
    }

    @Test
    void shouldSayWhatToConfigureWhenThereIsNoAccountAtAll() {
        assertThatThrownBy(() -> GerritCredentialPolicy.choose(EVENT, EVENT, "", " ", false))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessageContaining("Gerrit Trigger's server 'review' has no REST credentials")
                .hasMessageContaining("Pass " + GerritCredentialPolicy.STEP_PARAMETERS);
    }
}
