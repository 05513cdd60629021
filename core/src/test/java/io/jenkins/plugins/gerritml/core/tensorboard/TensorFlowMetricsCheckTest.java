package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorFlowMetricsCheckTest {
    @TempDir
    Path temp;

    @Test
    void shouldVotePlusOneAndWriteTheNextBaselineWhenGatesPass() throws IOException {
        Path metricsFile = temp.resolve("out/metrics.json");

        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(Fixtures.runDirectory())
                .withGateLines("validation/epoch_accuracy.last >= 0.5\ntrain/epoch_loss.min <= baseline * 1.02")
                .withBaselineFile(temp.resolve("no-baseline-yet.json")).withMetricsFile(metricsFile)
                .withLink("TensorBoard logs", "https://ci.example.test/job/7/artifact/logs/")
                .build().run();

        assertThat(result.isPassed()).isTrue();
        assertThat(result.getVote()).isEqualTo(1);
        assertThat(result.getLabel()).isEqualTo("Verified");
        assertThat(result.getMessage()).startsWith("TensorFlow metrics: passed (Verified+1)\n")
                .contains("1 of 2 gates passed, 1 without a baseline (not blocking)")
                .containsPattern("\\| validation/epoch_accuracy\\.last +\\| [0-9.]+ +\\| - +\\| - +\\| >= 0\\.5 +\\| PASS ")
                .contains("Baseline: none yet for this branch.")
                .contains("- TensorBoard logs: https://ci.example.test/job/7/artifact/logs/");
        assertThat(MetricsFile.read(metricsFile).getMetrics()).isEqualTo(result.getMetrics().getMetrics());
    }

    @Test
    void shouldVoteTheFailVoteOnACustomLabelWhenAGateFails() throws IOException {
        Path baseline = temp.resolve("baseline.json");
        RunMetrics run = RunDirectoryReader.builder().build().read(Fixtures.runDirectory());
        MetricsFile.write(RunMetrics.of(List.of(MetricSummary.builder("train/epoch_loss").withCount(3)
                .withFirst(0.5).withLast(0.01, 2).withMin(0.01).withMax(0.5).withMean(0.2).build())), baseline);

        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(Fixtures.runDirectory())
                .withGate("train/epoch_loss.min <= baseline * 1.02").withBaselineFile(baseline)
                .withLabel("Model-Quality").withVotes(2, -2).build().run();

        double lossMin = run.getMetric("train/epoch_loss").orElseThrow().getMin();
        assertThat(result.isPassed()).isFalse();
        assertThat(result.getVote()).isEqualTo(-2);
        assertThat(result.getMessage()).startsWith("TensorFlow metrics: FAILED (Model-Quality-2)")
                .contains("0 of 1 gates passed, 1 failed")
                .containsPattern("\\| train/epoch_loss\\.min +\\| " + MetricsTable.number(lossMin)
                        + " +\\| 0\\.01 +\\| \\+" + MetricsTable.number(lossMin - 0.01).replace(".", "\\.")
                        + " +\\| <= baseline \\* 1\\.02 \\(0\\.0102\\) \\| FAIL +\\|");
    }

    @Test
    void shouldRefuseBadSettingsBeforeReadingAnything() {
        Path nowhere = temp.resolve("does-not-exist");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().build())
                .hasMessageContaining("runDirectory is required");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(nowhere).withLabel("Code Review")
                .build()).hasMessageContaining("label 'Code Review' is not a Gerrit label name");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(nowhere).withVotes(-1, 1)
                .build()).hasMessageContaining("must be higher");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(nowhere)
                .withLink("logs", "file:///etc/passwd").build()).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(nowhere)
                .withGate("loss.last => 1")).hasMessageContaining("Gate 'loss.last => 1'");
    }

    @Test
    void shouldNeverEchoCredentialsOfALink() {
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(temp)
                .withLink("logs", "https://jenkins:s3cr3t-t0ken@ci.example.test/logs/").build())
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining("s3cr3t-t0ken");
    }

    @Test
    void shouldSayWhichMetricsExistWhenAGateNamesAnotherOne() {
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(Fixtures.runDirectory())
                .withGate("accuracy.last >= 0.9").build().run())
                .isInstanceOf(UnknownMetricException.class)
                .hasMessageContaining("validation/epoch_accuracy").hasMessageContaining("val_accuracy");
    }

    @Test
    void shouldFailClearlyOnAMissingOrEmptyRunDirectory() throws IOException {
        Files.createDirectories(temp.resolve("empty"));
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(temp.resolve("missing")).build()
                .run()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TensorFlowMetricsCheck.builder().withRunDirectory(temp.resolve("empty")).build()
                .run()).hasMessageContaining("no TensorBoard event files");
    }

    @Test
    void shouldReportARunStillBeingWritten() throws IOException {
        Path run = temp.resolve("run");
        Path source = Fixtures.trainFile();
        Files.createDirectories(run.resolve("train"));
        byte[] bytes = Files.readAllBytes(source);
        Files.write(run.resolve("train").resolve(source.getFileName()), java.util.Arrays.copyOf(bytes,
                bytes.length - 7));

        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(run)
                .withGate("train/epoch_loss.count >= 1").build().run();

        assertThat(result.getMetrics().getTruncatedFiles()).hasSize(1);
        assertThat(result.getMessage()).contains("ends in a partial record at byte");
    }
}
