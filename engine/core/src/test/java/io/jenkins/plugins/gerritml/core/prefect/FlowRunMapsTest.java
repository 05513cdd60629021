package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowRunResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.StateDto;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The step's result map, and the review of a run followed again after a restart (only saved fields known). */
class FlowRunMapsTest {
    private static final String UI = "http://prefect:4200/runs/flow-run/r1";
    private static final GerritChange CHANGE = GerritChange.builder().withProject("ml-demo").withChangeNumber(42)
            .withPatchSetNumber(3).withRevision("a".repeat(40)).withEventType("patchset-created").build();

    private static FlowRunResult result(final String type) {
        FlowRunResponse dto = new FlowRunResponse();
        dto.id = "r1";
        dto.name = "change-42-ps-3";
        dto.stateType = type;
        dto.state = StateDto.create(type, "msg");
        return FlowRunResult.finished(FlowRun.valueOf(dto), Duration.ofSeconds(65), UI,
                List.of(FlowRunArtifact.link("report", "model report", "https://models.example/42")));
    }

    @Test
    void shouldGiveTheScriptPlainValues() {
        Map<String, Object> map = FlowRunMaps.asMap(result("COMPLETED"), "train/prod");

        assertThat(map).containsEntry("flowRunId", "r1").containsEntry("flowRunName", "change-42-ps-3")
                .containsEntry("deployment", "train/prod").containsEntry("stateType", "COMPLETED")
                .containsEntry("outcome", "SUCCEEDED").containsEntry("success", true).containsEntry("url", UI)
                .containsEntry("durationSeconds", 65L).containsEntry("message", "msg");
        assertThat(map.get("artifacts")).asList().singleElement().isEqualTo(Map.of("key", "report", "type",
                "markdown", "title", "model report", "link", "https://models.example/42", "description", ""));
    }

    @Test
    void shouldWordAResumedRunsReviewAsTheStartedOne() {
        StartedFlowRun started = new StartedFlowRun(FlowRun.valueOf(new FlowRunResponse() {
            {
                id = "r1";
                name = "change-42-ps-3";
                stateType = "SCHEDULED";
                state = StateDto.create("SCHEDULED", null);
            }
        }), true, "train/prod", UI, WatchedJob.of("r1", Instant.EPOCH, Instant.EPOCH.plusSeconds(60)));

        Review fromSaved = FlowRunReviews.toReview(result("FAILED"), "train/prod", true, CHANGE, "dana", List.of(),
                "Verified");

        assertThat(fromSaved).isEqualTo(FlowRunReviews.toReview(result("FAILED"), started, CHANGE, "dana", List.of(),
                "Verified"));
        assertThat(fromSaved.getLabels()).containsEntry("Verified", -1);
        assertThat(FlowRunReviews.auditLine("change-42-ps-3", "r1", "train/prod", false, CHANGE, "dana", List.of()))
                .isEqualTo("gerrit-ml audit: dana re-attached to Prefect flow run 'change-42-ps-3' (r1) of "
                        + "train/prod for ml-demo~42 patch set 3");
    }
}
