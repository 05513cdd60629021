package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.Objects;

/**
 * A label value carried by an event ({@code comment-added}'s {@code approvals}, or Gerrit Trigger's
 * {@code GERRIT_EVENT_UPDATED_APPROVALS}). It says what the event claimed, not what Gerrit holds now: gates read the
 * live change instead.
 */
public final class EventApproval {
    private final String label;
    private final int value;
    private final boolean updated;

    private EventApproval(final String label, final int value, final boolean updated) {
        this.label = label;
        this.value = value;
        this.updated = updated;
    }

    public static EventApproval valueOf(final String label, final int value, final boolean updated) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an approval needs a label name");
        }
        return new EventApproval(label.trim(), value, updated);
    }

    public String getLabel() {
        return label;
    }

    public int getValue() {
        return value;
    }

    /** Whether this event changed the value (Gerrit's {@code oldValue} was present). */
    public boolean isUpdated() {
        return updated;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EventApproval)) {
            return false;
        }
        EventApproval other = (EventApproval) o;
        return value == other.value && updated == other.updated && label.equals(other.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, value, updated);
    }

    @Override
    public String toString() {
        return label + (value > 0 ? "+" : "") + value;
    }
}
