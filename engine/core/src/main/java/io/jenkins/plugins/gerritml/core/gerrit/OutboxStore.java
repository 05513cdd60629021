package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.List;
import java.util.Optional;

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

    /** The entry {@code id} as stored now. */
    default Optional<OutboxEntry> find(final String id) {
        return entries().stream().filter(e -> e.getId().equals(id)).findFirst();
    }

    /**
     * Holds entry {@code id} against every other deliverer of this store until the claim is closed, so one post at
     * a time is made for it; empty when another deliverer holds it now. The default is for a store only one outbox
     * ever delivers.
     */
    default Optional<Claim> claim(final String id) {
        return Optional.of(() -> { });
    }

    /** A held entry; closing releases it. */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }
}
