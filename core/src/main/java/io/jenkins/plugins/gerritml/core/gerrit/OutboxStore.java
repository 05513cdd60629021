package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.List;

/**
 * Where a {@link ReviewOutbox} keeps what it owes Gerrit, durably: a folder for the command line
 * ({@link FileOutboxStore}), the build for Jenkins. {@link #save} must have reached durable storage when it returns,
 * because the outbox posts right after it.
 */
public interface OutboxStore {
    /** Writes {@code entry}, replacing the one with the same id. */
    void save(OutboxEntry entry);

    /** Every entry kept, in the order they were first saved. */
    List<OutboxEntry> entries();

    /** The entries still {@link OutboxEntry.State#PENDING}. */
    default List<OutboxEntry> pending() {
        return entries().stream().filter(OutboxEntry::isPending).toList();
    }
}
