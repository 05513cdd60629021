package io.jenkins.plugins.gerritml.core.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A remote job that exists: created now, or found under its plan's identity (adopted). Immutable. */
public final class RemoteJob {
    private final String id;
    private final Instant startedAt;
    private final boolean adopted;
    private final Map<String, String> facts;

    private RemoteJob(final String id, final Instant startedAt, final boolean adopted,
            final Map<String, String> facts) {
        this.id = Objects.requireNonNull(id, "id");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.adopted = adopted;
        this.facts = Map.copyOf(facts);
    }

    /** A job this call created. */
    public static RemoteJob created(final String id, final Instant startedAt, final Map<String, String> facts) {
        return new RemoteJob(id, startedAt, false, facts);
    }

    /** A job an earlier attempt (before a restart, or a racing one) created under the same identity. */
    public static RemoteJob adopted(final String id, final Instant startedAt, final Map<String, String> facts) {
        return new RemoteJob(id, startedAt, true, facts);
    }

    public String getId() {
        return id;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public boolean isAdopted() {
        return adopted;
    }

    /** Backend facts worth keeping in the plan (URL, name, ARN); no secrets. */
    public Map<String, String> getFacts() {
        return facts;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RemoteJob)) {
            return false;
        }
        RemoteJob other = (RemoteJob) o;
        return adopted == other.adopted && id.equals(other.id) && startedAt.equals(other.startedAt)
                && facts.equals(other.facts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, startedAt, adopted, facts);
    }

    @Override
    public String toString() {
        return (adopted ? "adopted " : "created ") + id + " " + new LinkedHashMap<>(facts);
    }
}
