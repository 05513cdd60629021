package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.eventAsWritten;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.message;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.metadata;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.tf2ScalarValueAsWritten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file big enough for the two-thread read (over 8 MB, shaped like the benchmark's: four scalars a step, a histogram
 * now and then) read by the public readers, against a plain one-thread reading: a stream, the general decoder
 * (no quick path) and the same aggregates.
 */
class LargeEventFileTest {
    private static final int STEPS = 30_000;

    @TempDir
    static Path temp;
    private static Path file;
    private static byte[] bytes;
    private static List<Long> starts;

    @BeforeAll
    static void writeFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestEvents.record(TestEvents.fileVersionEvent()));
        String[] tags = {"while/loss", "while/accuracy", "while/learning_rate", "while/gradient_norm"};
        for (int step = 0; step < STEPS; step++) {
            for (int t = 0; t < tags.length; t++) {
                float value = (float) Math.sin(step * 0.001 + t) + (step % 97 == 0 ? Float.NaN : 0);
                out.writeBytes(TestEvents.record(eventAsWritten(1.7e9 + step, step,
                        tf2ScalarValueAsWritten(tags[t], value))));
            }
            if (step % 100 == 0) {
                out.writeBytes(TestEvents.record(eventAsWritten(1.7e9 + step, step, message()
                        .string(1, "while/weights").message(8, message().varint(1, 2).bytes(4, new byte[240]))
                        .message(9, metadata("histograms")))));
            }
        }
        file = Files.write(temp.resolve("events.out.tfevents.large"), out.toByteArray());
        bytes = out.toByteArray();
        starts = new ArrayList<>();
        new TfRecordReader(1 << 20, Long.MAX_VALUE).read(file, Channels.newChannel(Files.newInputStream(file)),
                (data, offset, length, fileOffset) -> starts.add(fileOffset));
    }

    @Test
    void shouldAggregateExactlyAsAOneThreadReadWithTheGeneralDecoder() throws IOException {
        assertThat(bytes.length).as("big enough for the two-thread path").isGreaterThan(8 << 20);

        RunMetrics metrics = RunDirectoryReader.builder().withPointsKept(50).build().read(file);

        assertThat(metrics.getMetrics()).hasSize(4).isEqualTo(oneThreadSummaries(file, 50));
        assertThat(metrics.getFiles()).singleElement().satisfies(report -> {
            assertThat(report.getRecords()).isEqualTo(starts.size());
            assertThat(report.getScalars()).isEqualTo(4L * STEPS);
            assertThat(report.getSkippedValues()).isEqualTo(STEPS / 100);
            assertThat(report.getBytes()).isEqualTo(bytes.length);
            assertThat(report.isTruncated()).isFalse();
        });
        assertThat(metrics.getMetric("while/loss").orElseThrow().getMean()).isNaN();
    }

    @Test
    void shouldStreamEveryPointInFileOrderOnTheCallersThread() throws IOException {
        List<String> points = new ArrayList<>();
        Thread caller = Thread.currentThread();

        EventFileReader.forRun().read(file, (tag, step, wallTime, value) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            points.add(tag + "@" + step);
        });

        assertThat(points).hasSize(4 * STEPS).startsWith("while/loss@0", "while/accuracy@0")
                .endsWith("while/gradient_norm@" + (STEPS - 1));
        assertThat(points.get(4 * 12_345 + 2)).isEqualTo("while/learning_rate@12345");
    }

    @Test
    void shouldReportDamageLateInTheFileWithItsOffsetAfterTheScalarsBeforeIt() throws IOException {
        int victim = starts.size() * 9 / 10;
        byte[] damaged = bytes.clone();
        damaged[(int) (long) starts.get(victim) + TfRecordReader.HEADER_BYTES + 5] ^= 0x01;
        Path bad = Files.write(temp.resolve("events.out.tfevents.damaged"), damaged);
        long[] seen = {0};

        assertThatThrownBy(() -> EventFileReader.forRun().read(bad, (tag, step, wallTime, value) -> seen[0]++))
                .isInstanceOfSatisfying(EventFileFormatException.class, e -> {
                    assertThat(e.getOffset()).isEqualTo(starts.get(victim));
                    assertThat(e.getFile()).isEqualTo(bad);
                })
                .hasMessageStartingWith("Corrupted TensorBoard event file " + bad + " at byte offset "
                        + starts.get(victim) + ": data CRC mismatch in a ");
        assertThat(seen[0]).isEqualTo(scalarsBefore(victim));
    }

    @Test
    void shouldStopAtTheLastWholeRecordOfALargeFileCutShort() throws IOException {
        long lastStart = starts.get(starts.size() - 1);
        Path cut = Files.write(temp.resolve("events.out.tfevents.cut"), Arrays.copyOf(bytes, bytes.length - 3));

        EventFileReport report = EventFileReader.forRun().read(cut, (tag, step, wallTime, value) -> { });

        assertThat(report.getRecords()).isEqualTo(starts.size() - 1);
        assertThat(report.getTruncatedAt()).isEqualTo(lastStart);
        assertThat(report.getDanglingBytes()).isEqualTo(bytes.length - 3 - lastStart);
        assertThat(report.getBytes()).isEqualTo(lastStart);
        assertThat(report.getScalars()).isEqualTo(4L * STEPS - 1);
    }

    /** The reference: stream, general decoder, the same accumulators, one thread. */
    private static Map<String, MetricSummary> oneThreadSummaries(final Path file, final int kept) throws IOException {
        Map<String, MetricAccumulator> accumulators = new LinkedHashMap<>();
        EventDecoder decoder = new EventDecoder(new TagTable(), false);
        new TfRecordReader(1 << 16, Long.MAX_VALUE).read(file, Channels.newChannel(Files.newInputStream(file)),
                (data, offset, length, fileOffset) -> {
                    try {
                        decoder.decodeEvent(data, offset, offset + length, (entry, step, wallTime, value) ->
                                accumulators.computeIfAbsent(entry.tag, name -> new MetricAccumulator(name, kept))
                                        .add(step, wallTime, value));
                    } catch (EventDecoder.MalformedEventException e) {
                        throw new AssertionError(e);
                    }
                });
        Map<String, MetricSummary> summaries = new TreeMap<>();
        accumulators.forEach((name, accumulator) -> summaries.put(name, accumulator.toSummary()));
        return summaries;
    }

    private static long scalarsBefore(final int record) throws IOException {
        long[] scalars = {0};
        int[] index = {0};
        EventDecoder decoder = new EventDecoder(new TagTable(), false);
        new TfRecordReader(1 << 16, Long.MAX_VALUE).read(file, Channels.newChannel(Files.newInputStream(file)),
                (data, offset, length, fileOffset) -> {
                    if (index[0]++ < record) {
                        try {
                            decoder.decodeEvent(data, offset, offset + length, (e, s, w, v) -> scalars[0]++);
                        } catch (EventDecoder.MalformedEventException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
        return scalars[0];
    }
}
