package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsFileTest {
    @TempDir
    Path temp;

    @Test
    void shouldRoundTripARealRunExactly() throws IOException {
        RunMetrics run = RunDirectoryReader.builder().build().read(Fixtures.runDirectory());
        Path file = temp.resolve("baselines/main.json");

        MetricsFile.write(run, file);
        RunMetrics read = MetricsFile.read(file);

        assertThat(read.getMetrics()).isEqualTo(run.getMetrics());
        assertThat(read.getFiles()).isEmpty();
        assertThat(Files.readString(file)).contains("\"format\" : \"gerrit-ml-tensorboard-metrics\"")
                .contains("\"validation/epoch_accuracy\" : {");
    }

    @Test
    void shouldKeepNonFiniteValues() throws IOException {
        RunMetrics diverged = RunMetrics.of(List.of(MetricSummary.builder("loss").withCount(3).withFirst(1)
                .withLast(Double.NaN, 2).withMin(Double.NEGATIVE_INFINITY).withMax(Double.POSITIVE_INFINITY)
                .withMean(Double.NaN).build()));

        assertThat(MetricsFile.fromJson(MetricsFile.toJson(diverged), "test")).isEqualTo(diverged);
    }

    @Test
    void shouldTreatAMissingBaselineAsNoneYet() throws IOException {
        assertThat(MetricsFile.readBaseline(temp.resolve("absent.json")).isEmpty()).isTrue();
        assertThatThrownBy(() -> MetricsFile.read(temp.resolve("absent.json"))).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "{;                                                                          not valid JSON",
        "{\"format\":\"other\",\"version\":1};                                       field \"format\" must be",
        "{\"version\":1};                                                            was missing",
        "{\"format\":\"gerrit-ml-tensorboard-metrics\",\"version\":2};               field \"version\" must be 1..1",
        "{\"format\":\"gerrit-ml-tensorboard-metrics\",\"version\":1,\"metrics\":{\"a\":{\"count\":1}}}; metric \"a\" lacks field \"first\"",
        "{\"format\":\"gerrit-ml-tensorboard-metrics\",\"version\":1,\"metrics\":{\"a\":{\"count\":0,\"first\":1,\"last\":1,\"lastStep\":1,\"min\":1,\"max\":1,\"mean\":1}}}; at least one value"})
    void shouldNameTheFieldToFix(final String json, final String problem) {
        assertThatThrownBy(() -> MetricsFile.fromJson(json, "baseline.json")).isInstanceOf(IOException.class)
                .hasMessageContaining("Metrics file baseline.json").hasMessageContaining(problem);
    }

    @Test
    void shouldIgnoreFieldsOfLaterVersions() throws IOException {
        RunMetrics read = MetricsFile.fromJson("{\"format\":\"gerrit-ml-tensorboard-metrics\",\"version\":1,"
                + "\"writer\":\"x\",\"metrics\":{\"a\":{\"count\":1,\"first\":1,\"last\":2,\"lastStep\":5,\"min\":1,"
                + "\"max\":2,\"mean\":1.5,\"p95\":2}}}", "test");

        assertThat(read.getMetric("a").orElseThrow().getLastStep()).isEqualTo(5);
    }
}
