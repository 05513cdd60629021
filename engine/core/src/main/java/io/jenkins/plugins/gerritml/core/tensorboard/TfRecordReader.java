package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

/**
 * Streams the records of one TFRecord file (the framing of TensorBoard event files) through fixed buffers:
 * {@code uint64 length, uint32 masked_crc32c(length), byte data[length], uint32 masked_crc32c(data)}, little-endian,
 * as written by TensorFlow's {@code RecordWriter} and tensorboard's {@code record_writer.py}. Both CRCs are checked.
 * Memory is a few chunk buffers that only grow to the largest record (plus, for files, a read-only memory map that
 * the OS pages). A record cut short at the end of the stream ends the read cleanly (a writer may still be appending);
 * a CRC mismatch is an {@link EventFileFormatException}.
 *
 * <p>Files of {@link #pipelinedFromBytes} or more are read by two threads: a helper thread copies chunks out of the
 * file and checks the framing and both CRCs of every record, while the calling thread hands the verified records to
 * the handler, in file order. The handler sees exactly what a one-thread read shows it (same records,
 * same order, same thread, the same first error), only sooner.
 */
final class TfRecordReader {
    static final int HEADER_BYTES = 12;
    static final int FOOTER_BYTES = 4;
    private static final int MASK_DELTA = 0xa282ead8;
    /** Measured: 64 KiB chunks spend ~60 % more on handing over; 256 KiB to 4 MiB perform alike (and fit the L2). */
    private static final int DEFAULT_BUFFER_BYTES = 1 << 18;
    /** Below this a helper thread costs more than it saves. */
    private static final long DEFAULT_PIPELINED_FROM_BYTES = 8L << 20;
    /** Chunks in flight between the two threads: one being filled, one queued, one being handled. */
    private static final int PIPELINE_CHUNKS = 3;
    /** TensorFlow's own readers refuse larger records too; a bigger length is a damaged header, not data. */
    private static final long MAX_RECORD_BYTES = 1L << 30;
    private static final int LENGTH_CRC_CACHE = 64;
    private static final long HELPER_CHECK_MILLIS = 50;
    private static final long MAX_MAPPING_BYTES = 1L << 30;
    /**
     * Windows cannot delete a file while a mapping of it lives, and Java unmaps only when the buffer is garbage
     * collected: a build cleaning its workspace right after the read would fail there. Elsewhere the map is harmless.
     */
    private static final boolean MAP_FILES = !System.getProperty("os.name", "").startsWith("Windows");
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives each verified record; {@code data[offset, offset + length)} is valid only during the call. */
    interface RecordHandler {
        void onRecord(byte[] data, int offset, int length, long fileOffset) throws IOException;
    }

    /** What a read saw: records, bytes of whole records, and where a cut-short last record starts (or -1). */
    record Outcome(long records, long bytes, long truncatedAt, long danglingBytes) {
    }

    private final int bufferBytes;
    private final long pipelinedFromBytes;

    TfRecordReader() {
        this(DEFAULT_BUFFER_BYTES);
    }

    TfRecordReader(final int bufferBytes) {
        this(bufferBytes, DEFAULT_PIPELINED_FROM_BYTES);
    }

    /** @param pipelinedFromBytes files at least this large are verified on a helper thread (tests use 0) */
    TfRecordReader(final int bufferBytes, final long pipelinedFromBytes) {
        this.bufferBytes = Math.max(HEADER_BYTES + FOOTER_BYTES, bufferBytes);
        this.pipelinedFromBytes = pipelinedFromBytes;
    }

    Outcome read(final Path file, final ReadableByteChannel channel, final RecordHandler handler) throws IOException {
        if (channel instanceof FileChannel && ((FileChannel) channel).size() >= pipelinedFromBytes) {
            // Only the helper thread touches the map: see MappedSource for why.
            Source source = MAP_FILES ? new MappedSource(file, (FileChannel) channel) : new ChannelSource(channel);
            return readPipelined(new Framer(file, source), handler);
        }
        Framer framer = new Framer(file, new ChannelSource(channel));
        Chunk chunk = new Chunk(bufferBytes);
        framer.frame(chunk, null);
        while (true) {
            Outcome outcome = handle(chunk, handler);
            if (outcome != null) {
                return outcome;
            }
            framer.frame(chunk, chunk);
        }
    }

