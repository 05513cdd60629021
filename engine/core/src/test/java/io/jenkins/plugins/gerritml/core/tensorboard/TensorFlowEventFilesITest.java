package io.jenkins.plugins.gerritml.core.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.TensorFlowLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Event files written in this build by real TensorFlow (tensorflow-cpu in the lab's virtualenv, running
 * examples/tensorflow/train_tiny_keras.py), read by our reader and by TensorBoard's own loader, then gated and posted
 * as a vote to the lab's real Gerrit. One class so the TensorFlow run happens once.
 */
@ExtendWith(GerritLab.class)
class TensorFlowEventFilesITest {
    @TempDir
    static Path temp;
    private static TensorFlowLab tensorFlow;
    private static Path run;

    @BeforeAll
    static void trainATinyModel() {
        tensorFlow = TensorFlowLab.require();
        run = temp.resolve("logs");
        long started = System.nanoTime();
        String output = tensorFlow.trainTinyKeras(run, 4, 11);
        System.out.printf("TensorFlow training run: %d ms (%s)%n", (System.nanoTime() - started) / 1_000_000,
                output.lines().filter(line -> line.startsWith("trained")).findFirst().orElse("?"));
    }

    @Test
    void shouldReadFreshTensorFlowFilesExactlyAsTensorBoardsLoaderDoes() throws IOException {
        Map<String, List<ScalarPoint>> expected = Fixtures.tensorBoardPoints(tensorFlow.tensorBoardScalarsJson(run));

        Map<String, List<ScalarPoint>> actual = Fixtures.ourPoints(run);

        assertThat(expected).containsKeys("train/epoch_loss", "train/epoch_accuracy", "train/epoch_weight_norm",
                "validation/epoch_loss", "validation/epoch_accuracy", "val_loss", "val_accuracy");
        assertThat(expected.get("validation/epoch_accuracy")).hasSize(4);
        assertThat(actual).isEqualTo(expected);
        // Every value was stored as float32: widening is exact, so narrowing gives the same number back.
        assertThat(actual.values()).allSatisfy(points -> assertThat(points)
                .allMatch(point -> (double) (float) point.getValue() == point.getValue()));
    }

    @Test
    void shouldStopAtTheSameRecordAsTensorBoardWhenARunIsStillWriting() throws IOException {
        Path cutRun = temp.resolve("cut");
        copy(run, cutRun);
        Path train = largestEventFile(cutRun.resolve("train"));
        byte[] bytes = Files.readAllBytes(train);
        Files.write(train, Arrays.copyOf(bytes, bytes.length - 100));

        Map<String, List<ScalarPoint>> expected = Fixtures.tensorBoardPoints(tensorFlow.tensorBoardScalarsJson(cutRun));
        Map<String, List<ScalarPoint>> actual = Fixtures.ourPoints(cutRun);
        RunMetrics metrics = RunDirectoryReader.builder().build().read(cutRun);

        assertThat(actual).isEqualTo(expected);
        assertThat(metrics.getTruncatedFiles()).singleElement()
                .satisfies(file -> assertThat(file.getFile()).startsWith("train/"));
    }

    @Test
    void shouldRefuseACorruptedFileThatTensorBoardWouldSilentlyCutShort() throws IOException {
        Path badRun = temp.resolve("bad");
        copy(run, badRun);
        Path train = largestEventFile(badRun.resolve("train"));
        byte[] bytes = Files.readAllBytes(train);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(train, bytes);

        assertThatThrownBy(() -> RunDirectoryReader.builder().build().read(badRun))
                .isInstanceOf(EventFileFormatException.class).hasMessageContaining(train.toString())
                .hasMessageMatching("(?s).*at byte offset \\d+: (data|length) CRC mismatch.*");
    }

    @Test
    void shouldPassAndFailGatesAsWrittenOnAFreshRun() throws IOException {
        Path baseline = temp.resolve("baseline.json");
        MetricsFile.write(RunDirectoryReader.builder().build().read(Fixtures.runDirectory()), baseline);

        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(run)
                .withGateLines(String.join("\n",
                        "validation/epoch_accuracy.last >= 0.75",
                        "val_accuracy.max >= 0.75",
                        "train/epoch_loss.mean > 0",
                        "train/epoch_loss.min <= baseline * 0.01",
                        "validation/epoch_loss.count == 4"))
                .withBaselineFile(baseline).build().run();

        assertThat(result.getReport().getResults()).extracting(GateResult::getStatus).containsExactly(
                GateResult.Status.PASSED, GateResult.Status.PASSED, GateResult.Status.PASSED,
                GateResult.Status.FAILED, GateResult.Status.PASSED);
        assertThat(result.getVote()).isEqualTo(-1);
    }

    @Test
    void shouldPostTheVoteWithTheMetricsTableToTheRealGerrit(final GerritServer gerrit) throws IOException {
        LabChange change = gerrit.createChange(gerrit.dana(), "Tune the tiny model", "train/config.yaml",
                "epochs: 4\nseed: 11\n");
        String label = "Model-Quality-" + change.number();
        gerrit.createLabel(label);
        Path metricsFile = temp.resolve("metrics-" + change.number() + ".json");

        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(run)
                .withGateLines("validation/epoch_accuracy.last >= 0.75\ntrain/epoch_loss.min <= baseline * 1.02")
                .withBaselineFile(temp.resolve("no-baseline-yet.json")).withMetricsFile(metricsFile)
                .withLabel(label).withLink("TensorBoard logs", "https://ci.example.test/job/ml/7/artifact/logs/")
                .build().run();
        result.postTo(LabGerrit.jenkinsClient(gerrit), LabGerrit.context(gerrit, change));
        TensorFlowMetricsResult failing = TensorFlowMetricsCheck.builder().withRunDirectory(run)
                .withGate("validation/epoch_accuracy.last >= 1.01").build().run();
        failing.postTo(LabGerrit.jenkinsClient(gerrit), LabGerrit.context(gerrit, change));

        JsonNode read = gerrit.readChange(change);
        JsonNode messages = read.get("messages");
        String passed = messages.get(messages.size() - 2).get("message").asText();
        String failed = messages.get(messages.size() - 1).get("message").asText();
        System.out.println("Posted to Gerrit change " + change.number() + ":\n" + passed);
        assertThat(passed).contains(label + "+1").contains("TensorFlow metrics: passed")
                .containsPattern("\\| validation/epoch_accuracy\\.last +\\| [0-9.]+ +\\| - +\\| - +\\| >= 0\\.75 +\\| "
                        + "PASS")
                .contains("no baseline").contains("* TensorBoard logs: https://ci.example.test/job/ml/7/artifact/logs/");
        assertThat(failed).contains("Verified-1").contains("TensorFlow metrics: FAILED").contains("| FAIL ");
        assertThat(messages.get(messages.size() - 1).get("tag").asText())
                .isEqualTo("autogenerated:gerrit-ml:tensorflow");
        assertThat(read.get("labels").get(label).get("all")).anySatisfy(vote -> {
            assertThat(vote.get("username").asText()).isEqualTo("jenkins");
            assertThat(vote.get("value").asInt()).isEqualTo(1);
        });
        assertThat(read.get("labels").get("Verified").get("all"))
                .anySatisfy(vote -> assertThat(vote.get("value").asInt()).isEqualTo(-1));
        assertThat(MetricsFile.read(metricsFile).getMetricNames()).contains("validation/epoch_accuracy");
    }

    private static Path largestEventFile(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    private static void copy(final Path from, final Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
