package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows any number of remote jobs on one small scheduler, without a thread per job.
 *
 * <p>Jobs are grouped by their {@link StatusSource}; each group is polled with one batched
 * {@link StatusSource#read(Set)} per tick. A group's interval starts at the backoff's initial delay and grows up to its
 * cap while nothing changes; any status change or newly added job brings it back to the start, so a finished job is
 * noticed within one capped interval. Only ids and deadlines are kept ({@link WatchedJob}), so a restarted process can
 * re-arm the same jobs.
 */
public final class JobWatcher implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(JobWatcher.class.getName());

    /** Start at 1 s, cap at 15 s, as workflow-basic-steps' waitUntil does. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(15));

    private final ScheduledExecutorService scheduler;
    @CheckForNull
    private final Executor readExecutor;
    private final boolean ownsScheduler;
    private final Backoff backoff;
    private final Clock clock;
    private final Map<StatusSource<?>, Group<?>> groups = new IdentityHashMap<>();
    private final AtomicLong reads = new AtomicLong();
    private boolean closed;

    /** A watcher with its own single daemon thread. */
    public JobWatcher(final Backoff backoff, final Clock clock) {
        this(Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gerrit-ml job watcher");
            thread.setDaemon(true);
            return thread;
        }), null, true, backoff, clock);
    }

    /** A watcher on a scheduler the caller owns (Jenkins passes {@code jenkins.util.Timer.get()}). */
    public JobWatcher(final ScheduledExecutorService scheduler, final Backoff backoff, final Clock clock) {
        this(scheduler, null, false, backoff, clock);
    }

    /**
     * A watcher whose {@code scheduler} only ticks: each batched status read (a remote call) runs on {@code reads},
     * the host's bounded executor for blocking work, so a slow remote end never holds a scheduler thread.
     */
    public JobWatcher(final ScheduledExecutorService scheduler, final Executor reads, final Backoff backoff,
            final Clock clock) {
        this(scheduler, Objects.requireNonNull(reads, "reads"), false, backoff, clock);
    }

    private JobWatcher(final ScheduledExecutorService scheduler, @CheckForNull final Executor reads,
            final boolean ownsScheduler, final Backoff backoff, final Clock clock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.readExecutor = reads;
        this.ownsScheduler = ownsScheduler;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts following {@code job}. If the same id is already followed through the same source, the new listener
     * replaces the old one (a re-armed step after a restart).
     */
    public <S> Handle watch(final StatusSource<S> source, final WatchedJob job, final WatchListener<S> listener) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this job watcher is closed");
            }
            @SuppressWarnings("unchecked")
            Group<S> group = (Group<S>) groups.computeIfAbsent(source, s -> new Group<>(source));
            group.add(new Entry<>(job, listener));
            group.attempt = 0;
            group.scheduleWithin(backoff.initial());
        }
        return () -> unwatch(source, job.getId());
    }

    private void unwatch(final StatusSource<?> source, final String id) {
        synchronized (this) {
            Group<?> group = groups.get(source);
            if (group != null) {
                group.remove(id);
                if (group.entries.isEmpty()) {
                    group.cancel();
                    groups.remove(source);
                }
            }
        }
    }

    /** Jobs currently followed, over all sources. */
    public synchronized int activeCount() {
        return groups.values().stream().mapToInt(g -> g.entries.size()).sum();
    }

    /** Batched status reads made so far (one per group per tick). */
    public long readCount() {
        return reads.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            groups.values().forEach(Group::cancel);
            groups.clear();
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** Stops following one job; the remote job itself is untouched. */
    @FunctionalInterface
    public interface Handle {
        void cancel();
    }

    private static final class Entry<S> {
        private final WatchedJob job;
        private final WatchListener<S> listener;
        private S last;
        private int failures;
        private int misses;

        Entry(final WatchedJob job, final WatchListener<S> listener) {
            this.job = job;
            this.listener = listener;
        }
    }

    private final class Group<S> {
        private final StatusSource<S> source;
        private final Map<String, Entry<S>> entries = new LinkedHashMap<>();
        private ScheduledFuture<?> next;
        /** The tick {@link #next} runs; a tick that is not it any more does nothing when it fires. */
        private Runnable nextTick;
        private Instant nextAt;
        /** Guarded by the watcher: a read of this group is on the executor, so ticks do not start a second. */
        private boolean polling;
        private int attempt;
        /**
         * The earliest deadline of all entries, kept up to date on add so that watching N jobs costs O(N), not
         * O(N^2); after a removal it may be too early (null = recompute), which only brings a tick forward.
         */
        private Instant earliestDeadline;

        Group(final StatusSource<S> source) {
            this.source = source;
        }

        /** Guarded by the watcher. */
        void add(final Entry<S> entry) {
            Entry<S> replaced = entries.put(entry.job.getId(), entry);
            Instant deadline = entry.job.getDeadline();
            if (replaced != null) {
                earliestDeadline = null;
            } else if (earliestDeadline != null && deadline.isBefore(earliestDeadline) || entries.size() == 1) {
                earliestDeadline = deadline;
            }
        }

        /** Guarded by the watcher. */
        void remove(final String id) {
            if (entries.remove(id) != null) {
                earliestDeadline = null;
            }
        }

        private Instant earliestDeadline() {
            if (earliestDeadline == null) {
                earliestDeadline = entries.values().stream().map(e -> e.job.getDeadline())
                        .min(Instant::compareTo).orElse(Instant.MAX);
            }
            return earliestDeadline;
        }

        /** Guarded by the watcher: moves the next tick earlier, never later. */
        void scheduleWithin(final Duration delay) {
            Instant due = clock.instant().plus(delay);
            Instant earliestDeadline = earliestDeadline();
            if (earliestDeadline.isBefore(due)) {
                due = earliestDeadline;
            }
            if (next != null && !next.isDone() && nextAt != null && !due.isBefore(nextAt)) {
                return;
            }
            cancel();
            long millis = Math.max(0, Duration.between(clock.instant(), due).toMillis());
            Runnable tick = new Runnable() {
                @Override
                public void run() {
                    tick(this);
                }
            };
            nextAt = due;
            nextTick = tick;
            next = scheduler.schedule(tick, millis, TimeUnit.MILLISECONDS);
        }

        void cancel() {
            if (next != null) {
                next.cancel(false);
            }
            next = null;
            nextTick = null;
            nextAt = null;
        }

        /**
         * A tick fired: it stops being the pending one (so a watch or a read schedules the next), and a tick replaced
         * in the meantime does nothing. Only the read schedules again, so one source has one chain of ticks.
         */
        private void tick(final Runnable tick) {
            synchronized (JobWatcher.this) {
                if (tick != nextTick) {
                    return;
                }
                next = null;
                nextTick = null;
                nextAt = null;
                if (readExecutor != null) {
                    if (polling) { // a read is queued or in flight: it schedules the next tick when it is done
                        return;
                    }
                    polling = true;
                }
            }
            if (readExecutor == null) {
                poll();
                return;
            }
            try {
                readExecutor.execute(() -> {
                    try {
                        poll();
                    } catch (RuntimeException | Error e) { // poll clears the flag itself unless it broke early
                        synchronized (JobWatcher.this) {
                            polling = false;
                            if (!closed && !entries.isEmpty()) {
                                scheduleWithin(backoff.delay(++attempt));
                            }
                        }
                        throw e;
                    }
                });
            } catch (RejectedExecutionException e) {
                synchronized (JobWatcher.this) {
                    polling = false;
                    if (!closed && !entries.isEmpty()) {
                        scheduleWithin(backoff.delay(++attempt)); // the executor is full: try again later
                    }
                }
            }
        }

        private void poll() {
            Set<String> ids;
            synchronized (JobWatcher.this) {
                // A tick scheduled since this read was queued (a new watch) stays the pending one.
                if (closed || entries.isEmpty()) {
                    polling = false;
                    return;
                }
                ids = new LinkedHashSet<>(entries.keySet());
            }
            Map<String, S> statuses = null;
            Exception failure = null;
            try {
                reads.incrementAndGet();
                statuses = source.read(ids);
            } catch (Exception e) { // NOPMD: any read failure is retried until the deadline
                failure = e;
            } catch (LinkageError e) { // a broken class path must not end the polling of every job silently
                failure = new IllegalStateException(e.toString(), e);
            }
            List<Runnable> calls = new ArrayList<>();
            synchronized (JobWatcher.this) {
                polling = false; // before the next tick is scheduled: listener calls below may take a while
                if (closed) {
                    return;
                }
                boolean changed = apply(ids, statuses, failure, calls);
                if (!entries.isEmpty()) {
                    attempt = changed ? 0 : attempt + 1;
                    scheduleWithin(backoff.delay(attempt));
                } else {
                    groups.remove(source);
                }
            }
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "A job watcher listener failed for " + source.describe(), e);
                }
            }
        }

        /** Guarded by the watcher; collects listener calls to make outside the lock. */
        private boolean apply(final Set<String> ids, final Map<String, S> statuses, final Exception failure,
                final List<Runnable> calls) {
            Instant now = clock.instant();
            boolean changed = false;
            for (String id : ids) {
                Entry<S> entry = entries.get(id);
                if (entry == null) {
                    continue; // unwatched while reading
                }
                S status = statuses == null ? null : statuses.get(id);
                if (failure != null) {
                    int count = ++entry.failures;
                    Exception cause = failure;
                    calls.add(() -> entry.listener.onReadFailure(id, cause, count));
                } else if (status == null) {
                    int count = ++entry.misses;
                    calls.add(() -> entry.listener.onNotFound(id, count));
                } else {
                    entry.failures = 0;
                    entry.misses = 0;
                    if (!status.equals(entry.last)) {
                        entry.last = status;
                        changed = true;
                        calls.add(() -> entry.listener.onStatus(id, status));
                    }
                    if (source.isTerminal(status)) {
                        remove(id);
                        calls.add(() -> entry.listener.onFinished(id, status));
                        continue;
                    }
                }
                if (entry.job.isOverdue(now)) {
                    remove(id);
                    Duration elapsed = Duration.between(entry.job.getStartedAt(), now);
                    calls.add(() -> entry.listener.onTimeout(id, elapsed));
                }
            }
            return changed;
        }
    }
}
