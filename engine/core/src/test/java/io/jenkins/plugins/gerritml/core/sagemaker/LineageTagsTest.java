package io.jenkins.plugins.gerritml.core.sagemaker;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineageTagsTest {
    @Test
    void shouldTagTheJobWithItsReviewAndSanitizeGerritValues() {
        TrainingContext context = Fixtures.context(7).withApprover("bob,the?reviewer").build();

        Map<String, String> tags = LineageTags.forTraining(context, Map.of("team", "fraud & risk"));

        assertThat(tags).containsEntry(LineageTags.PROJECT, "ml/fraud-model")
                .containsEntry(LineageTags.CHANGE, "1234")
                .containsEntry(LineageTags.PATCH_SET, "2")
                .containsEntry(LineageTags.REVISION, "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d")
                .containsEntry(LineageTags.APPROVERS, "alice bob_the_reviewer")
                .containsEntry(LineageTags.UPLOADER, "dana")
                .containsEntry(LineageTags.BUILD_URL, "https://ci.example.com/job/fraud_20model/7/")
                .containsEntry("team", "fraud _ risk");
    }

    @Test
    void shouldCutValuesToTheAwsLimit() {
        assertThat(LineageTags.value("x".repeat(300))).hasSize(256);
        assertThat(LineageTags.key("k".repeat(200))).hasSize(128);
    }

    @Test
    void shouldRefuseReservedOverridingAndTooManyTags() {
        TrainingContext context = Fixtures.context(7).build();
        assertThatThrownBy(() -> LineageTags.forTraining(context, Map.of("aws:owner", "x")))
                .hasMessageContaining("tags.aws:owner: keys starting with 'aws:' are reserved");
        assertThatThrownBy(() -> LineageTags.forTraining(context, Map.of("gerrit:change", "1")))
                .hasMessageContaining("'gerrit:change' is a lineage tag and cannot be overridden");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 45; i++) {
            many.put("extra-" + i, "v");
        }
        assertThatThrownBy(() -> LineageTags.forTraining(context, many))
                .hasMessageContaining("tags: AWS allows at most 50 tags per resource; with the lineage tags there "
                        + "would be 52: drop 2 extra tag(s)");
    }
}
