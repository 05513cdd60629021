package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads the scalars of TensorBoard event files ({@code events.out.tfevents.*}) in one pass with a fixed buffer.
 * One reader serves one run (one directory): like TensorBoard it remembers each tag's plugin from the first metadata
 * seen across that run's files. Not thread-safe; cheap to create.
 */
public final class EventFileReader {
    private final TagTable tags = new TagTable();
    private final TfRecordReader records = new TfRecordReader();

    private EventFileReader() {
    }

    /** A reader for the files of one run, read in order. */
    public static EventFileReader forRun() {
        return new EventFileReader();
    }

    /**
     * Streams {@code file}'s scalars to {@code listener}. A record cut short at the end stops the read cleanly and
     * shows in the report; a damaged record throws {@link EventFileFormatException} with file and offset.
     *
     * @param displayName how the report names the file (e.g. its path relative to the run directory)
     */
    public EventFileReport read(final Path file, final String displayName, final ScalarListener listener)
            throws IOException {
        Objects.requireNonNull(listener, "listener");
        return readEntries(file, displayName, (entry, step, wallTime, value) -> listener.onScalar(entry.tag, step,
                wallTime, value));
    }

    /** The reader's own path: the sink sees the tag's entry and may keep per-tag state on it. */
    EventFileReport readEntries(final Path file, final String displayName, final EventDecoder.ScalarSink listener)
            throws IOException {
        EventDecoder decoder = new EventDecoder(tags);
        TfRecordReader.Outcome outcome;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            outcome = records.read(file, channel, (data, offset, length, fileOffset) -> {
                try {
                    decoder.decodeEvent(data, offset, offset + length, listener);
                } catch (EventDecoder.MalformedEventException e) {
                    throw new EventFileFormatException(file, fileOffset, "the record's CRCs match but its Event "
                            + "protobuf does not decode: " + e.getMessage());
                }
            });
        }
        EventFileReport.Builder report = EventFileReport.builder(displayName).withRecords(outcome.records())
                .withScalars(decoder.scalars()).withSkippedValues(decoder.skippedValues()).withBytes(outcome.bytes());
        if (outcome.truncatedAt() >= 0) {
            report.withTruncation(outcome.truncatedAt(), outcome.danglingBytes());
        }
        return report.build();
    }

    public EventFileReport read(final Path file, final ScalarListener listener) throws IOException {
        return read(file, String.valueOf(file.getFileName()), listener);
    }

    /** Tags seen so far in this run, scalar or not. */
    public int tagCount() {
        return tags.size();
    }
}
