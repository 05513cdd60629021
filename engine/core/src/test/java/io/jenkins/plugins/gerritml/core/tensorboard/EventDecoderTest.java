package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.event;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.eventAsWritten;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.message;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.metadata;
import static io.jenkins.plugins.gerritml.core.tensorboard.TestEvents.tf2ScalarValueAsWritten;
import static org.assertj.core.api.Assertions.assertThat;

/** The quick path for tf.summary.scalar's exact layout must mean what the general decoder makes of the same bytes. */
class EventDecoderTest {
    @TempDir
    Path temp;

    @Test
    void shouldDecodeTheCommittedFixturesTheSameWithAndWithoutTheQuickPath() throws IOException {
        try (var files = Files.walk(Fixtures.runDirectory())) {
            List<Path> eventFiles = files.filter(path -> path.getFileName().toString().contains("tfevents"))
                    .sorted().toList();
            Decoded quick = decode(eventFiles, true);
            Decoded general = decode(eventFiles, false);

            assertThat(quick.values).isNotEmpty().isEqualTo(general.values);
            assertThat(quick.counts()).isEqualTo(general.counts());
            assertThat(quick.quickEvents).as("TF2 scalars of the Keras callback take the quick path").isPositive();
        }
    }

    @Test
    void shouldDecodeEveryVariantOfTheScalarLayoutTheSameWithAndWithoutTheQuickPath() throws IOException {
        List<byte[]> events = new ArrayList<>();
        long[] steps = {0, 1, 127, 128, 300, 1L << 40, -1};
        for (int length = 1; length <= 110; length++) { // one-byte lengths end near 98 tag bytes
            String tag = "t".repeat(length - 1) + (char) ('a' + length % 26);
            for (long step : steps) {
                events.add(eventAsWritten(1.7e9 + step, step, tf2ScalarValueAsWritten(tag, length * 0.5f + step)));
            }
        }
        // First metadata of a tag decides, whatever layout later events have.
        events.add(eventAsWritten(1, 1, message().string(1, "hist_first").message(8, message().varint(1, 1)
                .message(2, message()).bytes(4, new byte[4])).message(9, metadata("histograms"))));
        events.add(eventAsWritten(2, 2, tf2ScalarValueAsWritten("hist_first", 2f)));
        events.add(eventAsWritten(1, 1, message().string(1, "bare_first").message(8, message().varint(1, 1)
                .message(2, message()).bytes(4, new byte[4]))));
        events.add(eventAsWritten(2, 2, tf2ScalarValueAsWritten("bare_first", 3f)));
        // Near misses: another plugin, another dtype, a shape, a second value, a trailing field, an empty tag.
        events.add(eventAsWritten(3, 3, message().string(1, "other_plugin").message(8, message().varint(1, 1)
                .message(2, message()).bytes(4, new byte[4])).message(9, metadata("scalarz"))));
        events.add(eventAsWritten(3, 3, message().string(1, "int_tensor").message(8, message().varint(1, 3)
                .message(2, message()).bytes(4, new byte[] {7, 0, 0, 0})).message(9, metadata("scalars"))));
        events.add(eventAsWritten(3, 3, message().string(1, "vector").message(8, message().varint(1, 1)
                .message(2, message().message(2, message().varint(1, 1))).bytes(4, new byte[4]))
                .message(9, metadata("scalars"))));
        events.add(event(4, 4, tf2ScalarValueAsWritten("two_a", 1f), tf2ScalarValueAsWritten("two_b", 2f)));
        byte[] trailing = eventAsWritten(5, 5, tf2ScalarValueAsWritten("trailing", 5f));
        events.add(concat(trailing, message().varint(2, 6).toBytes())); // a repeated step field: the last one wins
        events.add(eventAsWritten(6, 6, tf2ScalarValueAsWritten("", 6f)));
        Path file = TestEvents.writeFile(temp.resolve("events.out.tfevents.variants"), events);

        Decoded quick = decode(List.of(file), true);
        Decoded general = decode(List.of(file), false);

        assertThat(quick.values).isEqualTo(general.values);
        assertThat(quick.counts()).isEqualTo(general.counts());
        assertThat(quick.values).anyMatch(value -> value.startsWith("bare_first@2=3.0 "))
                .anyMatch(value -> value.startsWith("trailing@6=5.0 "))
                .anyMatch(value -> value.startsWith("t".repeat(97) + "u@1=50.0 "))
                .anyMatch(value -> value.startsWith("t".repeat(98) + "v@-1=" + (99 * 0.5f - 1) + " "))
                .noneMatch(value -> value.startsWith("hist_first") || value.startsWith("other_plugin"));
        assertThat(quick.quickEvents).as("tags of up to 98 bytes, every step").isEqualTo(98 * steps.length + 2);
    }

    @Test
    void shouldReportAStepThatRunsPastTheRecordTheSameWay() throws IOException {
        byte[] good = eventAsWritten(1, 5, tf2ScalarValueAsWritten("loss", 1f));
        byte[] bad = good.clone();
        bad[10] = (byte) 0x85; // the step becomes a varint that never ends within the record... until it does
        for (int i = 11; i < bad.length; i++) {
            bad[i] = (byte) 0xff;
        }
        for (boolean quickPath : new boolean[] {true, false}) {
            EventDecoder decoder = new EventDecoder(new TagTable(), quickPath);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.decodeEvent(bad, 0, bad.length,
                    (entry, step, wallTime, value) -> { }))
                    .isInstanceOf(EventDecoder.MalformedEventException.class)
                    .hasMessage("a varint is longer than 10 bytes");
        }
    }

    private record Decoded(List<String> values, long scalars, long skipped, long quickEvents) {
        List<Long> counts() {
            return List.of(scalars, skipped);
        }
    }

    private static Decoded decode(final List<Path> files, final boolean quickPath) throws IOException {
        EventDecoder decoder = new EventDecoder(new TagTable(), quickPath);
        List<String> values = new ArrayList<>();
        for (Path file : files) {
            new TfRecordReader().read(file, Files.newByteChannel(file), (data, offset, length, fileOffset) -> {
                try {
                    decoder.decodeEvent(data, offset, offset + length, (entry, step, wallTime, value) ->
                            values.add(entry.tag + "@" + step + "=" + value + " at " + wallTime));
                } catch (EventDecoder.MalformedEventException e) {
                    values.add("malformed at " + fileOffset + ": " + e.getMessage());
                }
            });
        }
        return new Decoded(values, decoder.scalars(), decoder.skippedValues(), decoder.quickEvents());
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
