package io.jenkins.plugins.gerritml.core.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderRestrictionTest {
    @Test
    void shouldAllowEveryJobWhenNoFolderIsListed() {
        assertThat(FolderRestriction.parse(" \n, ")).isEqualTo(FolderRestriction.any());
        assertThat(FolderRestriction.parse(null).allows("anything/at/all")).isTrue();
        assertThat(FolderRestriction.any().isRestricted()).isFalse();
    }

    @Test
    void shouldAllowOnlyJobsInsideTheListedFolders() {
        FolderRestriction ml = FolderRestriction.parse("/ml/fraud/, data-science\nml/fraud");

        assertThat(ml.getFolders()).containsExactly("ml/fraud", "data-science");
        assertThat(ml.allows("ml/fraud")).isTrue();
        assertThat(ml.allows("ml/fraud/train")).isTrue();
        assertThat(ml.allows("data-science/nightly/main")).isTrue();
        assertThat(ml.allows("ml/fraud-old/train")).isFalse();
        assertThat(ml.allows("ml")).isFalse();
        assertThatCode(() -> ml.check("ml/fraud/train", "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ml.check("playground/try", "Prefect server 'prod'"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Job 'playground/try' may not use Prefect server 'prod': an administrator limited it to "
                        + "jobs in [ml/fraud, data-science]; move the job there or ask for the folder to be added "
                        + "[rule: folder-restriction]");
    }
}
