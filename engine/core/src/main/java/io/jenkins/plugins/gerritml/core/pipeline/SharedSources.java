package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Status sources (and the clients under them) shared by every wait on the same remote end: one per AWS
 * account/region/endpoint, one per Prefect server. The {@link JobWatcher} batches the jobs of one source into one
 * read per tick, so N steps waiting on one account cost one list call per interval, not N describes. Reference
 * counted: the last {@link Lease#release()} closes the shared instance.
 */
public final class SharedSources implements AutoCloseable {
    private final Map<String, Shared<?>> shared = new HashMap<>();

    private static final class Shared<T> {
        private final T value;
        private final Consumer<T> closer;
        private int leases;

        Shared(final T value, final Consumer<T> closer) {
            this.value = value;
            this.closer = closer;
        }
    }

    /** A use of one shared instance; release it when the wait ends (twice does no harm). */
    public final class Lease<T> implements AutoCloseable {
        private final String key;
        private final T value;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(final String key, final T value) {
            this.key = key;
            this.value = value;
        }

        public T get() {
            return value;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                SharedSources.this.release(key);
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    /**
     * The instance shared under {@code key}, made by {@code create} if there is none.
     *
     * @param key    what makes two waits share: e.g. {@code sagemaker|eu-west-1|<endpoint>|<principal>}
     * @param close  frees it when the last lease is released
     */
    public synchronized <T> Lease<T> acquire(final String key, final Class<T> type, final Supplier<T> create,
            final Consumer<T> close) {
        Objects.requireNonNull(key, "key");
        Shared<?> existing = shared.get(key);
        if (existing == null) {
            existing = new Shared<>(Objects.requireNonNull(create.get(), "created"), close);
            shared.put(key, existing);
        }
        if (!type.isInstance(existing.value)) {
            throw new IllegalStateException("the source shared as '" + key + "' is a "
                    + existing.value.getClass().getName() + ", not a " + type.getName());
        }
        existing.leases++;
        return new Lease<>(key, type.cast(existing.value));
    }

    private void release(final String key) {
        Shared<?> done = null;
        synchronized (this) {
            Shared<?> entry = shared.get(key);
            if (entry != null && --entry.leases <= 0) {
                shared.remove(key);
                done = entry;
            }
        }
        if (done != null) {
            closeQuietly(done);
        }
    }

    private static <T> void closeQuietly(final Shared<T> entry) {
        try {
            entry.closer.accept(entry.value);
        } catch (RuntimeException e) { // NOPMD: closing is best effort
            // nothing to do: the process goes on without it
        }
    }

    /** Instances shared now. */
    public synchronized int size() {
        return shared.size();
    }

    /** Leases held on {@code key}. */
    public synchronized int leases(final String key) {
        Shared<?> entry = shared.get(key);
        return entry == null ? 0 : entry.leases;
    }

    @Override
    public void close() {
        Map<String, Shared<?>> all;
        synchronized (this) {
            all = new HashMap<>(shared);
            shared.clear();
        }
        all.values().forEach(SharedSources::closeQuietly);
    }
}
