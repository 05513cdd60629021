package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The framing paths against each other: one thread reading the file through a stream, one thread through a file
 * channel, and the two-thread pipeline (helper verifies, caller handles), with buffers small enough that records straddle
 * many chunk boundaries. All must hand over the same records at the same offsets and fail at the same first damage.
 */
class TfRecordReaderTest {
    private static final long ALWAYS_PIPELINED = 0;
    private static final long NEVER_PIPELINED = Long.MAX_VALUE;

    @TempDir
    Path temp;

    @Test
    void shouldHandOverTheSameRecordsOnEveryPathForTheCommittedFixtures() throws IOException {
        try (var files = Files.walk(Fixtures.runDirectory())) {
            for (Path file : files.filter(path -> path.getFileName().toString().contains("tfevents")).toList()) {
                List<String> expected = streamed(file);
                assertThat(expected).as(file.toString()).isNotEmpty();
                for (int buffer : new int[] {16, 100, 4096, 1 << 18}) {
                    assertThat(records(file, buffer, NEVER_PIPELINED)).as("file channel, buffer %d", buffer)
                            .isEqualTo(expected);
                    assertThat(records(file, buffer, ALWAYS_PIPELINED)).as("pipelined, buffer %d", buffer)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldHandOverTheSameRecordsOnEveryPathForManyRecordsOfMixedSizes() throws IOException {
        Path file = manyRecords(temp.resolve("events.out.tfevents.many"), 20_000, 11);

        List<String> expected = streamed(file);

        assertThat(expected).hasSize(20_000);
        for (int buffer : new int[] {16, 999, 1 << 16}) {
            assertThat(records(file, buffer, NEVER_PIPELINED)).as("file channel, buffer %d", buffer).isEqualTo(expected);
            assertThat(records(file, buffer, ALWAYS_PIPELINED)).as("pipelined, buffer %d", buffer)
                    .isEqualTo(expected);
        }
        assertThat(outcome(file, 999, ALWAYS_PIPELINED)).isEqualTo(new TfRecordReader.Outcome(20_000,
                Files.size(file), -1, 0));
    }

    @Test
    void shouldReportTheFirstDamageByOffsetAfterHandingOverEverythingBeforeIt() throws IOException {
        Path whole = manyRecords(temp.resolve("events.out.tfevents.whole"), 5_000, 5);
        List<Long> starts = starts(whole);
        byte[] bytes = Files.readAllBytes(whole);
        int late = 4_321; // far into the file: many chunks after the first
        long lateOffset = starts.get(late);
        long laterOffset = starts.get(late + 100);

        byte[] damaged = bytes.clone();
        damaged[(int) lateOffset + TfRecordReader.HEADER_BYTES + 1] ^= 0x04; // data
        damaged[(int) laterOffset + 2] ^= 0x01; // a later length: must not win
        Path file = Files.write(temp.resolve("events.out.tfevents.damaged"), damaged);

        for (long pipelinedFrom : new long[] {ALWAYS_PIPELINED, NEVER_PIPELINED}) {
            for (int buffer : new int[] {64, 4096}) {
                List<Long> seen = new ArrayList<>();
                assertThatThrownBy(() -> new TfRecordReader(buffer, pipelinedFrom).read(file,
                        FileChannel.open(file), (data, offset, length, fileOffset) -> seen.add(fileOffset)))
                        .isInstanceOfSatisfying(EventFileFormatException.class,
                                e -> assertThat(e.getOffset()).isEqualTo(lateOffset))
                        .hasMessage("Corrupted TensorBoard event file " + file + " at byte offset " + lateOffset
                                + ": data CRC mismatch in a " + (starts.get(late + 1) - lateOffset - 16)
                                + " byte record (stored 0x%08x, computed 0x%08x)",
                                intAt(damaged, (int) starts.get(late + 1).longValue() - 4),
                                TfRecordReader.mask(crc(damaged, (int) lateOffset + 12,
                                        (int) (starts.get(late + 1) - lateOffset - 16))));
                assertThat(seen).as("pipelined from %d, buffer %d", pipelinedFrom, buffer)
                        .isEqualTo(starts.subList(0, late));
            }
        }
    }

    @Test
    void shouldCheckTheLengthCrcOfEveryRecordEvenWhenItsLengthWasSeenBefore() throws IOException {
        Path whole = manyRecords(temp.resolve("events.out.tfevents.same-lengths"), 3_000, 0); // all one length
        List<Long> starts = starts(whole);
        byte[] damaged = Files.readAllBytes(whole);
        long victim = starts.get(2_500);
        damaged[(int) victim + 9] ^= 0x20; // the stored length CRC, not the length

        Path file = Files.write(temp.resolve("events.out.tfevents.bad-length-crc"), damaged);

        for (long pipelinedFrom : new long[] {ALWAYS_PIPELINED, NEVER_PIPELINED}) {
            assertThatThrownBy(() -> new TfRecordReader(512, pipelinedFrom).read(file, FileChannel.open(file),
                    (data, offset, length, fileOffset) -> { }))
                    .isInstanceOfSatisfying(EventFileFormatException.class,
                            e -> assertThat(e.getOffset()).isEqualTo(victim))
                    .hasMessageContaining("length CRC mismatch");
        }
    }

    @Test
    void shouldStopAtTheLastWholeRecordWhenTheFileIsCutAnywhereInIt() throws IOException {
        Path whole = manyRecords(temp.resolve("events.out.tfevents.uncut"), 2_000, 3);
        List<Long> starts = starts(whole);
        byte[] bytes = Files.readAllBytes(whole);
        long lastStart = starts.get(starts.size() - 1);

        for (long cut = lastStart; cut < bytes.length; cut++) {
            Path file = Files.write(temp.resolve("events.out.tfevents.cut"), Arrays.copyOf(bytes, (int) cut));
            TfRecordReader.Outcome expected = new TfRecordReader.Outcome(starts.size() - 1, lastStart,
                    cut == lastStart ? -1 : lastStart, cut - lastStart);
            assertThat(outcome(file, 64, ALWAYS_PIPELINED)).as("pipelined, cut at %d", cut).isEqualTo(expected);
            assertThat(outcome(file, 64, NEVER_PIPELINED)).as("file channel, cut at %d", cut).isEqualTo(expected);
            assertThat(new TfRecordReader(64, NEVER_PIPELINED).read(file,
                    Channels.newChannel(Files.newInputStream(file)), (data, offset, length, fileOffset) -> { }))
                    .as("streamed, cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void shouldStopTheHelperThreadWhenTheHandlerFails() throws IOException {
        Path file = manyRecords(temp.resolve("events.out.tfevents.handler-fails"), 20_000, 7);
        int[] seen = {0};

        assertThatThrownBy(() -> new TfRecordReader(256, ALWAYS_PIPELINED).read(file, FileChannel.open(file),
                (data, offset, length, fileOffset) -> {
                    if (++seen[0] == 100) {
                        throw new IOException("listener gave up");
                    }
                })).hasMessage("listener gave up");

        assertThat(seen[0]).isEqualTo(100);
        // The helper is joined before read() returns: no thread of this read is left.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName()
                .startsWith("tfrecord-verify ") && thread.getName().contains("handler-fails"));
    }

    @Test
    void shouldSayWhenAFileIsCutShorterWhileItIsBeingRead() throws IOException {
        Path file = manyRecords(temp.resolve("events.out.tfevents.shrinking"), 20_000, 7); // ~2.8 MB

        // Two threads, the helper copying from a memory map: an IOException saying so, not a JVM InternalError.
        Path mapped = Files.copy(file, temp.resolve("events.out.tfevents.shrinking-mapped"));
        assertThatThrownBy(() -> readCuttingShortAtTheFirstRecord(mapped, ALWAYS_PIPELINED))
                .isInstanceOf(IOException.class).isNotInstanceOf(EventFileFormatException.class)
                .hasMessageStartingWith(mapped + " became shorter while it was being read (from " + Files.size(file)
                        + " to 8192 bytes)");

        // One thread, reading the channel: it sees the end where the file now ends, as a file cut short.
        Path streamed = Files.copy(file, temp.resolve("events.out.tfevents.shrinking-streamed"));
        TfRecordReader.Outcome outcome = readCuttingShortAtTheFirstRecord(streamed, NEVER_PIPELINED);
        assertThat(outcome.bytes() + outcome.danglingBytes()).isEqualTo(8192);
    }

    private static TfRecordReader.Outcome readCuttingShortAtTheFirstRecord(final Path file, final long pipelinedFrom)
            throws IOException {
        boolean[] cut = {false};
        try (FileChannel channel = FileChannel.open(file)) {
            return new TfRecordReader(4096, pipelinedFrom).read(file, channel, (data, offset, length, at) -> {
                if (!cut[0]) {
                    cut[0] = true;
                    try (FileChannel writer = FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                        writer.truncate(8192);
                    }
                }
            });
        }
    }

    @Test
    void shouldReadEmptyFilesAndFilesShorterThanAHeader() throws IOException {
        Path empty = Files.write(temp.resolve("events.out.tfevents.empty"), new byte[0]);
        Path stub = Files.write(temp.resolve("events.out.tfevents.stub"), new byte[] {3, 0, 0});

        assertThat(outcome(empty, 64, ALWAYS_PIPELINED)).isEqualTo(new TfRecordReader.Outcome(0, 0, -1, 0));
        assertThat(outcome(stub, 64, ALWAYS_PIPELINED)).isEqualTo(new TfRecordReader.Outcome(0, 0, 0, 3));
        assertThat(outcome(stub, 64, NEVER_PIPELINED)).isEqualTo(new TfRecordReader.Outcome(0, 0, 0, 3));
    }

    /** {@code count} records of pseudo-random payloads, lengths 1 .. 1+spread*40 (0: all the same length). */
    static Path manyRecords(final Path file, final int count, final int spread) throws IOException {
        Random random = new Random(count * 31L + spread);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[1 + (spread == 0 ? 60 : random.nextInt(spread * 40))];
            random.nextBytes(payload);
            out.writeBytes(TestEvents.record(payload));
        }
        return Files.write(file, out.toByteArray());
    }

    /** Each record as "crc32c-of-payload/length@offset", read one thread through a plain stream. */
    private static List<String> streamed(final Path file) throws IOException {
        List<String> records = new ArrayList<>();
        new TfRecordReader(1 << 20, NEVER_PIPELINED).read(file, Channels.newChannel(Files.newInputStream(file)),
                (data, offset, length, fileOffset) -> records.add(describe(data, offset, length, fileOffset)));
        return records;
    }

    private static List<String> records(final Path file, final int buffer, final long pipelinedFrom)
            throws IOException {
        List<String> records = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            new TfRecordReader(buffer, pipelinedFrom).read(file, channel,
                    (data, offset, length, fileOffset) -> records.add(describe(data, offset, length, fileOffset)));
        }
        return records;
    }

    private static TfRecordReader.Outcome outcome(final Path file, final int buffer, final long pipelinedFrom)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return new TfRecordReader(buffer, pipelinedFrom).read(file, channel, (data, offset, length, at) -> { });
        }
    }

    private static List<Long> starts(final Path file) throws IOException {
        List<Long> starts = new ArrayList<>();
        new TfRecordReader(1 << 20, NEVER_PIPELINED).read(file, Channels.newChannel(Files.newInputStream(file)),
                (data, offset, length, fileOffset) -> starts.add(fileOffset));
        return starts;
    }

    private static String describe(final byte[] data, final int offset, final int length, final long fileOffset) {
        return Integer.toHexString(crc(data, offset, length)) + "/" + length + "@" + fileOffset;
    }

    private static int crc(final byte[] data, final int offset, final int length) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    private static int intAt(final byte[] bytes, final int offset) {
        return java.nio.ByteBuffer.wrap(bytes, offset, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
