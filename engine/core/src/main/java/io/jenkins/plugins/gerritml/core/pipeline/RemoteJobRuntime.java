package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every {@link RemoteJobLifecycle} of one host shares: a scheduler that only ticks, a bounded executor for
 * blocking remote calls, one {@link JobWatcher} whose reads run on that executor, and the {@link SharedSources}.
 * The host owns the pools it passes in (Jenkins: {@code Timer.get()} and a named bounded pool, closed with the
 * Jenkins instance); {@link #standalone} makes its own for the command line, tests and benchmarks.
 */
public final class RemoteJobRuntime implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor;
    private final JobWatcher watcher;
    private final SharedSources sources = new SharedSources();
    private final boolean ownsPools;

    private RemoteJobRuntime(final ScheduledExecutorService scheduler, final ExecutorService executor,
            final Backoff backoff, final Clock clock, final boolean ownsPools) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.watcher = new JobWatcher(scheduler, executor, backoff, clock);
        this.ownsPools = ownsPools;
    }

    /** On the host's pools, which it shuts down itself. */
    public static RemoteJobRuntime on(final ScheduledExecutorService scheduler, final ExecutorService executor,
            final Backoff backoff, final Clock clock) {
        return new RemoteJobRuntime(scheduler, executor, backoff, clock, false);
    }

    /** With its own daemon pools: one scheduler thread and at most {@code threads} for remote calls. */
    public static RemoteJobRuntime standalone(final String name, final int threads, final Backoff backoff,
            final Clock clock) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon(name + " scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        return new RemoteJobRuntime(scheduler, boundedExecutor(name, threads), backoff, clock, true);
    }

    /**
     * A pool of at most {@code threads} daemon threads with a queue, for blocking remote calls; idle threads end
     * after a minute.
     */
    public static ThreadPoolExecutor boundedExecutor(final String name, final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be at least 1, was " + threads);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = RemoteJobRuntime.class.getClassLoader();
        return runnable -> {
            Thread thread = new Thread(runnable, name + " #" + count.incrementAndGet());
            thread.setDaemon(true);
            // Not the submitter's loader (a Pipeline's CPS thread carries the build's script loader):
            // clients made on these threads start threads of their own that would pin it.
            thread.setContextClassLoader(loader);
            return thread;
        };
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public ExecutorService executor() {
        return executor;
    }

    public JobWatcher watcher() {
        return watcher;
    }

    public SharedSources sources() {
        return sources;
    }

    /** Stops following every job (the jobs go on), closes the shared sources, and its own pools if it has any. */
    @Override
    public void close() {
        watcher.close();
        sources.close();
        if (ownsPools) {
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }
}
