package io.jenkins.plugins.gerritml.util;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FormValuesTest {
    @Test
    void shouldReadOneEntryPerLineAndWriteThemBack() {
        assertThat(FormValues.lines(" ML Approvers \r\n\nData Science\n")).containsExactly("ML Approvers", "Data Science");
        assertThat(FormValues.lines(null)).isEmpty();
        assertThat(FormValues.linesOf(List.of("ML Approvers", "Data Science"))).isEqualTo("ML Approvers\nData Science");
        assertThat(FormValues.linesOf(null)).isEmpty();
    }

    @Test
    void shouldReadLabelVotesAndWriteThemBack() {
        Map<String, Object> labels = FormValues.labels("Verified=1\nModel-Verified: -1\n Code-Review = +2 \n");

        assertThat(labels).containsExactly(Map.entry("Verified", 1), Map.entry("Model-Verified", -1),
                Map.entry("Code-Review", 2));
        Map<String, Object> ordered = new LinkedHashMap<>(labels);
        assertThat(FormValues.labelsOf(ordered)).isEqualTo("Verified=1\nModel-Verified=-1\nCode-Review=2");
        assertThat(FormValues.labels("")).isEmpty();
    }

    @Test
    void shouldNameTheLineThatIsNotAVote() {
        assertThatIllegalArgumentException().isThrownBy(() -> FormValues.labels("Verified=1\nVerified plus one"))
                .withMessage("labels: not a label and a vote: 'Verified plus one' (one per line, e.g. Verified=1 or "
                        + "Model-Verified=-1)");
    }
}
