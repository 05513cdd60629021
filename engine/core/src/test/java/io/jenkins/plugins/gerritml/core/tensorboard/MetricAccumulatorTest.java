package io.jenkins.plugins.gerritml.core.tensorboard;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricAccumulatorTest {
    private static MetricSummary summary(final double... values) {
        MetricAccumulator accumulator = new MetricAccumulator("loss", 0);
        for (int i = 0; i < values.length; i++) {
            accumulator.add(i, i, values[i]);
        }
        return accumulator.toSummary();
    }

    @Test
    void shouldGiveTheInfinityAsTheMeanOfASeriesWithAnInfinityAsTensorBoardDoes() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(summary(0.5, Double.POSITIVE_INFINITY, 0.25).getMean()).isEqualTo(Double.POSITIVE_INFINITY);
        softly.assertThat(summary(Double.POSITIVE_INFINITY).getMean()).isEqualTo(Double.POSITIVE_INFINITY);
        softly.assertThat(summary(1, Double.NEGATIVE_INFINITY, 2).getMean()).isEqualTo(Double.NEGATIVE_INFINITY);
        softly.assertThat(summary(1, Double.POSITIVE_INFINITY, 2).getMax()).isEqualTo(Double.POSITIVE_INFINITY);
        softly.assertThat(summary(1, Double.POSITIVE_INFINITY, 2).getMin()).isEqualTo(1);
        softly.assertAll();
    }

    @Test
    void shouldGiveNaNForBothInfinitiesOrANaNPoint() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(summary(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).getMean()).isNaN();
        softly.assertThat(summary(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).getMin())
                .isEqualTo(Double.NEGATIVE_INFINITY);
        softly.assertThat(summary(1, Double.NaN, Double.POSITIVE_INFINITY).getMean()).isNaN();
        softly.assertThat(summary(1, Double.NaN, 2).getMin()).isNaN();
        softly.assertThat(summary(1, Double.NaN, 2).getMax()).isNaN();
        softly.assertThat(summary(1, Double.NaN, 2).getLast()).isEqualTo(2);
        softly.assertAll();
    }

    @Test
    void shouldKeepTheFiniteMeanExact() {
        assertThat(summary(0.1, 0.2, 0.3, 0.4).getMean()).isEqualTo(0.25);
    }
}
