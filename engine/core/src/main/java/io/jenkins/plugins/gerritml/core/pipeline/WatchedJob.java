package io.jenkins.plugins.gerritml.core.pipeline;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What must survive a restart to follow a remote job again: its id and absolute times, nothing else
 * (no clients, no credentials). A Jenkins step persists this and re-arms a watcher from it in {@code onResume}.
 */
public final class WatchedJob implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final Instant startedAt;
    private final Instant deadline;

    private WatchedJob(final String id, final Instant startedAt, final Instant deadline) {
        if (id.isBlank()) {
            throw new IllegalArgumentException("a watched job needs a non-blank id");
        }
        if (deadline.isBefore(startedAt)) {
            throw new IllegalArgumentException("deadline " + deadline + " is before the start " + startedAt);
        }
        this.id = id;
        this.startedAt = startedAt;
        this.deadline = deadline;
    }

    public static WatchedJob of(final String id, final Instant startedAt, final Instant deadline) {
        return new WatchedJob(Objects.requireNonNull(id, "id"), Objects.requireNonNull(startedAt, "startedAt"),
                Objects.requireNonNull(deadline, "deadline"));
    }

    public static WatchedJob startingNow(final String id, final Instant now, final Duration timeout) {
        return of(id, now, now.plus(timeout));
    }

    public String getId() {
        return id;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getDeadline() {
        return deadline;
    }

    public boolean isOverdue(final Instant now) {
        return !now.isBefore(deadline);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WatchedJob)) {
            return false;
        }
        WatchedJob other = (WatchedJob) o;
        return id.equals(other.id) && startedAt.equals(other.startedAt) && deadline.equals(other.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, startedAt, deadline);
    }

    @Override
    public String toString() {
        return "WatchedJob[" + id + ", started " + startedAt + ", deadline " + deadline + "]";
    }
}
