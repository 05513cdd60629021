package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.OrchestrationResult;
import io.jenkins.plugins.gerritml.core.prefect.dto.PrefectJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlowRunStateTest {
    @Test
    void shouldTreatOnlyFinalStatesAsTerminal() {
        assertThat(List.of(StateType.values())).filteredOn(StateType::isTerminal)
                .containsExactlyInAnyOrder(StateType.COMPLETED, StateType.FAILED, StateType.CRASHED,
                        StateType.CANCELLED);
        assertThat(StateType.fromWire("cancelling")).isEqualTo(StateType.CANCELLING);
        assertThat(StateType.fromWire("SOMETHING_NEW")).isEqualTo(StateType.UNKNOWN);
        assertThat(FlowRunState.of(StateType.SCHEDULED, "Late", null).toString()).isEqualTo("Late (SCHEDULED)");
    }

    @Test
    void shouldReadPrefectsAbortReplyAsARefusal() throws Exception {
        OrchestrationResult abort = PrefectJson.mapper().readValue("{\"state\":null,\"status\":\"ABORT\","
                + "\"details\":{\"type\":\"abort_details\",\"reason\":\"Run is already in terminal state COMPLETED.\"}}",
                OrchestrationResult.class);
        CancelResult result = CancelResult.valueOf("r1", abort);

        assertThat(result.getStatus()).isEqualTo(CancelResult.Status.ABORT);
        assertThat(result.isAccepted()).isFalse();
        assertThat(result.describe()).isEqualTo("Prefect refused to cancel flow run r1 (ABORT): Run is already in "
                + "terminal state COMPLETED.");
    }

    @Test
    void shouldReadLinkArtifacts() throws Exception {
        ArtifactResponse link = PrefectJson.mapper().readValue("{\"key\":\"report\",\"type\":\"markdown\","
                + "\"data\":\"[model report](https://models.example/42)\",\"flow_run_id\":\"r\"}", ArtifactResponse.class);
        ArtifactResponse table = PrefectJson.mapper().readValue("{\"key\":\"t\",\"type\":\"table\","
                + "\"data\":[[1,2]]}", ArtifactResponse.class);

        assertThat(FlowRunArtifact.valueOf(link).getLink()).isEqualTo("https://models.example/42");
        assertThat(FlowRunArtifact.valueOf(link).getTitle()).isEqualTo("model report");
        assertThat(FlowRunArtifact.valueOf(table).isLink()).isFalse();
        assertThat(FlowRunArtifact.valueOf(table).getTitle()).isEqualTo("t");
    }

    @Test
    void shouldSummariseResultsInOneLine() {
        FlowRunResult timedOut = FlowRunResult.timedOut("r1", "brave-fox", FlowRunState.of(StateType.RUNNING,
                "Running", null), Duration.ofSeconds(75), "http://ui/runs/flow-run/r1", "Prefect accepted");

        assertThat(timedOut.summary()).isEqualTo("Prefect flow run 'brave-fox' timed out after 1 min 15 s in state "
                + "Running; Prefect accepted");
        assertThat(FlowRunResult.formatDuration(Duration.ofMillis(2345))).isEqualTo("2.3 s");
    }

    @Test
    void shouldSuggestDeploymentsWithSimilarNames() {
        assertThat(PrefectFlowRuns.closeMatches("train-modle/prod",
                List.of("train-model/prod", "train-model/dev", "other/prod", "evaluate/prod")))
                .startsWith("train-model/prod").doesNotContain("evaluate/prod");
        assertThat(PrefectFlowRuns.distance("kitten", "sitting")).isEqualTo(3);
    }
}
