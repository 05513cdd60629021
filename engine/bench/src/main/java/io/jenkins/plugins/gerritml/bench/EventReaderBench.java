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
 * {@code ./mvnw -Pbench -Dbench=EventReaderBench -pl lab,core,bench -am verify} (-Dbench.megabytes=200,
 * -Dbench.runs=5, -Dbench.oursOnly=true to time only our reader and cat, in seconds; the exec plugin starts a new JVM, so
 * pass them as e.g. {@code JAVA_TOOL_OPTIONS="-Dbench.oursOnly=true -Dbench.runs=15"}).
 */
public final class EventReaderBench {
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    /** Skip TensorBoard's loaders (minutes): repeated timing of our reader against cat only. */
    private static final boolean OURS_ONLY = Boolean.getBoolean("bench.oursOnly");

    private EventReaderBench() {
    }

    public static void main(final String[] args) throws Exception {
        int megabytes = Integer.getInteger("bench.megabytes", 200);
        TensorFlowLab tensorFlow = TensorFlowLab.require();
        Path file = eventFile(tensorFlow, megabytes);
        long bytes = Files.size(file);
        double mb = bytes / 1e6;
        System.out.printf("Event file: %s, %.1f MB%n", file, mb);

        System.out.printf("Load average before: %s (%d cores)%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
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

        if (OURS_ONLY) {
            System.out.printf("%nEvents: %,d records, %,d scalars, %d metrics; load average after: %s%n", events,
                    report.getScalars(), metrics.getMetrics().size(), loadAverage());
            System.out.printf("%-48s %9s %9s %10s %14s%n", "reader (" + RUNS + " runs, page cache warm)", "best s",
                    "median s", "MB/s (med)", "events/s (med)");
            rows("cat FILE > /dev/null (sequential read bound)", catSeconds, mb, events);
            rows("our reader (RunDirectoryReader)", ourSeconds, mb, events);
            System.out.printf("%nOur reader: %.0f%% of cat's speed (medians), %.0f%% (bests).%n",
                    100 * median(catSeconds) / median(ourSeconds), 100 * best(catSeconds) / best(ourSeconds));
            System.out.printf("Heap in use after reading (GC'd): %d MiB; %s%n", heapAfterMiB, memory());
            return;
        }
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
        System.out.printf("Heap in use after reading (GC'd): %d MiB; %s; load average after: %s%n", heapAfterMiB,
                memory(), loadAverage());
        System.out.println("Goal: >= 5x TensorBoard, >= 50% of cat.");
    }

    private static void row(final String name, final double seconds, final double mb, final long events) {
        System.out.printf("%-48s %9.3f %10.1f %,14.0f%n", name, seconds, mb / seconds, events / seconds);
    }

    private static Path eventFile(final TensorFlowLab tensorFlow, final int megabytes) throws IOException {
        Path dir = Path.of(System.getProperty("gerritml.project.root", "."), "engine", "bench", "target", "event-bench",
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

    private static void rows(final String name, final List<Double> seconds, final double mb, final long events) {
        double median = median(seconds);
        System.out.printf("%-48s %9.3f %9.3f %10.1f %,14.0f%n", name, best(seconds), median, mb / median,
                events / median);
    }

    private static double best(final List<Double> values) {
        return Collections.min(values);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static double median(final List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Peak RSS, and now: anonymous (heap etc.) and file-backed (the reader's memory map, paged by the OS). */
    private static String memory() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return "JVM peak RSS " + field(status, "VmHWM") + " (now: anonymous " + field(status, "RssAnon")
                    + ", file-backed " + field(status, "RssFile") + ")";
        } catch (IOException e) {
            return "JVM RSS ?";
        }
    }

    private static String field(final List<String> status, final String name) {
        return status.stream().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }
}
