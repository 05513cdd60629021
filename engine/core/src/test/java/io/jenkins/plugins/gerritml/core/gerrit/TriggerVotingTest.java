package io.jenkins.plugins.gerritml.core.gerrit;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerVotingTest {
    private static final String STEP = "sagemakerTrain";

    @Test
    void shouldRefuseVerifiedUnderATriggerWithItsDefaultSettings() {
        TriggerVoting defaults = TriggerVoting.builder().build();

        assertThat(defaults.votesWhenStarted()).isTrue();
        assertThat(defaults.votesWhenCompleted()).isTrue();
        assertThat(defaults.conflictWith(STEP, "Verified")).hasValueSatisfying(message -> assertThat(message)
                .startsWith("sagemakerTrain: this job's Gerrit Trigger votes Verified itself (when the build starts "
                        + "and when it ends)")
                .contains("silent mode", "Skip Vote", "label: 'Model-Verified'"));
        assertThat(defaults.conflictWith(STEP, " verified ")).isPresent();
    }

    @Test
    void shouldAllowEveryOtherLabelWhateverTheTriggerVotes() {
        TriggerVoting defaults = TriggerVoting.builder().build();

        assertThat(defaults.conflictWith(STEP, "Model-Verified")).isEmpty();
        assertThat(defaults.conflictWith(STEP, "Code-Review")).isEmpty();
        assertThat(defaults.conflictWith(STEP, null)).isEmpty();
    }

    /** Over REST with Verified unchecked, Gerrit Trigger posts its messages without a Verified vote. */
    @Test
    void shouldAllowVerifiedWhenTheServerReportsOverRestWithoutIt() {
        TriggerVoting restWithout = TriggerVoting.builder().withRestReporting(true, false).build();
        assertThat(restWithout.votesWhenStarted()).isFalse();
        assertThat(restWithout.votesWhenCompleted()).isFalse();
        assertThat(restWithout.conflictWith(STEP, "Verified")).isEmpty();

        assertThat(TriggerVoting.builder().withRestReporting(true, true).build().conflictWith(STEP, "Verified"))
                .as("REST with Verified checked votes it").isPresent();
        assertThat(TriggerVoting.builder().withRestReporting(false, false).build().conflictWith(STEP, "Verified"))
                .as("over SSH the REST boxes do not apply").isPresent();
    }

    @Test
    void shouldAllowVerifiedInSilentMode() {
        TriggerVoting silent = TriggerVoting.builder().withSilentMode(true).build();

        assertThat(silent.votesWhenStarted()).isFalse();
        assertThat(silent.votesWhenCompleted()).isFalse();
        assertThat(silent.conflictWith(STEP, "Verified")).isEmpty();
    }

    @Test
    void shouldAllowVerifiedOnlyWhenTheStartAndEveryResultAreSilent() {
        TriggerVoting skipAll = TriggerVoting.builder().withSkipVote(true, true, true, true, true).build();
        assertThat(skipAll.conflictWith(STEP, "Verified")).hasValueSatisfying(message -> assertThat(message)
                .contains("(when the build starts)"));

        TriggerVoting quietStart = TriggerVoting.builder().withSilentStartMode(true).build();
        assertThat(quietStart.conflictWith(STEP, "Verified")).hasValueSatisfying(message -> assertThat(message)
                .contains("(when the build ends)"));

        TriggerVoting failuresStillVote = TriggerVoting.builder().withSilentStartMode(true)
                .withSkipVote(true, false, true, true, true).build();
        assertThat(failuresStillVote.votesWhenCompleted()).isTrue();
        assertThat(failuresStillVote.conflictWith(STEP, "Verified")).isPresent();

        TriggerVoting quiet = TriggerVoting.builder().withSilentStartMode(true)
                .withSkipVote(true, true, true, true, true).build();
        assertThat(quiet.conflictWith(STEP, "Verified")).isEmpty();
        assertThat(quiet).hasToString("Gerrit Trigger votes Verified not at start, not at the end");
    }

    @Test
    void shouldObeyTheEqualsContract() {
        EqualsVerifier.forClass(TriggerVoting.class).verify();
    }
}
