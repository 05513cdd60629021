package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;

/** A flow run's state as the watcher sees it: type, display name (e.g. "Late", "Retrying") and message. */
public final class FlowRunState {
    private static final FlowRunState UNKNOWN = new FlowRunState(StateType.UNKNOWN, "Unknown", "");

    private final StateType type;
    private final String name;
    private final String message;

    private FlowRunState(final StateType type, final String name, final String message) {
        this.type = type;
        this.name = name;
        this.message = message;
    }

    public static FlowRunState of(final StateType type, @CheckForNull final String name,
            @CheckForNull final String message) {
        return new FlowRunState(Objects.requireNonNull(type, "type"),
                name == null || name.isBlank() ? capitalized(type) : name, message == null ? "" : message);
    }

    /** The null object: nothing read yet. */
    public static FlowRunState unknown() {
        return UNKNOWN;
    }

    private static String capitalized(final StateType type) {
        String lower = type.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    public StateType getType() {
        return type;
    }

    public String getName() {
        return name;
    }

    /** Prefect's state message, or empty. */
    public String getMessage() {
        return message;
    }

    public boolean isTerminal() {
        return type.isTerminal();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowRunState)) {
            return false;
        }
        FlowRunState other = (FlowRunState) o;
        return type == other.type && name.equals(other.name) && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, message);
    }

    @Override
    public String toString() {
        return message.isEmpty() ? name + " (" + type + ")" : name + " (" + type + "): " + message;
    }
}
