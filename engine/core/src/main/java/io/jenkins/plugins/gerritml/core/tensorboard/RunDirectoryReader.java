package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a run directory the way TensorBoard lays it out: every directory holding event files is a (sub-)run, e.g.
 * {@code train/} and {@code validation/} under the Keras log dir; files within a run are read in name order. Metric
 * names are run-qualified: tag {@code epoch_loss} in {@code validation/} is {@code validation/epoch_loss}; tags of
 * files directly in the run directory keep their bare names (a top-level tag {@code train/loss} and tag {@code loss} of
 * sub-run {@code train/} would share one name and are aggregated together). An event file is any regular file whose name contains
 * {@code tfevents} (TensorBoard's rule). Memory holds per-metric aggregates (and {@link Builder#withPointsKept kept}
 * points) only, whatever the size of the files.
 */
public final class RunDirectoryReader {
    private final int pointsKept;

    private RunDirectoryReader(final Builder builder) {
        this.pointsKept = builder.pointsKept;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads all event files under {@code runDirectory} (or that one file); fails if there is none. */
    public RunMetrics read(final Path runDirectory) throws IOException {
        if (!Files.exists(runDirectory)) {
            throw new NoSuchFileException(runDirectory.toString(), null, "the TensorBoard run directory does not exist");
        }
        Map<String, List<Path>> runs = findRuns(runDirectory);
        if (runs.isEmpty()) {
            throw new NoSuchFileException(runDirectory.toString(), null,
                    "no TensorBoard event files (events.out.tfevents.*) in it or below it");
        }
        Map<String, MetricAccumulator> accumulators = new LinkedHashMap<>();
        List<EventFileReport> reports = new ArrayList<>();
        for (Map.Entry<String, List<Path>> run : runs.entrySet()) {
            String prefix = run.getKey().isEmpty() ? "" : run.getKey() + "/";
            EventFileReader reader = EventFileReader.forRun();
            // The tag's entry carries its accumulator: no map lookup per scalar.
            EventDecoder.ScalarSink listener = (entry, step, wallTime, value) -> {
                if (entry.attachment == null) {
                    entry.attachment = accumulators.computeIfAbsent(prefix + entry.tag,
                            name -> new MetricAccumulator(name, pointsKept));
                }
                ((MetricAccumulator) entry.attachment).add(step, wallTime, value);
            };
            for (Path file : run.getValue()) {
                reports.add(reader.readEntries(file, prefix + file.getFileName(), listener));
            }
        }
        Map<String, MetricSummary> metrics = new TreeMap<>();
        accumulators.forEach((name, accumulator) -> metrics.put(name, accumulator.toSummary()));
        return RunMetrics.of(metrics, reports);
    }

    /** Run (relative directory, "/"-separated, "" for the top) to its event files in name order; runs sorted. */
    static Map<String, List<Path>> findRuns(final Path runDirectory) throws IOException {
        Map<String, List<Path>> runs = new TreeMap<>();
        if (Files.isRegularFile(runDirectory)) {
            runs.put("", List.of(runDirectory));
            return runs;
        }
        try (Stream<Path> walk = Files.walk(runDirectory)) {
            walk.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().contains("tfevents"))
                    .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .forEach(path -> runs.computeIfAbsent(runName(runDirectory, path.getParent()),
                            k -> new ArrayList<>()).add(path));
        }
        return runs;
    }

    private static String runName(final Path runDirectory, final Path directory) {
        Path relative = runDirectory.relativize(directory);
        List<String> parts = new ArrayList<>();
        relative.forEach(part -> parts.add(part.toString()));
        return parts.size() == 1 && parts.get(0).isEmpty() ? "" : String.join("/", parts);
    }

    /** Builds a {@link RunDirectoryReader}. */
    public static final class Builder {
        private int pointsKept;

        private Builder() {
        }

        /** Keep the last {@code count} points of each metric (default 0: aggregates only). */
        public Builder withPointsKept(final int count) {
            if (count < 0) {
                throw new IllegalArgumentException("pointsKept must be 0 or more, was " + count);
            }
            this.pointsKept = count;
            return this;
        }

        public RunDirectoryReader build() {
            return new RunDirectoryReader(this);
        }
    }
}
