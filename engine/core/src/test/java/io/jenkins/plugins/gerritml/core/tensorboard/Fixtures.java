package io.jenkins.plugins.gerritml.core.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event files that {@code examples/tensorflow/train_tiny_keras.py} wrote with real TensorFlow, committed next to
 * it, and what TensorBoard's own loader read from them ({@code fixture-run.tensorboard.json}, written by the lab's
 * {@code tensorboard_scalars.py} at the same time).
 */
final class Fixtures {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Fixtures() {
    }

    static Path examples() {
        return io.jenkins.plugins.gerritml.lab.TensorFlowLab.projectRoot().resolve("examples").resolve("tensorflow");
    }

    static Path runDirectory() {
        return examples().resolve("fixture-run");
    }

    static Path trainFile() throws IOException {
        try (var files = Files.list(runDirectory().resolve("train"))) {
            return files.filter(path -> path.getFileName().toString().endsWith(".v2")).findFirst().orElseThrow();
        }
    }

    /** Metric name (run-qualified like our reader) to the points TensorBoard's loader read, in its order. */
    static Map<String, List<ScalarPoint>> tensorBoardPoints(final String json) throws IOException {
        Map<String, List<ScalarPoint>> points = new TreeMap<>();
        JsonNode runs = JSON.readTree(json).get("runs");
        for (Iterator<Map.Entry<String, JsonNode>> run = runs.fields(); run.hasNext();) {
            Map.Entry<String, JsonNode> runEntry = run.next();
            String prefix = runEntry.getKey().isEmpty() ? "" : runEntry.getKey() + "/";
            for (Iterator<Map.Entry<String, JsonNode>> tag = runEntry.getValue().fields(); tag.hasNext();) {
                Map.Entry<String, JsonNode> tagEntry = tag.next();
                List<ScalarPoint> series = new ArrayList<>();
                for (JsonNode point : tagEntry.getValue()) {
                    series.add(ScalarPoint.valueOf(point.get(0).asLong(), point.get(1).asDouble(),
                            point.get(2).asDouble()));
                }
                points.put(prefix + tagEntry.getKey(), series);
            }
        }
        return points;
    }

    static Map<String, List<ScalarPoint>> tensorBoardPoints() throws IOException {
        return tensorBoardPoints(Files.readString(examples().resolve("fixture-run.tensorboard.json")));
    }

    /** Every point our reader yields for a run directory, by metric name, in read order. */
    static Map<String, List<ScalarPoint>> ourPoints(final Path runDirectory) throws IOException {
        Map<String, List<ScalarPoint>> points = new TreeMap<>();
        RunMetrics metrics = RunDirectoryReader.builder().withPointsKept(Integer.MAX_VALUE).build()
                .read(runDirectory);
        metrics.getMetrics().forEach((name, summary) -> points.put(name, summary.getRecentPoints()));
        return new LinkedHashMap<>(points);
    }
}
