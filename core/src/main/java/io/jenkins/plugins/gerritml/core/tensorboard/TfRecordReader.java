package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Streams the records of one TFRecord file (the framing of TensorBoard event files) through a fixed buffer:
 * {@code uint64 length, uint32 masked_crc32c(length), byte data[length], uint32 masked_crc32c(data)}, little-endian,
 * as written by TensorFlow's {@code RecordWriter} and tensorboard's {@code record_writer.py}. Both CRCs are checked.
 * Memory is one buffer that only grows to the largest record. A record cut short at the end of the stream ends the
 * read cleanly (a writer may still be appending); a CRC mismatch is an {@link EventFileFormatException}.
 */
final class TfRecordReader {
    static final int HEADER_BYTES = 12;
    static final int FOOTER_BYTES = 4;
    private static final int MASK_DELTA = 0xa282ead8;
    private static final int DEFAULT_BUFFER_BYTES = 1 << 20;
    /** TensorFlow's own readers refuse larger records too; a bigger length is a damaged header, not data. */
    private static final long MAX_RECORD_BYTES = 1L << 30;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives each verified record; {@code data[offset, offset + length)} is valid only during the call. */
    interface RecordHandler {
        void onRecord(byte[] data, int offset, int length, long fileOffset) throws IOException;
    }

    /** What a read saw: records, bytes of whole records, and where a cut-short last record starts (or -1). */
    record Outcome(long records, long bytes, long truncatedAt, long danglingBytes) {
    }

    private final CRC32C crc = new CRC32C();
    private byte[] buffer;

    TfRecordReader() {
        this(DEFAULT_BUFFER_BYTES);
    }

    TfRecordReader(final int bufferBytes) {
        this.buffer = new byte[Math.max(HEADER_BYTES + FOOTER_BYTES, bufferBytes)];
    }

    Outcome read(final Path file, final ReadableByteChannel channel, final RecordHandler handler) throws IOException {
        int start = 0;
        int end = 0;
        long bufferOffset = 0; // file offset of buffer[0]
        long records = 0;
        boolean eof = false;
        while (true) {
            if (end - start < HEADER_BYTES && !eof) {
                bufferOffset += start;
                end = compact(start, end);
                start = 0;
                int[] filled = fill(channel, end, HEADER_BYTES);
                end = filled[0];
                eof = filled[1] != 0;
            }
            long recordOffset = bufferOffset + start;
            int available = end - start;
            if (available < HEADER_BYTES) {
                return available == 0 ? new Outcome(records, recordOffset, -1, 0)
                        : new Outcome(records, recordOffset, recordOffset, available);
            }
            long length = (long) LONG_LE.get(buffer, start);
            int storedLengthCrc = (int) INT_LE.get(buffer, start + 8);
            int lengthCrc = maskedCrc32c(buffer, start, 8);
            if (lengthCrc != storedLengthCrc) {
                throw new EventFileFormatException(file, recordOffset, String.format(
                        "length CRC mismatch (stored 0x%08x, computed 0x%08x)", storedLengthCrc, lengthCrc));
            }
            if (length < 0 || length > MAX_RECORD_BYTES) {
                throw new EventFileFormatException(file, recordOffset, "record length " + Long.toUnsignedString(length)
                        + " exceeds the " + MAX_RECORD_BYTES + " byte limit");
            }
            int total = HEADER_BYTES + (int) length + FOOTER_BYTES;
            if (available < total) {
                if (!eof) {
                    bufferOffset += start;
                    end = compact(start, end);
                    start = 0;
                    if (total > buffer.length) {
                        byte[] larger = new byte[Math.max(total, buffer.length * 2)];
                        System.arraycopy(buffer, 0, larger, 0, end);
                        buffer = larger;
                    }
                    int[] filled = fill(channel, end, total);
                    end = filled[0];
                    eof = filled[1] != 0;
                }
                if (end - start < total) {
                    return new Outcome(records, recordOffset, recordOffset, end - start);
                }
            }
            int dataStart = start + HEADER_BYTES;
            int storedDataCrc = (int) INT_LE.get(buffer, dataStart + (int) length);
            int dataCrc = maskedCrc32c(buffer, dataStart, (int) length);
            if (dataCrc != storedDataCrc) {
                throw new EventFileFormatException(file, recordOffset, String.format(
                        "data CRC mismatch in a %d byte record (stored 0x%08x, computed 0x%08x)", length,
                        storedDataCrc, dataCrc));
            }
            handler.onRecord(buffer, dataStart, (int) length, recordOffset);
            records++;
            start += total;
        }
    }

    /** Moves the unread tail to the front; returns the new end. */
    private int compact(final int start, final int end) {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
        }
        return end - start;
    }

    /** Reads until at least {@code needed} bytes are buffered or the stream ends: {new end, eof ? 1 : 0}. */
    private int[] fill(final ReadableByteChannel channel, final int end, final int needed) throws IOException {
        // Each read asks for the whole free buffer, so a record-sized need rarely takes more than one call.
        ByteBuffer target = ByteBuffer.wrap(buffer, end, buffer.length - end);
        int filled = end;
        do {
            int n = channel.read(target);
            if (n < 0) {
                return new int[] {filled, 1};
            }
            filled += n;
        } while (filled < needed);
        return new int[] {filled, 0};
    }

    int maskedCrc32c(final byte[] data, final int offset, final int length) {
        crc.reset();
        crc.update(data, offset, length);
        return mask((int) crc.getValue());
    }

    static int mask(final int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