    private Outcome readPipelined(final Framer framer, final RecordHandler handler) throws IOException {
        BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(PIPELINE_CHUNKS);
        BlockingQueue<Chunk> framed = new ArrayBlockingQueue<>(PIPELINE_CHUNKS);
        for (int i = 0; i < PIPELINE_CHUNKS; i++) {
            free.add(new Chunk(bufferBytes));
        }
        Thread helper = new Thread(() -> framer.frameAll(free, framed), "tfrecord-verify " + framer.file.getFileName());
        helper.setDaemon(true);
        // The helper hands every problem over in a chunk; what escapes it anyway (a fault in the map reaches the
        // copying thread as an InternalError at some later instruction) ends it and is raised here instead.
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        helper.setUncaughtExceptionHandler((thread, e) -> escaped.set(e));
        helper.start();
        boolean done = false;
        try {
            while (true) {
                Chunk chunk = framed.poll(HELPER_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (chunk == null) {
                    if (helper.isAlive()) {
                        continue;
                    }
                    chunk = framed.poll(); // handed over just before it ended?
                    if (chunk == null) {
                        throw new Failure(framer.source.explain(escaped.get() != null ? escaped.get()
                                : new IllegalStateException("the verifying thread stopped"))).rethrowable();
                    }
                }
                Outcome outcome = handle(chunk, handler);
                if (outcome != null) {
                    done = true;
                    return outcome;
                }
                free.put(chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + framer.file);
        } finally {
            if (!done) {
                helper.interrupt(); // the handler failed: stop verifying ahead
            }
            joinQuietly(helper);
        }
    }

    private static void joinQuietly(final Thread helper) {
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a chunk's records to the handler; returns the outcome after the last chunk, else null. */
    private static Outcome handle(final Chunk chunk, final RecordHandler handler) throws IOException {
        byte[] data = chunk.data;
        int[] starts = chunk.starts;
        int[] lengths = chunk.lengths;
        long base = chunk.base;
        for (int i = 0, n = chunk.count; i < n; i++) {
            int start = starts[i];
            handler.onRecord(data, start + HEADER_BYTES, lengths[i], base + start);
        }
        if (chunk.failure != null) {
            throw chunk.failure.rethrowable();
        }
        return chunk.outcome;
    }

    /** Verified records of one buffer-full, or the end of the file, or the first damage found. */
    private static final class Chunk {
        byte[] data;
        int end;
        /** File offset of data[0]. */
        long base;
        /** End of the last whole record in data. */
        int framedEnd;
        int count;
        int[] starts = new int[1024];
        int[] lengths = new int[1024];
        Failure failure;
        Outcome outcome;

        Chunk(final int bytes) {
            this.data = new byte[bytes];
        }

        void add(final int start, final int length) {
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
            }
            starts[count] = start;
            lengths[count] = length;
            count++;
        }
    }

    /** A problem met ahead of the handler, raised when the handler reaches it (so the first one in file order wins). */
    private static final class Failure {
        private final Throwable cause;

        Failure(final Throwable cause) {
            this.cause = cause;
        }

        IOException rethrowable() {
            if (cause instanceof IOException) {
                cause.fillInStackTrace();
                return (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            return new IOException(cause);
        }
    }

    /** Splits buffers into records and checks both CRCs; runs on the helper thread or inline. */
    private static final class Framer {
        private final Path file;
        private final Source source;
        private final CRC32C crc = new CRC32C();
        // Masked CRCs of recently seen length fields: an event file has few distinct record lengths. The cache is
        // keyed by the whole 8-byte field, so a hit is the same check as computing the CRC again.
        private final long[] cachedLengths = new long[LENGTH_CRC_CACHE];
        private final int[] cachedLengthCrcs = new int[LENGTH_CRC_CACHE];
        private long records;
        private boolean eof;

        Framer(final Path file, final Source source) {
            this.file = file;
            this.source = source;
            java.util.Arrays.fill(cachedLengths, -1);
        }

        void frameAll(final BlockingQueue<Chunk> free, final BlockingQueue<Chunk> framed) {
            try {
                Chunk previous = null;
                while (true) {
                    Chunk chunk = free.take();
                    frame(chunk, previous);
                    if (previous != null) {
                        framed.put(previous);
                    }
                    if (chunk.failure != null || chunk.outcome != null) {
                        framed.put(chunk);
                        return;
                    }
                    previous = chunk;
                }
            } catch (InterruptedException e) {
                // the handler stopped the read
            }
        }

        /**
         * Fills {@code chunk} (after the unframed tail of {@code previous}, which may be the same chunk) and frames
         * it. Never throws: a problem is kept in the chunk and raised when the handler has seen the records before it.
         */
        void frame(final Chunk chunk, final Chunk previous) {
            try {
                fill(chunk, previous);
                frameRecords(chunk);
            } catch (Throwable e) {
                chunk.failure = new Failure(source.explain(e));
            }
        }

        private void fill(final Chunk chunk, final Chunk previous) throws IOException {
            int carried = 0;
            int from = 0;
            long base = 0;
            int needed = HEADER_BYTES;
            byte[] source = null;
            if (previous != null) {
                source = previous.data;
                from = previous.framedEnd;
                carried = previous.end - from;
                base = previous.base + from;
                if (carried >= HEADER_BYTES) {
                    long length = (long) LONG_LE.get(source, from); // already checked against the limit
                    needed = HEADER_BYTES + (int) length + FOOTER_BYTES;
                }
            }
            chunk.base = base;
            chunk.end = carried;
            chunk.framedEnd = 0;
            chunk.count = 0;
            chunk.failure = null;
            chunk.outcome = null;
            if (source != null) {
                if (needed > chunk.data.length) {
                    byte[] larger = new byte[Math.max(needed, chunk.data.length * 2)];
                    System.arraycopy(source, from, larger, 0, carried);
                    chunk.data = larger;
                } else {
                    System.arraycopy(source, from, chunk.data, 0, carried);
                }
            }
            int end = carried;
            if (!eof) {
                int n = source().read(chunk.data, end, chunk.data.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                    eof = source().atEnd();
                }
            }
            chunk.end = end;
        }

        private Source source() {
            return source;
        }

        private void frameRecords(final Chunk chunk) throws IOException {
            byte[] data = chunk.data;
            int end = chunk.end;
            int start = 0;
            try {
                while (end - start >= HEADER_BYTES) {
                    long length = (long) LONG_LE.get(data, start);
                    int storedLengthCrc = (int) INT_LE.get(data, start + 8);
                    int slot = (int) length & (LENGTH_CRC_CACHE - 1);
                    if (cachedLengths[slot] != length || cachedLengthCrcs[slot] != storedLengthCrc) {
                        int lengthCrc = maskedCrc32c(data, start, 8);
                        if (lengthCrc != storedLengthCrc) {
                            throw new EventFileFormatException(file, chunk.base + start, String.format(
                                    "length CRC mismatch (stored 0x%08x, computed 0x%08x)", storedLengthCrc,
                                    lengthCrc));
                        }
                        cachedLengths[slot] = length;
                        cachedLengthCrcs[slot] = lengthCrc;
                    }
                    if (length < 0 || length > MAX_RECORD_BYTES) {
                        throw new EventFileFormatException(file, chunk.base + start, "record length "
                                + Long.toUnsignedString(length) + " exceeds the " + MAX_RECORD_BYTES + " byte limit");
                    }
                    int total = HEADER_BYTES + (int) length + FOOTER_BYTES;
                    if (end - start < total) {
                        break;
                    }
                    int dataStart = start + HEADER_BYTES;
                    int storedDataCrc = (int) INT_LE.get(data, dataStart + (int) length);
                    int dataCrc = maskedCrc32c(data, dataStart, (int) length);
                    if (dataCrc != storedDataCrc) {
                        throw new EventFileFormatException(file, chunk.base + start, String.format(
                                "data CRC mismatch in a %d byte record (stored 0x%08x, computed 0x%08x)", length,
                                storedDataCrc, dataCrc));
                    }
                    chunk.add(start, (int) length);
                    start += total;
                }
            } finally {
                chunk.framedEnd = start;
                records += chunk.count;
            }
            if (eof) {
                long recordOffset = chunk.base + start;
                int dangling = end - start;
                chunk.outcome = new Outcome(records, recordOffset, dangling == 0 ? -1 : recordOffset, dangling);
            }
        }

        private int maskedCrc32c(final byte[] data, final int offset, final int length) {
            crc.reset();
            crc.update(data, offset, length);
            return mask((int) crc.getValue());
        }
    }

    /** Where the bytes come from. */
    private interface Source {
        /** Reads up to {@code length} bytes; -1 at the end. Fills the whole request unless the end comes first. */
        int read(byte[] target, int offset, int length) throws IOException;

        /** Whether nothing is left (so a short last record is known to be cut short without another read). */
        boolean atEnd() throws IOException;

        /** What to report for a problem met while framing (a source may know its real cause). */
        default Throwable explain(final Throwable problem) {
            return problem;
        }
    }

    /**
     * A file through a read-only memory map: one copy from the page cache instead of two (the JDK reads into a heap
     * buffer through a temporary direct one). Measured on the 200 MB bench file: 20 ms against 32 ms of CPU, and the
     * helper thread is the slower of the two. If the file is cut shorter while mapped, the copy meets a vanished page,
     * which the JVM reports as an InternalError at some later point of the copying thread: hence only the helper
     * thread copies, the size is checked after every copy (so the shrinking is reported as such, before the zeros
     * read in its place could pass for damage), and the helper ignores a late InternalError.
     */
    private static final class MappedSource implements Source {
        private final Path file;
        private final FileChannel channel;
        private final long size;
        private long position;
        private MappedByteBuffer mapping;
        private long mappingStart;

        MappedSource(final Path file, final FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            this.position = channel.position();
            // The size when the read starts: a writer appending meanwhile is read next time, as with a stream.
            this.size = channel.size();
        }

        @Override
        public int read(final byte[] target, final int offset, final int length) throws IOException {
            if (position >= size) {
                return -1;
            }
            int done = 0;
            while (done < length && position < size) {
                if (mapping == null || position >= mappingStart + mapping.capacity()) {
                    mappingStart = position;
                    mapping = channel.map(FileChannel.MapMode.READ_ONLY, position,
                            Math.min(MAX_MAPPING_BYTES, size - position));
                }
                int index = (int) (position - mappingStart);
                int n = (int) Math.min(length - done, mapping.capacity() - index);
                mapping.get(index, target, offset + done, n);
                checkNotShorter(); // after the copy: a page that vanished during it shows as a smaller size here
                done += n;
                position += n;
            }
            return done;
        }

        @Override
        public boolean atEnd() {
            return position >= size;
        }

        @Override
        public Throwable explain(final Throwable problem) {
            try {
                checkNotShorter();
            } catch (IOException shorter) {
                return shorter;
            }
            return problem;
        }

        private void checkNotShorter() throws IOException {
            long now = channel.size();
            if (now < size) {
                throw new IOException(file + " became shorter while it was being read (from " + size + " to " + now
                        + " bytes)");
            }
        }
    }

    /** A channel read into the chunk buffers. */
    private static final class ChannelSource implements Source {
        private final ReadableByteChannel channel;
        private boolean ended;

        ChannelSource(final ReadableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(final byte[] target, final int offset, final int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(target, offset, length);
            int done = 0;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer);
                if (n < 0) {
                    ended = true;
                    break;
                }
                done += n;
            }
            return done == 0 && ended ? -1 : done;
        }

        @Override
        public boolean atEnd() {
            return ended;
        }
    }

    static int mask(final int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
