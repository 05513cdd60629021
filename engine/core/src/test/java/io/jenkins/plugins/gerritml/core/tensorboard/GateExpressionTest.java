package io.jenkins.plugins.gerritml.core.tensorboard;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateExpressionTest {
    @Test
    void shouldParseMetricNamesWithSlashesAndDots() {
        GateExpression gate = GateExpression.parse("  validation/epoch.accuracy.last>=0.90 ");

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(gate.getMetric()).isEqualTo("validation/epoch.accuracy");
        softly.assertThat(gate.getAggregate()).isEqualTo(Aggregate.LAST);
        softly.assertThat(gate.getOperator()).isEqualTo(ComparisonOperator.GREATER_OR_EQUAL);
        softly.assertThat(gate.getThreshold()).isEqualTo(Threshold.constant(0.9));
        softly.assertThat(gate).hasToString("validation/epoch.accuracy.last >= 0.9");
        softly.assertAll();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "loss.min <= baseline * 1.02;     loss;  MIN;   <=; baseline * 1.02",
        "loss.MEAN < baseline + 0.01;     loss;  MEAN;  <;  baseline + 0.01",
        "val_loss.max > baseline - 1e-3;  val_loss; MAX; >;  baseline - 0.001",
        "a/b.first == baseline;           a/b;   FIRST; ==; baseline",
        "steps.count != -5;               steps; COUNT; !=; -5",
        "x.last > .5;                     x;     LAST;  >;  0.5"})
    void shouldParseEveryOperatorAndThresholdForm(final String text, final String metric, final Aggregate aggregate,
            final String operator, final String threshold) {
        GateExpression gate = GateExpression.parse(text);

        assertThat(gate.getMetric()).isEqualTo(metric);
        assertThat(gate.getAggregate()).isEqualTo(aggregate);
        assertThat(gate.getOperator().symbol()).isEqualTo(operator);
        assertThat(gate.getThreshold()).hasToString(threshold);
        assertThat(GateExpression.parse(gate.toString())).isEqualTo(gate);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "loss.last 0.5;               no comparison operator",
        "loss.last = 0.5;             use ==",
        "loss >= 0.5;                 METRIC.AGGREGATE",
        "loss.median >= 0.5;          unknown aggregate 'median'",
        "loss.last >= ;               nothing after the operator",
        "loss.last >= baseline ^ 2;   must be a number",
        "loss.last >= 0.5.1;          must be a number",
        "my loss.last >= 1;           contains a space",
        ".last >= 1;                  METRIC.AGGREGATE"})
    void shouldExplainWhatToFix(final String text, final String hint) {
        assertThatThrownBy(() -> GateExpression.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Gate '" + text.strip() + "'").hasMessageContaining(hint);
    }

    @Test
    void shouldParseOneGatePerLineSkippingCommentsAndBlanks() {
        assertThat(GateExpression.parseLines("# quality\nval_accuracy.last >= 0.9\n\n  loss.min <= baseline\r\n"))
                .containsExactly(GateExpression.parse("val_accuracy.last >= 0.9"),
                        GateExpression.parse("loss.min <= baseline"));
    }

    @Test
    void shouldResolveThresholdsAgainstTheBaseline() {
        java.util.OptionalDouble base = java.util.OptionalDouble.of(2.0);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(Threshold.constant(1).resolve(java.util.OptionalDouble.empty())).hasValue(1.0);
        softly.assertThat(Threshold.baseline().resolve(base)).hasValue(2.0);
        softly.assertThat(Threshold.baseline(Threshold.Adjustment.TIMES, 1.5).resolve(base)).hasValue(3.0);
        softly.assertThat(Threshold.baseline(Threshold.Adjustment.PLUS, 0.5).resolve(base)).hasValue(2.5);
        softly.assertThat(Threshold.baseline(Threshold.Adjustment.MINUS, 0.5).resolve(base)).hasValue(1.5);
        softly.assertThat(Threshold.baseline().resolve(java.util.OptionalDouble.empty())).isEmpty();
        softly.assertAll();
    }

    @Test
    void shouldFailNaNOnEveryComparisonButNotEqual() {
        for (ComparisonOperator operator : ComparisonOperator.values()) {
            assertThat(operator.test(Double.NaN, 1)).as(operator.symbol())
                    .isEqualTo(operator == ComparisonOperator.NOT_EQUAL);
        }
    }

    @Test
    void shouldHaveValueEquality() {
        EqualsVerifier.forClass(GateExpression.class).withNonnullFields("metric", "aggregate", "operator",
                "threshold").verify();
        EqualsVerifier.forClass(Threshold.class).withNonnullFields("adjustment").verify();
    }
}
