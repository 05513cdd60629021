package io.jenkins.plugins.gerritml.core.gerrit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one line per review the Checks tab reads: written, found again, never more than one line. */
class CheckBlockTest {
    @Test
    void shouldRenderOneLineOfJsonAndReadItBack() {
        CheckBlock block = CheckBlock.completed("SageMaker training churn", "training", "churn-c7-p2-b4",
                CheckBlock.Result.SUCCESS).withSummary("validation:auc 0.91").withLabel("Verified")
                .withLink("SageMaker training job", "https://console/jobs/churn").withStarted(
                        Instant.parse("2026-12-05T19:00:00Z")).withFinished(Instant.parse("2026-12-05T19:42:00Z"))
                .build();

        assertThat(block.render()).isEqualTo("gerrit-ml-check: {\"v\":1,\"check\":\"SageMaker training churn\","
                + "\"kind\":\"training\",\"id\":\"churn-c7-p2-b4\",\"status\":\"COMPLETED\",\"result\":\"SUCCESS\","
                + "\"summary\":\"validation:auc 0.91\",\"label\":\"Verified\",\"links\":[{\"title\":"
                + "\"SageMaker training job\",\"url\":\"https://console/jobs/churn\"}],\"started\":"
                + "\"2026-12-05T19:00:00Z\",\"finished\":\"2026-12-05T19:42:00Z\"}");
        assertThat(CheckBlock.find("Text for people\n\n" + block.render() + "\n\n(gerrit-ml delivery 0123)"))
                .contains(block);
    }

    @Test
    void shouldKeepEveryFieldOnOneLineWhateverItHolds() {
        CheckBlock block = CheckBlock.running("Prefect train\nprod", "flow-run", "run-1")
                .withSummary("line one\n\nline two \"quoted\"").stoppable(true).build();

        assertThat(block.render()).doesNotContain("\n");
        assertThat(block.getCheck()).isEqualTo("Prefect train prod");
        assertThat(CheckBlock.find(block.render()).orElseThrow().getSummary()).isEqualTo("line one line two \"quoted\"");
        assertThat(CheckBlock.find(block.render()).orElseThrow().isStoppable()).isTrue();
    }

    @Test
    void shouldFindNothingInTextWithoutAValidBlock() {
        assertThat(CheckBlock.find("SageMaker training job x: Completed")).isEmpty();
        assertThat(CheckBlock.find("gerrit-ml-check: {not json")).isEmpty();
        assertThat(CheckBlock.find("gerrit-ml-check: {\"v\":2,\"check\":\"x\",\"kind\":\"training\",\"id\":\"a\","
                + "\"status\":\"RUNNING\"}")).as("a version this reader does not know").isEmpty();
        assertThat(CheckBlock.find("gerrit-ml-check: {\"v\":1,\"check\":\"x\",\"kind\":\"training\",\"id\":\"a\","
                + "\"status\":\"COMPLETED\"}")).as("completed without a result").isEmpty();
        assertThat(CheckBlock.find(null)).isEmpty();
    }

    @Test
    void shouldRefuseNamesTheTabCannotShow() {
        assertThatThrownBy(() -> CheckBlock.running(" ", "training", "a")).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> CheckBlock.running("x", "Training Job", "a")).hasMessageContaining("kind");
        assertThatThrownBy(() -> CheckBlock.running("x", "training", "a b")).hasMessageContaining("one word");
    }

    @Test
    void shouldPutTheCheckLineLastInTheReviewWithTheReviewsLinks() {
        CheckBlock block = CheckBlock.running("Prefect train/prod", "flow-run", "run-1")
                .withLink("Prefect flow run calm-fox", "http://prefect/runs/run-1").build();
        Review review = Review.builder().withContext("prefect").withMessage("Prefect flow run 'calm-fox' started.")
                .withCheck(block).build().withAppendedLink("Build", "http://jenkins/job/ml/4/");

        String text = review.renderMessage();

        assertThat(text).startsWith("Prefect flow run 'calm-fox' started.\n\n* Build: http://jenkins/job/ml/4/\n\n"
                + "gerrit-ml-check: ");
        assertThat(CheckBlock.find(text).orElseThrow().getLinks()).extracting(Link::getTitle)
                .containsExactly("Prefect flow run calm-fox", "Build");
        assertThat(Review.builder().withCheck(block).build().renderMessage()).isEqualTo(block.render());
    }

    @Test
    void shouldCompleteARunningBlockKeepingWhatItSaid() {
        CheckBlock running = CheckBlock.running("Prefect train/prod", "flow-run", "run-1").withLabel("Verified")
                .withStarted(Instant.parse("2026-12-05T19:00:00Z")).withLink("Run", "http://prefect/runs/run-1")
                .stoppable(true).build();

        CheckBlock stopped = running.completedAs(CheckBlock.Result.INFO, "Stopped from the review by dana",
                Instant.parse("2026-12-05T19:05:00Z"));

        assertThat(stopped.getStatus()).isEqualTo(CheckBlock.Status.COMPLETED);
        assertThat(stopped.isStoppable()).isFalse();
        assertThat(stopped.getLabel()).isEqualTo("Verified");
        assertThat(stopped.getStarted()).contains(Instant.parse("2026-12-05T19:00:00Z"));
        assertThat(stopped.getLinks()).isEqualTo(running.getLinks());
        assertThat(stopped.getSummary()).isEqualTo("Stopped from the review by dana");
    }
}
