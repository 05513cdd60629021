package io.jenkins.plugins.gerritml.core.tensorboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TensorFlowMetricsResultMapTest {
    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveGatesAndMetricsAsPlainValues() throws IOException {
        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(Fixtures.runDirectory())
                .withGateLines("validation/epoch_accuracy.last >= 0.5\ntrain/epoch_loss.min <= baseline * 1.02")
                .build().run();

        Map<String, Object> map = result.asMap();

        assertThat(map).containsEntry("passed", true).containsEntry("label", "Verified").containsEntry("vote", 1);
        assertThat((List<?>) map.get("gates")).hasSize(2);
        assertThat((Map<String, Object>) ((List<?>) map.get("gates")).get(1)).containsEntry("status", "NO_BASELINE")
                .containsEntry("baseline", null);
        Map<String, Object> accuracy = (Map<String, Object>) ((Map<?, ?>) map.get("metrics"))
                .get("validation/epoch_accuracy");
        MetricSummary summary = result.getMetrics().getMetric("validation/epoch_accuracy").orElseThrow();
        assertThat(accuracy).containsEntry("last", summary.getLast()).containsEntry("min", summary.getMin())
                .containsEntry("count", summary.getCount()).containsEntry("lastStep", summary.getLastStep());
    }
}
