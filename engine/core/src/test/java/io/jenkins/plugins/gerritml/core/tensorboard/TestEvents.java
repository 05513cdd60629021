package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds Event protobufs and TFRecord framing by hand, for shapes of input real writers rarely produce (other dtypes,
 * unpacked lists, fields out of order, damaged bytes). Real TensorFlow output is covered by the fixture files and the
 * ITest; this writer is checked against them ({@code shouldFrameRecordsLikeTensorFlow}).
 */
final class TestEvents {
    private TestEvents() {
    }

    /** A protobuf message under construction. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(final int field, final long value) {
            key(field, 0);
            writeVarint(value);
            return this;
        }

        Message fixed64(final int field, final long bits) {
            key(field, 1);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
            return this;
        }

        Message fixed32(final int field, final int bits) {
            key(field, 5);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bits).array());
            return this;
        }

        Message bytes(final int field, final byte[] value) {
            key(field, 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(final int field, final String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(final int field, final Message value) {
            return bytes(field, value.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void key(final int field, final int wire) {
            writeVarint(((long) field << 3) | wire);
        }

        private void writeVarint(final long value) {
            long v = value;
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    static Message message() {
        return new Message();
    }

    static Message metadata(final String plugin) {
        return message().message(1, message().string(1, plugin));
    }

    /** A TF2 scalar as tf.summary.scalar writes it: float32 rank-0 tensor in tensor_content, plugin "scalars". */
    static Message tf2ScalarValue(final String tag, final float value) {
        return message().string(1, tag).message(9, metadata("scalars")).message(8, message().varint(1, 1)
                .message(2, message()).bytes(4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(value).array()));
    }

    /** A TF2 scalar value in the field order TensorFlow's writer uses: tag, tensor, then metadata. */
    static Message tf2ScalarValueAsWritten(final String tag, final float value) {
        return message().string(1, tag).message(8, message().varint(1, 1).message(2, message())
                .bytes(4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array()))
                .message(9, metadata("scalars"));
    }

    /** An event as TensorFlow writes it: step 0 is left out (proto3 default). */
    static byte[] eventAsWritten(final double wallTime, final long step, final Message value) {
        Message event = message().fixed64(1, Double.doubleToRawLongBits(wallTime));
        if (step != 0) {
            event.varint(2, step);
        }
        return event.message(5, message().message(1, value)).toBytes();
    }

    static Message simpleValue(final String tag, final float value) {
        return message().string(1, tag).fixed32(2, Float.floatToRawIntBits(value));
    }

    static byte[] event(final double wallTime, final long step, final Message... values) {
        Message summary = message();
        for (Message value : values) {
            summary.message(1, value);
        }
        return message().fixed64(1, Double.doubleToRawLongBits(wallTime)).varint(2, step).message(5, summary)
                .toBytes();
    }

    static byte[] fileVersionEvent() {
        return message().fixed64(1, Double.doubleToRawLongBits(1.7e9)).string(3, "brain.Event:2").toBytes();
    }

    /** TFRecord framing with masked CRC-32C, as TensorFlow's RecordWriter writes it. */
    static byte[] record(final byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length);
        header.putInt(maskedCrc(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0,
                data.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data);
        out.writeBytes(footer.array());
        return out.toByteArray();
    }

    static Path writeFile(final Path file, final List<byte[]> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(record(fileVersionEvent()));
        for (byte[] event : events) {
            out.writeBytes(record(event));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
        return file;
    }

    static int maskedCrc(final byte[] data, final int offset, final int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + 0xa282ead8;
    }
}
