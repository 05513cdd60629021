package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTableTest {
    private static MetricSummary metric(final String name, final double last) {
        return MetricSummary.builder(name).withCount(1).withFirst(last).withLast(last, 0).withMin(last)
                .withMax(last).withMean(last).build();
    }

    @Test
    void shouldLineUpColumnsSoThatPlainTextReadsLikeTheRenderedTable() {
        RunMetrics current = RunMetrics.of(List.of(metric("validation/epoch_accuracy", 0.96875),
                metric("train/epoch_loss", 0.054034117609262466), metric("a|b", 3)));
        RunMetrics baseline = RunMetrics.of(List.of(metric("validation/epoch_accuracy", 0.953125)));
        GateReport report = GateReport.evaluate(GateExpression.parseLines(
                "validation/epoch_accuracy.last >= 0.9\ntrain/epoch_loss.last <= baseline"), current, baseline);

        String table = MetricsTable.render(report, 5);

        assertThat(table).isEqualTo(""
                + "| metric                         | value     | baseline | delta     | gate        | result      |\n"
                + "| ------------------------------ | --------- | -------- | --------- | ----------- | ----------- |\n"
                + "| validation/epoch_accuracy.last | 0.96875   | 0.953125 | +0.015625 | >= 0.9      | PASS        |\n"
                + "| train/epoch_loss.last          | 0.0540341 | -        | -         | <= baseline | no baseline |\n"
                + "| a\\|b.last                       | 3         | -        | -         |             |             |\n");
    }

    @Test
    void shouldCapTheRowsOfUngatedMetrics() {
        RunMetrics current = RunMetrics.of(List.of(metric("a", 1), metric("b", 2), metric("c", 3)));

        String table = MetricsTable.render(GateReport.evaluate(List.of(), current, RunMetrics.empty()), 1);

        assertThat(table).contains("| a.last ").doesNotContain("| b.last").contains("(2 more metrics)");
    }

    @Test
    void shouldFormatNumbersShortButExact() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(MetricsTable.number(0.1f)).isEqualTo("0.1");
        softly.assertThat(MetricsTable.number(1234567.891)).isEqualTo("1234570");
        softly.assertThat(MetricsTable.number(1e-7)).isEqualTo("1E-7");
        softly.assertThat(MetricsTable.number(-0.5)).isEqualTo("-0.5");
        softly.assertThat(MetricsTable.number(Double.NaN)).isEqualTo("NaN");
        softly.assertThat(MetricsTable.number(0)).isEqualTo("0");
        softly.assertAll();
    }

    @Test
    void shouldSayThatTheSeriesHasNaNWhenAMinMaxOrMeanIsNaN() {
        MetricAccumulator loss = new MetricAccumulator("loss", 0);
        loss.add(0, 0, 0.7);
        loss.add(1, 1, Double.NaN);
        loss.add(2, 2, 0.5);
        MetricAccumulator swing = new MetricAccumulator("swing", 0);
        swing.add(0, 0, Double.POSITIVE_INFINITY);
        swing.add(1, 1, Double.NEGATIVE_INFINITY);
        RunMetrics current = RunMetrics.of(List.of(loss.toSummary(), swing.toSummary()));

        String table = MetricsTable.render(GateReport.evaluate(GateExpression.parseLines(
                "loss.min < 1\nloss.max < 1\nloss.mean < 1\nloss.last < 1\nswing.mean < 1"), current,
                RunMetrics.empty()));

        assertThat(table.lines()).anySatisfy(l -> assertThat(l).startsWith("| loss.min ")
                        .contains("| NaN (series has NaN) "))
                .anySatisfy(l -> assertThat(l).startsWith("| loss.max ").contains("| NaN (series has NaN) "))
                .anySatisfy(l -> assertThat(l).startsWith("| loss.mean ").contains("| NaN (series has NaN) "))
                .anySatisfy(l -> assertThat(l).startsWith("| loss.last ").contains("| 0.5 "))
                .anySatisfy(l -> assertThat(l).startsWith("| swing.mean ")
                        .contains("| NaN (series has inf and -inf) "));
    }
}
