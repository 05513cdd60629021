package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.util.List;
import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateReportTest {
    private static MetricSummary metric(final String name, final double first, final double last, final double min,
            final double max, final double mean) {
        return MetricSummary.builder(name).withCount(4).withFirst(first).withLast(last, 3).withMin(min).withMax(max)
                .withMean(mean).build();
    }

    private static final RunMetrics CURRENT = RunMetrics.of(List.of(
            metric("validation/epoch_accuracy", 0.8, 0.95, 0.8, 0.96, 0.9),
            metric("train/epoch_loss", 0.6, 0.11, 0.1, 0.6, 0.3)));
    private static final RunMetrics BASELINE = RunMetrics.of(List.of(
            metric("validation/epoch_accuracy", 0.8, 0.93, 0.8, 0.93, 0.88),
            metric("train/epoch_loss", 0.6, 0.09, 0.09, 0.6, 0.25)));

    @Test
    void shouldPassAndFailGatesAsWritten() {
        GateReport report = GateReport.evaluate(GateExpression.parseLines(String.join("\n",
                "validation/epoch_accuracy.last >= 0.9",
                "validation/epoch_accuracy.last >= baseline",
                "train/epoch_loss.min <= baseline * 1.02",
                "train/epoch_loss.mean < baseline + 0.1",
                "train/epoch_loss.count == 4")), CURRENT, BASELINE);

        assertThat(report.getResults()).extracting(GateResult::getStatus).containsExactly(
                GateResult.Status.PASSED, GateResult.Status.PASSED, GateResult.Status.FAILED,
                GateResult.Status.PASSED, GateResult.Status.PASSED);
        GateResult lossMin = report.getResults().get(2);
        assertThat(lossMin.getValue()).isEqualTo(0.1);
        assertThat(lossMin.getBaseline()).hasValue(0.09);
        assertThat(lossMin.getThreshold().getAsDouble()).isEqualTo(0.09 * 1.02);
        assertThat(lossMin.getDelta().getAsDouble()).isEqualTo(0.1 - 0.09);
        assertThat(report.isPassed()).isFalse();
        assertThat(report.count(GateResult.Status.FAILED)).isEqualTo(1);
    }

    @Test
    void shouldNotBlockBaselineGatesWhenThereIsNoBaselineYet() {
        GateReport report = GateReport.evaluate(List.of(GateExpression.parse("train/epoch_loss.min <= baseline"),
                GateExpression.parse("train/epoch_loss.last <= 0.5")), CURRENT, RunMetrics.empty());

        assertThat(report.getResults()).extracting(GateResult::getStatus)
                .containsExactly(GateResult.Status.NO_BASELINE, GateResult.Status.PASSED);
        assertThat(report.getResults().get(0).getDelta()).isEmpty();
        assertThat(report.isPassed()).isTrue();
    }

    @Test
    void shouldListTheMetricsFoundWhenAGateNamesAnUnknownOne() {
        assertThatThrownBy(() -> GateReport.evaluate(GateExpression.parseLines(
                "val_accuracy.last >= 0.9\ntrain/epoch_loss.last < 1\nepoch_loss.min < 1"), CURRENT, BASELINE))
                .isInstanceOfSatisfying(UnknownMetricException.class, e -> {
                    assertThat(e.getUnknown()).containsExactly("val_accuracy", "epoch_loss");
                    assertThat(e.getFound()).containsExactly("train/epoch_loss", "validation/epoch_accuracy");
                })
                .hasMessageContaining("Unknown metrics val_accuracy, epoch_loss")
                .hasMessageContaining("Metrics found: train/epoch_loss, validation/epoch_accuracy");
    }

    @Test
    void shouldFailADivergedRun() {
        RunMetrics diverged = RunMetrics.of(List.of(MetricSummary.builder("loss").withCount(2).withFirst(1)
                .withLast(Double.NaN, 1).withMin(Double.NaN).withMax(Double.NaN).withMean(Double.NaN).build()));

        GateReport report = GateReport.evaluate(List.of(GateExpression.parse("loss.last <= 10"),
                GateExpression.parse("loss.mean > 0")), diverged, RunMetrics.empty());

        assertThat(report.getResults()).allMatch(GateResult::isFailed);
    }

    @Test
    void shouldEvaluateGatesOnTheRealFixtureRun() throws IOException {
        RunMetrics run = RunDirectoryReader.builder().build().read(Fixtures.runDirectory());
        double accuracy = run.getMetric("validation/epoch_accuracy").orElseThrow().getLast();

        GateReport report = GateReport.evaluate(List.of(
                GateExpression.of("validation/epoch_accuracy", Aggregate.LAST, ComparisonOperator.GREATER_OR_EQUAL,
                        Threshold.constant(accuracy)),
                GateExpression.of("validation/epoch_accuracy", Aggregate.LAST, ComparisonOperator.GREATER,
                        Threshold.constant(accuracy)),
                GateExpression.parse("val_accuracy.max <= 1")), run, run);

        assertThat(report.getResults()).extracting(GateResult::getStatus).containsExactly(GateResult.Status.PASSED,
                GateResult.Status.FAILED, GateResult.Status.PASSED);
        assertThat(report.getResults().get(0).getDelta()).hasValue(0.0);
    }

    @Test
    void shouldHaveValueEquality() {
        EqualsVerifier.forClass(GateResult.class).withNonnullFields("gate", "status", "baseline", "threshold")
                .verify();
        EqualsVerifier.forClass(MetricSummary.class).withNonnullFields("name", "recentPoints").verify();
        EqualsVerifier.forClass(ScalarPoint.class).verify();
        EqualsVerifier.forClass(EventFileReport.class).withNonnullFields("file").verify();
        EqualsVerifier.forClass(RunMetrics.class).withNonnullFields("metrics", "files").verify();
    }
}
