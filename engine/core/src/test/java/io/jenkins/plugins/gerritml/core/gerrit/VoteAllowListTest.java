package io.jenkins.plugins.gerritml.core.gerrit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VoteAllowListTest {
    private static Review vote(final String label, final int value) {
        return Review.builder().withLabel(label, value).build();
    }

    @Test
    void shouldAllowOnlyVerifiedMinusOneToPlusOneByDefault() {
        VoteAllowList defaults = VoteAllowList.defaults();

        assertThatCode(() -> defaults.check("gt", vote("Verified", 1))).doesNotThrowAnyException();
        assertThatCode(() -> defaults.check("gt", vote("Verified", -1))).doesNotThrowAnyException();
        assertThatCode(() -> defaults.check("", Review.builder().withMessage("no votes").build()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> defaults.check("gt", vote("Verified", 2)))
                .isInstanceOf(GerritAccessRefusedException.class)
                .hasMessage("The vote Verified=+2 is not allowed on Gerrit server 'gt' (allowed: Verified -1..+1); "
                        + "nothing was posted. An administrator can allow it in the vote allow-list, e.g. "
                        + "gt:Verified -1..+1 [rule: vote-allow-list]");
        assertThatThrownBy(() -> defaults.check("gt", vote("Code-Review", 2)))
                .hasMessageContaining("Code-Review=+2 is not allowed");
        assertThat(VoteAllowList.parse("")).isEqualTo(defaults);
        assertThat(VoteAllowList.parse(null)).isEqualTo(defaults);
    }

    @Test
    void shouldAddTheLabelsTheAdministratorNamesPerServer() {
        VoteAllowList list = VoteAllowList.parse("# gates of the ML projects\n"
                + "Model-Verified -1..+1\n"
                + "gerrit-prod:Code-Review 0..+1   # the bot may say 'looks fine' there\n"
                + "\n"
                + "gerrit-test: Model-Verified=-2..+2\n");

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(list.range("gerrit-prod", "Model-Verified")).hasValueSatisfying(
                r -> assertThat(r.toString()).isEqualTo("-1..+1"));
        softly.assertThat(list.range("gerrit-test", "Model-Verified")).hasValueSatisfying(
                r -> assertThat(r.getMax()).isEqualTo(2));
        softly.assertThat(list.range("gerrit-prod", "Code-Review")).isPresent();
        softly.assertThat(list.range("gerrit-test", "Code-Review")).isEmpty();
        softly.assertThat(list.range("", "Code-Review")).isEmpty();
        softly.assertThat(list.range("gerrit-prod", "Verified")).isPresent();
        softly.assertThat(list.describe("gerrit-prod")).isEqualTo(
                "Verified -1..+1, Model-Verified -1..+1, Code-Review 0..+1");
        softly.assertAll();
        assertThatThrownBy(() -> list.check("gerrit-test", Review.builder().withLabel("Verified", 1)
                .withLabel("Code-Review", 1).build()))
                .hasMessageStartingWith("The vote Code-Review=+1 is not allowed on Gerrit server 'gerrit-test'");
        assertThatThrownBy(() -> list.check("gerrit-prod", vote("Code-Review", -1)))
                .hasMessageContaining("Code-Review=-1");
    }

    @Test
    void shouldLetTheAdministratorNarrowVerified() {
        VoteAllowList list = VoteAllowList.parse("Verified 0..0");

        assertThatThrownBy(() -> list.check("gt", vote("Verified", 1))).isInstanceOf(
                GerritAccessRefusedException.class);
        assertThatCode(() -> list.check("gt", vote("Verified", 0))).doesNotThrowAnyException();
    }

    @Test
    void shouldNameTheLineThatIsNotARule() {
        assertThatThrownBy(() -> VoteAllowList.parse("Model-Verified -1..+1\nCode-Review +2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Vote allow-list line 2 'Code-Review +2' is not a rule: write "
                        + "[server:]Label min..max");
        assertThatThrownBy(() -> VoteAllowList.parse("Verified +1..-1"))
                .hasMessageContaining("the lowest value comes first");
    }

    @Test
    void shouldSayWhetherALabelMayBeVotedOnSomeServer() {
        VoteAllowList list = VoteAllowList.parse("gerrit-prod:Model-Verified -1..+1");
        assertThat(list.allowsAnywhere("Verified")).isTrue();
        assertThat(list.allowsAnywhere("Model-Verified")).isTrue();
        assertThat(list.allowsAnywhere("Code-Review")).isFalse();
    }
}
