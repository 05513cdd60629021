package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.event;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.message;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.metadata;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.simpleValue;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.tf2ScalarValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFileReaderTest {
    @TempDir
    Path temp;

    @Test
    void shouldReadRealTensorFlowFilesExactlyAsTensorBoardDoes() throws IOException {
        Map<String, List<ScalarPoint>> expected = Fixtures.tensorBoardPoints();

        Map<String, List<ScalarPoint>> actual = Fixtures.ourPoints(Fixtures.runDirectory());

        assertThat(expected).containsKeys("train/epoch_loss", "validation/epoch_accuracy", "val_accuracy");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void shouldSkipHistogramsImagesAndTextAndCountThem() throws IOException {
        RunMetrics metrics = RunDirectoryReader.builder().build().read(Fixtures.runDirectory());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(metrics.getMetricNames()).noneMatch(name -> name.contains("histogram")
                || name.endsWith("notes") || name.endsWith("pattern") || name.endsWith("val_errors"));
        softly.assertThat(metrics.getFiles()).allSatisfy(file -> assertThat(file.isTruncated()).isFalse());
        softly.assertThat(metrics.getFiles()).filteredOn(file -> !file.getFile().startsWith("validation/"))
                .allSatisfy(file -> assertThat(file.getSkippedValues()).isPositive());
        softly.assertThat(metrics.getFiles().stream().mapToLong(EventFileReport::getScalars).sum())
                .isEqualTo(Fixtures.tensorBoardPoints().values().stream().mapToLong(List::size).sum());
        softly.assertAll();
    }

    @Test
    void shouldFrameRecordsLikeTensorFlow() throws IOException {
        // Re-frame the payloads of a real file with the test writer: the bytes must be identical.
        Path real = Fixtures.trainFile();
        List<byte[]> payloads = new ArrayList<>();
        new TfRecordReader().read(real, Files.newByteChannel(real),
                (data, offset, length, fileOffset) -> payloads.add(java.util.Arrays.copyOfRange(data, offset,
                        offset + length)));
        java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
        payloads.forEach(payload -> framed.writeBytes(TestEvents.record(payload)));

        assertThat(framed.toByteArray()).isEqualTo(Files.readAllBytes(real));
    }

    @Test
    void shouldStopCleanlyAtEveryCutInsideTheLastRecord() throws IOException {
        Path real = Fixtures.trainFile();
        byte[] bytes = Files.readAllBytes(real);
        EventFileReport whole = EventFileReader.forRun().read(real, (tag, step, wallTime, value) -> { });
        List<Long> starts = recordStarts(real);
        long lastStart = starts.get(starts.size() - 1);
        List<String> complete = valuesRead(real, starts.size() - 1);

        SoftAssertions softly = new SoftAssertions();
        for (long cut = lastStart + 1; cut < bytes.length; cut++) {
            Path cutFile = temp.resolve("events.out.tfevents.cut");
            Files.write(cutFile, java.util.Arrays.copyOf(bytes, (int) cut));
            List<String> values = new ArrayList<>();
            EventFileReport report = EventFileReader.forRun().read(cutFile,
                    (tag, step, wallTime, value) -> values.add(tag + "@" + step + "=" + value));
            softly.assertThat(report.getRecords()).as("records at cut %d", cut).isEqualTo(whole.getRecords() - 1);
            softly.assertThat(report.getTruncatedAt()).as("truncatedAt at cut %d", cut).isEqualTo(lastStart);
            softly.assertThat(report.getDanglingBytes()).isEqualTo(cut - lastStart);
            softly.assertThat(report.getBytes()).isEqualTo(lastStart);
            softly.assertThat(values).as("values at cut %d", cut).isEqualTo(complete);
        }
        softly.assertAll();
    }

    @Test
    void shouldNameFileAndOffsetOfACorruptedRecord() throws IOException {
        Path real = Fixtures.trainFile();
        List<Long> starts = recordStarts(real);
        long third = starts.get(2);
        byte[] bytes = Files.readAllBytes(real);

        byte[] dataFlipped = bytes.clone();
        dataFlipped[(int) third + 12 + 3] ^= 0x10;
        Path badData = Files.write(temp.resolve("events.out.tfevents.bad-data"), dataFlipped);
        assertThatThrownBy(() -> EventFileReader.forRun().read(badData, (tag, step, wallTime, value) -> { }))
                .isInstanceOfSatisfying(EventFileFormatException.class, e -> {
                    assertThat(e.getOffset()).isEqualTo(third);
                    assertThat(e.getFile()).isEqualTo(badData);
                })
                .hasMessageContaining(badData.toString()).hasMessageContaining("byte offset " + third)
                .hasMessageContaining("data CRC mismatch");

        byte[] lengthFlipped = bytes.clone();
        lengthFlipped[(int) third + 1] ^= 0x01;
        Path badLength = Files.write(temp.resolve("events.out.tfevents.bad-length"), lengthFlipped);
        assertThatThrownBy(() -> EventFileReader.forRun().read(badLength, (tag, step, wallTime, value) -> { }))
                .isInstanceOf(EventFileFormatException.class)
                .hasMessageContaining("byte offset " + third).hasMessageContaining("length CRC mismatch");

        byte[] crcFlipped = bytes.clone();
        long fourth = starts.get(3);
        crcFlipped[(int) fourth - 1] ^= 0x40; // last byte of the third record's data CRC
        Path badCrc = Files.write(temp.resolve("events.out.tfevents.bad-crc"), crcFlipped);
        assertThatThrownBy(() -> EventFileReader.forRun().read(badCrc, (tag, step, wallTime, value) -> { }))
                .hasMessageContaining("byte offset " + third).hasMessageContaining("data CRC mismatch");
    }

    @Test
    void shouldReportAProtobufThatDoesNotDecodeDespiteGoodCrcs() throws IOException {
        byte[] garbage = message().string(5, "x").toBytes();
        garbage[1] = 100; // summary length beyond the record
        Path file = temp.resolve("events.out.tfevents.garbage");
        Files.write(file, concat(TestEvents.record(TestEvents.fileVersionEvent()), TestEvents.record(garbage)));
        long offset = TestEvents.record(TestEvents.fileVersionEvent()).length;

        assertThatThrownBy(() -> EventFileReader.forRun().read(file, (tag, step, wallTime, value) -> { }))
                .isInstanceOf(EventFileFormatException.class).hasMessageContaining("byte offset " + offset)
                .hasMessageContaining("does not decode");
    }

    @Test
    void shouldReadScalarsInEveryEncodingTensorFlowAllows() throws IOException {
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.encodings"), List.of(
                event(1.5, 1, tf2ScalarValue("tensor_content_float", 0.1f)),
                event(1.5, 1, scalarTensor("float_val_packed", message().varint(1, 1)
                        .bytes(5, le(Float.floatToRawIntBits(0.25f))))),
                event(1.5, 1, scalarTensor("float_val_unpacked", message().varint(1, 1)
                        .fixed32(5, Float.floatToRawIntBits(-3.5f)))),
                event(1.5, 1, scalarTensor("double_val", message().varint(1, 2)
                        .fixed64(6, Double.doubleToRawLongBits(0.1)))),
                event(1.5, 1, scalarTensor("double_content", message().varint(1, 2)
                        .bytes(4, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .putDouble(1e-300).array()))),
                event(1.5, 1, scalarTensor("int64_val", message().varint(1, 9).varint(10, -7))),
                event(1.5, 1, scalarTensor("int32_val", message().varint(1, 3).varint(7, 42))),
                event(1.5, 1, scalarTensor("half_val", message().varint(1, 19).varint(13, 0x3c00 | 0x200))),
                event(1.5, 1, scalarTensor("bfloat16_content", message().varint(1, 14)
                        .bytes(4, new byte[] {(byte) 0x80, 0x3f}))),
                event(1.5, 1, scalarTensor("shape_1x1", message().varint(1, 1)
                        .message(2, message().message(2, message().varint(1, 1)).message(2, message().varint(1, 1)))
                        .bytes(4, le(Float.floatToRawIntBits(7f))))),
                event(2.5, 5, simpleValue("simple", 0.3f))));
        Map<String, Double> values = new java.util.TreeMap<>();

        EventFileReport report = EventFileReader.forRun().read(file, (tag, step, wallTime, value) -> values.put(tag,
                value));

        assertThat(values).containsOnly(
                Map.entry("tensor_content_float", (double) 0.1f), Map.entry("float_val_packed", 0.25),
                Map.entry("float_val_unpacked", -3.5), Map.entry("double_val", 0.1),
                Map.entry("double_content", 1e-300), Map.entry("int64_val", -7.0), Map.entry("int32_val", 42.0),
                Map.entry("half_val", 1.5), Map.entry("bfloat16_content", 1.0), Map.entry("shape_1x1", 7.0),
                Map.entry("simple", (double) 0.3f));
        assertThat(report.getSkippedValues()).isZero();
    }

    @Test
    void shouldSkipNonScalarTensorsAndTensorsOfOtherPlugins() throws IOException {
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.skips"), List.of(
                event(1, 1, message().string(1, "hist").message(9, metadata("histograms"))
                        .message(8, message().varint(1, 2).bytes(4, new byte[24]))),
                event(1, 1, scalarTensor("vector", message().varint(1, 1)
                        .message(2, message().message(2, message().varint(1, 2))).bytes(4, new byte[8]))),
                event(1, 1, scalarTensor("no_value", message().varint(1, 1))),
                event(1, 1, scalarTensor("string", message().varint(1, 7).bytes(8, new byte[] {65}))),
                event(1, 1, message().string(1, "no_metadata_tensor").message(8, message().varint(1, 1)
                        .bytes(4, le(0)))),
                event(1, 1, message().string(1, "image_v1").message(4, message().varint(1, 1))),
                event(1, 1, message().string(1, "").fixed32(2, 0)),
                event(1, 1, tf2ScalarValue("kept", 2f))));
        List<String> tags = new ArrayList<>();

        EventFileReport report = EventFileReader.forRun().read(file, (tag, step, wallTime, value) -> tags.add(tag));

        assertThat(tags).containsExactly("kept");
        assertThat(report.getSkippedValues()).isEqualTo(7);
        assertThat(report.getScalars()).isEqualTo(1);
    }

    @Test
    void shouldRememberATagsPluginFromItsFirstMetadataAcrossTheFilesOfARun() throws IOException {
        // TF1 FileWriter strips metadata after a tag's first value; a restarted writer starts a new file.
        Path first = TestEvents.writeFile(temp.resolve("run/events.out.tfevents.1"), List.of(
                event(1, 0, scalarTensor("loss", message().varint(1, 1).bytes(4, le(Float.floatToRawIntBits(3f)))))));
        Path second = TestEvents.writeFile(temp.resolve("run/events.out.tfevents.2"), List.of(
                event(2, 1, message().string(1, "loss").message(8, message().varint(1, 1)
                        .bytes(4, le(Float.floatToRawIntBits(2f))))),
                event(3, 2, message().string(1, "loss").message(9, metadata("histograms"))
                        .message(8, message().varint(1, 1).bytes(4, le(Float.floatToRawIntBits(1f)))))));
        EventFileReader reader = EventFileReader.forRun();
        List<Double> values = new ArrayList<>();

        reader.read(first, (tag, step, wallTime, value) -> values.add(value));
        reader.read(second, (tag, step, wallTime, value) -> values.add(value));

        assertThat(values).containsExactly(3.0, 2.0, 1.0);
        assertThat(EventFileReader.forRun().read(second, (tag, step, wallTime, value) -> values.add(-1.0))
                .getScalars()).as("a fresh run has not seen the metadata").isZero();
    }

    @Test
    void shouldDecodeFieldsInAnyOrder() throws IOException {
        byte[] reordered = message().message(5, message().message(1, tf2ScalarValue("late", 4f)))
                .varint(2, 9).fixed64(1, Double.doubleToRawLongBits(12.5)).string(10, "unknown field").toBytes();
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.order"), List.of(reordered));
        List<String> seen = new ArrayList<>();

        EventFileReader.forRun().read(file, (tag, step, wallTime, value) -> seen.add(tag + " " + step + " "
                + wallTime + " " + value));

        assertThat(seen).containsExactly("late 9 12.5 4.0");
    }

    @Test
    void shouldReadRecordsLargerThanTheBuffer() throws IOException {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(i, i, tf2ScalarValue("loss", i), message().string(1, "blob").message(9,
                    metadata("images")).message(8, message().varint(1, 7).bytes(8, new byte[3000 + i]))));
        }
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.big"), events);
        List<Double> values = new ArrayList<>();

        TfRecordReader.Outcome outcome = new TfRecordReader(64).read(file, Files.newByteChannel(file),
                new EventDecoderHandler(values));

        assertThat(outcome.records()).isEqualTo(51);
        assertThat(outcome.bytes()).isEqualTo(Files.size(file));
        assertThat(values).hasSize(50).last().isEqualTo(49.0);
    }

    @Test
    void shouldKeepTagsApartThatDifferInOneByteAnywhere() throws IOException {
        List<String> tags = new ArrayList<>();
        for (int length = 1; length <= 40; length++) {
            for (int position = 0; position < length; position++) {
                char[] name = "x".repeat(length).toCharArray();
                name[position] = 'y';
                tags.add(new String(name));
            }
            tags.add("x".repeat(length));
        }
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            events.add(event(1, i, tf2ScalarValue(tags.get(i), i)));
            events.add(event(2, i, simpleValue(tags.get(i), i))); // a second point: found again, not added anew
        }
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.tags"), events);

        RunMetrics metrics = RunDirectoryReader.builder().build().read(file);

        assertThat(metrics.getMetricNames()).hasSize(tags.size()).containsAll(tags);
        assertThat(metrics.getMetrics().values()).allSatisfy(metric -> {
            assertThat(metric.getCount()).isEqualTo(2);
            assertThat(metric.getLast()).isEqualTo(tags.indexOf(metric.getName()));
        });
    }

    @Test
    void shouldConvertHalfPrecisionBits() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(EventDecoder.halfToFloat(0x3c00)).isEqualTo(1f);
        softly.assertThat(EventDecoder.halfToFloat(0xc000)).isEqualTo(-2f);
        softly.assertThat(EventDecoder.halfToFloat(0x7bff)).isEqualTo(65504f);
        softly.assertThat(EventDecoder.halfToFloat(0x0001)).isEqualTo(0x1p-24f);
        softly.assertThat(EventDecoder.halfToFloat(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        softly.assertThat(EventDecoder.halfToFloat(0x7e00)).isNaN();
        softly.assertThat(Float.floatToRawIntBits(EventDecoder.halfToFloat(0x8000))).isEqualTo(0x80000000);
        softly.assertAll();
    }

    /** Decodes with a fresh tag table, collecting values. */
    private static final class EventDecoderHandler implements TfRecordReader.RecordHandler {
        private final EventDecoder decoder = new EventDecoder(new TagTable());
        private final List<Double> values;

        EventDecoderHandler(final List<Double> values) {
            this.values = values;
        }

        @Override
        public void onRecord(final byte[] data, final int offset, final int length, final long fileOffset) {
            try {
                decoder.decodeEvent(data, offset, offset + length, (tag, step, wallTime, value) -> values.add(value));
            } catch (EventDecoder.MalformedEventException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static TestEvents.Message scalarTensor(final String tag, final TestEvents.Message tensor) {
        return message().string(1, tag).message(9, metadata("scalars")).message(8, tensor);
    }

    private static byte[] le(final int bits) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bits).array();
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static List<Long> recordStarts(final Path file) throws IOException {
        List<Long> starts = new ArrayList<>();
        new TfRecordReader().read(file, Files.newByteChannel(file),
                (data, offset, length, fileOffset) -> starts.add(fileOffset));
        return starts;
    }

    private static List<String> valuesRead(final Path file, final int records) throws IOException {
        List<String> values = new ArrayList<>();
        EventDecoder decoder = new EventDecoder(new TagTable());
        int[] seen = {0};
        new TfRecordReader().read(file, Files.newByteChannel(file), (data, offset, length, fileOffset) -> {
            if (seen[0]++ < records) {
                try {
                    decoder.decodeEvent(data, offset, offset + length,
                            (entry, step, wallTime, value) -> values.add(entry.tag + "@" + step + "=" + value));
                } catch (EventDecoder.MalformedEventException e) {
                    throw new AssertionError(e);
                }
            }
        });
        return values;
    }
}
