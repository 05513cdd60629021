package io.jenkins.plugins.gerritml.core.tensorboard;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An event file is damaged in its middle: a CRC does not match or a record's protobuf cannot be decoded. Names the
 * file and the byte offset of the bad record so that it can be inspected (e.g. {@code xxd -s OFFSET FILE}).
 * A record cut short at the end of a file is not this: that is a run still writing (see {@link EventFileReport}).
 */
public final class EventFileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    EventFileFormatException(final Path file, final long offset, final String problem) {
        super("Corrupted TensorBoard event file " + file + " at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path getFile() {
        return file;
    }

    /** Byte offset of the start of the bad record. */
    public long getOffset() {
        return offset;
    }
}
