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
    void shouldReadARejectThatCancelledAQueuedRunAsDoneNotAsARefusal() throws Exception {
        OrchestrationResult reject = PrefectJson.mapper().readValue("{\"state\":{\"type\":\"CANCELLED\","
                + "\"name\":\"Cancelled\"},\"status\":\"REJECT\",\"details\":{\"type\":\"reject_details\","
                + "\"reason\":\"Scheduled flow run has no infrastructure to terminate.\"}}", OrchestrationResult.class);
        OrchestrationResult stillQueued = PrefectJson.mapper().readValue("{\"state\":{\"type\":\"SCHEDULED\","
                + "\"name\":\"Late\"},\"status\":\"REJECT\",\"details\":{\"reason\":\"no\"}}",
                OrchestrationResult.class);

        CancelResult cancelled = CancelResult.valueOf("r1", reject);
        assertThat(cancelled.isAccepted()).isTrue();
        assertThat(cancelled.isCancelledAtOnce()).isTrue();
        assertThat(cancelled.describe()).isEqualTo("Prefect cancelled flow run r1 at once, as nothing had started it "
                + "(now Cancelled; Scheduled flow run has no infrastructure to terminate.)")
                .doesNotContain("refused");
        assertThat(CancelResult.valueOf("r2", stillQueued).isAccepted()).isFalse();
        assertThat(CancelResult.valueOf("r2", stillQueued).describe()).contains("refused");
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
                "Running", null), FlowRunState.of(StateType.CANCELLING, "Cancelling", null), Duration.ofSeconds(75),
                "http://ui/runs/flow-run/r1", "Prefect accepted", "");
        FlowRunResult neverStarted = FlowRunResult.timedOut("r2", "shy-owl", FlowRunState.of(StateType.SCHEDULED,
                "Late", null), FlowRunState.of(StateType.CANCELLED, "Cancelled", null), Duration.ofSeconds(180),
                "http://ui/runs/flow-run/r2", "Prefect cancelled flow run r2 at once", "no worker picked it up");

        assertThat(timedOut.summary()).isEqualTo("Prefect flow run 'brave-fox' timed out after 1 min 15 s while "
                + "Running; Prefect accepted; the run is now Cancelling");
        assertThat(timedOut.getState().getType()).as("the state it is left in").isEqualTo(StateType.CANCELLING);
        assertThat(neverStarted.summary()).isEqualTo("Prefect flow run 'shy-owl' timed out after 3 min 0 s while Late "
                + "(no worker picked it up); Prefect cancelled flow run r2 at once; the run is now Cancelled");
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
