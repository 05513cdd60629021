package io.jenkins.plugins.gerritml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.tensorboard.EventFileReport;
import io.jenkins.plugins.gerritml.core.tensorboard.RunDirectoryReader;
import io.jenkins.plugins.gerritml.core.tensorboard.RunMetrics;
import io.jenkins.plugins.gerritml.lab.TensorFlowLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reading speed of a ≥200 MB TensorBoard event file written by real TensorFlow (the lab's
 * {@code write_scalar_events.py}: tf.summary.scalar ×4 per step plus a histogram every 100 steps, in a graph-mode
 * loop), for: our reader ({@link RunDirectoryReader}: CRCs, decoding, per-metric aggregates), TensorBoard's own
 * Python loaders on the same file, and {@code cat FILE > /dev/null} as the bound of a sequential read. The file is
 * kept under {@code bench/target/event-bench/} and reused. Figures only, no assertions:
 * {@code ./mvnw -Pbench -Dbench=EventReaderBench -pl bench -am verify} (-Dbench.megabytes=200).
 */
public final class EventReaderBench {
    private static final int RUNS = 5;

    private EventReaderBench() {
    }

    public static void main(final String[] args) throws Exception {
        int megabytes = Integer.getInteger("bench.megabytes", 200);
        TensorFlowLab tensorFlow = TensorFlowLab.require();
        Path file = eventFile(tensorFlow, megabytes);
        long bytes = Files.size(file);
        double mb = bytes / 1e6;
        System.out.printf("Event file: %s, %.1f MB%n", file, mb);

        cat(file); // bring it into the page cache: every reader below reads from memory, as cat does
        List<Double> catSeconds = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            catSeconds.add(cat(file));
        }

        RunMetrics metrics = null;
        List<Double> ourSeconds = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) { // two warm-up runs for the JIT
            System.gc();
            long started = System.nanoTime();
            metrics = RunDirectoryReader.builder().build().read(file);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (i >= 2) {
                ourSeconds.add(seconds);
            }
        }
        EventFileReport report = metrics.getFiles().get(0);
        long events = report.getRecords();
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapAfterMiB = (runtime.totalMemory() - runtime.freeMemory()) >> 20;

        String json = tensorFlow.runBundled("tensorboard_read_speed.py", List.of(file.toString(), "--repeats", "2"),
                Duration.ofMinutes(30));
        JsonNode tensorBoard = new ObjectMapper().readTree(json.lines().reduce((a, b) -> b).orElseThrow());
        double loaderSeconds = tensorBoard.get("loader_seconds").asDouble();
        double accumulatorSeconds = tensorBoard.get("accumulator_seconds").asDouble();

        double cat = median(catSeconds);
        double ours = median(ourSeconds);
        System.out.printf("%nEvents: %,d records, %,d scalars (TensorBoard loader saw %,d events, %,d scalars), "
                + "%d metrics%n", events, report.getScalars(), tensorBoard.get("events").asLong(),
                tensorBoard.get("scalars").asLong(), metrics.getMetrics().size());
        System.out.printf("%-48s %9s %10s %14s%n", "reader (median of " + RUNS + ", page cache warm)", "seconds",
                "MB/s", "events/s");
        row("cat FILE > /dev/null (sequential read bound)", cat, mb, events);
        row("our reader (RunDirectoryReader)", ours, mb, events);
        row("TensorBoard EventFileLoader (best of 2)", loaderSeconds, mb, events);
        row("TensorBoard EventAccumulator.Reload (1 run)", accumulatorSeconds, mb, events);
        System.out.printf("%nOur reader: %.1fx TensorBoard's EventFileLoader, %.1fx its EventAccumulator, %.0f%% of "
                + "cat's speed.%n", loaderSeconds / ours, accumulatorSeconds / ours, 100 * cat / ours);
        System.out.printf("Heap in use after reading (GC'd): %d MiB; JVM peak RSS: %s%n", heapAfterMiB, peakRss());
        System.out.println("Goal: >= 5x TensorBoard, >= 50% of cat.");
    }

    private static void row(final String name, final double seconds, final double mb, final long events) {
        System.out.printf("%-48s %9.3f %10.1f %,14.0f%n", name, seconds, mb / seconds, events / seconds);
    }

    private static Path eventFile(final TensorFlowLab tensorFlow, final int megabytes) throws IOException {
        Path dir = Path.of(System.getProperty("gerritml.project.root", "."), "bench", "target", "event-bench",
                megabytes + "mb");
        Path existing = find(dir);
        if (existing != null && Files.size(existing) >= megabytes * 1_000_000L) {
            return existing;
        }
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path stale : files.toList()) {
                    Files.delete(stale);
                }
            }
        }
        Files.createDirectories(dir);
        System.out.printf("Writing a %d MB event file with TensorFlow (takes about a minute per 200 MB)...%n",
                megabytes);
        long started = System.nanoTime();
        String out = tensorFlow.runBundled("write_scalar_events.py", List.of("--logdir", dir.toString(),
                "--megabytes", Integer.toString(megabytes)), Duration.ofMinutes(30));
        System.out.printf("  %s (%.0f s)%n", out.strip(), (System.nanoTime() - started) / 1e9);
        return find(dir);
    }

    private static Path find(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().contains("tfevents")).findFirst().orElse(null);
        }
    }

    private static double cat(final Path file) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder("cat", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        if (process.waitFor() != 0) {
            throw new IOException("cat " + file + " failed");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double median(final List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> l.replace("VmHWM:", "").strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
