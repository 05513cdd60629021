package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Objects;

/**
 * What reading one event file found: records, scalars, skipped non-scalar values, bytes of whole records, and whether
 * the last record was cut short (a run still writing), with its offset. The file is named relative to the run
 * directory so that reports compare across machines.
 */
public final class EventFileReport {
    private static final long NOT_TRUNCATED = -1;

    private final String file;
    private final long records;
    private final long scalars;
    private final long skippedValues;
    private final long bytes;
    private final long truncatedAt;
    private final long danglingBytes;

    private EventFileReport(final Builder builder) {
        this.file = Objects.requireNonNull(builder.file, "file");
        this.records = builder.records;
        this.scalars = builder.scalars;
        this.skippedValues = builder.skippedValues;
        this.bytes = builder.bytes;
        this.truncatedAt = builder.truncatedAt;
        this.danglingBytes = builder.danglingBytes;
    }

    public static Builder builder(final String file) {
        return new Builder(file);
    }

    public String getFile() {
        return file;
    }

    public long getRecords() {
        return records;
    }

    public long getScalars() {
        return scalars;
    }

    /** Summary values that are not scalars (histograms, images, text, ...), or scalar tags with malformed tensors. */
    public long getSkippedValues() {
        return skippedValues;
    }

    /** Bytes of whole, verified records: the offset at which a later read of a growing file would go on. */
    public long getBytes() {
        return bytes;
    }

    public boolean isTruncated() {
        return truncatedAt != NOT_TRUNCATED;
    }

    /** Byte offset where the cut-short last record starts, or -1. */
    public long getTruncatedAt() {
        return truncatedAt;
    }

    /** Bytes of the cut-short last record that are present (0 when not truncated). */
    public long getDanglingBytes() {
        return danglingBytes;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EventFileReport)) {
            return false;
        }
        EventFileReport other = (EventFileReport) o;
        return records == other.records && scalars == other.scalars && skippedValues == other.skippedValues
                && bytes == other.bytes && truncatedAt == other.truncatedAt && danglingBytes == other.danglingBytes
                && file.equals(other.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, records, scalars, skippedValues, bytes, truncatedAt, danglingBytes);
    }

    @Override
    public String toString() {
        return file + ": " + records + " records, " + scalars + " scalars, " + skippedValues + " skipped values, "
                + bytes + " bytes" + (isTruncated() ? ", last record cut short at byte " + truncatedAt + " ("
                + danglingBytes + " bytes present)" : "");
    }

    /** Builds an {@link EventFileReport}. */
    public static final class Builder {
        private final String file;
        private long records;
        private long scalars;
        private long skippedValues;
        private long bytes;
        private long truncatedAt = NOT_TRUNCATED;
        private long danglingBytes;

        private Builder(final String file) {
            this.file = file;
        }

        public Builder withRecords(final long value) {
            this.records = value;
            return this;
        }

        public Builder withScalars(final long value) {
            this.scalars = value;
            return this;
        }

        public Builder withSkippedValues(final long value) {
            this.skippedValues = value;
            return this;
        }

        public Builder withBytes(final long value) {
            this.bytes = value;
            return this;
        }

        /** The last record was cut short: it starts at {@code offset}, and {@code present} of its bytes are there. */
        public Builder withTruncation(final long offset, final long present) {
            this.truncatedAt = offset;
            this.danglingBytes = present;
            return this;
        }

        public EventFileReport build() {
            return new EventFileReport(this);
        }
    }
}
