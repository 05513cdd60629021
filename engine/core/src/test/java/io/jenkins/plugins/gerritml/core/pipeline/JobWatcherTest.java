package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class JobWatcherTest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(5), Duration.ofMillis(20));

    /** An in-memory backend whose jobs the test moves from state to state. */
    static class Jobs implements StatusSource<String> {
        final Map<String, String> states = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean down;

        @Override
        public Map<String, String> read(final Set<String> ids) throws Exception {
            reads.incrementAndGet();
            if (down) {
                throw new java.io.IOException("connection refused");
            }
            return ids.stream().filter(states::containsKey)
                    .collect(Collectors.toMap(Function.identity(), states::get));
        }

        @Override
        public boolean isTerminal(final String status) {
            return status.equals("Completed") || status.equals("Failed");
        }

        @Override
        public String describe() {
            return "test jobs";
        }
    }

    static final class Recorder implements WatchListener<String> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void onStatus(final String id, final String status) {
            events.add(id + ":" + status);
        }

        @Override
        public void onFinished(final String id, final String status) {
            events.add(id + ":finished:" + status);
            done.countDown();
        }

        @Override
        public void onTimeout(final String id, final Duration elapsed) {
            events.add(id + ":timeout");
            done.countDown();
        }

        @Override
        public void onReadFailure(final String id, final Exception failure, final int consecutiveFailures) {
            events.add(id + ":failure:" + failure.getMessage());
        }
    }

    @Test
    void shouldReportEachChangeOnceAndTheTerminalStatus() throws Exception {
        Jobs jobs = new Jobs();
        jobs.states.put("job-1", "InProgress");
        Recorder recorder = new Recorder();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            watcher.watch(jobs, WatchedJob.startingNow("job-1", Instant.now(), Duration.ofMinutes(1)), recorder);
            waitFor(() -> recorder.events.contains("job-1:InProgress"));
            Thread.sleep(60); // several ticks without a change
            jobs.states.put("job-1", "Completed");
            assertThat(recorder.done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.activeCount()).isZero();
        }
        assertThat(recorder.events).containsExactly("job-1:InProgress", "job-1:Completed",
                "job-1:finished:Completed");
    }

    @Test
    void shouldReadManyJobsWithOneCallPerTick() throws Exception {
        Jobs jobs = new Jobs();
        Recorder recorder = new Recorder();
        try (JobWatcher watcher = new JobWatcher(Backoff.of(Duration.ofMillis(50), Duration.ofMillis(50)),
                Clock.systemUTC())) {
            for (int i = 0; i < 500; i++) {
                jobs.states.put("job-" + i, "InProgress");
                watcher.watch(jobs, WatchedJob.startingNow("job-" + i, Instant.now(), Duration.ofMinutes(1)),
                        new Recorder());
            }
            watcher.watch(jobs, WatchedJob.startingNow("last", Instant.now(), Duration.ofMinutes(1)), recorder);
            jobs.states.put("last", "Failed");
            assertThat(recorder.done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.activeCount()).isEqualTo(500);
            // 501 jobs, yet only a handful of reads: one batched read per tick.
            assertThat(jobs.reads.get()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void shouldKeepFollowingThroughReadFailuresAndTimeOutAtTheDeadline() throws Exception {
        Jobs jobs = new Jobs();
        jobs.down = true;
        Recorder recorder = new Recorder();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            watcher.watch(jobs, WatchedJob.startingNow("job-1", Instant.now(), Duration.ofMillis(150)), recorder);
            assertThat(recorder.done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(recorder.events).contains("job-1:failure:connection refused").last().isEqualTo("job-1:timeout");
    }

    @Test
    void shouldStopCallingAfterCancel() throws Exception {
        Jobs jobs = new Jobs();
        jobs.states.put("job-1", "InProgress");
        Recorder recorder = new Recorder();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            JobWatcher.Handle handle = watcher.watch(jobs,
                    WatchedJob.startingNow("job-1", Instant.now(), Duration.ofMinutes(1)), recorder);
            waitFor(() -> !recorder.events.isEmpty());
            handle.cancel();
            jobs.states.put("job-1", "Completed");
            Thread.sleep(100);
            assertThat(watcher.activeCount()).isZero();
        }
        assertThat(recorder.events).containsExactly("job-1:InProgress");
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 5 s").isLessThan(end);
            Thread.sleep(5);
        }
    }

    /** Review 2.3: with an executor for reads, the scheduler only ticks; one group is never read twice at once. */
    @Test
    void shouldReadOnTheExecutorOnlyAndNeverReadOneSourceTwiceAtOnce() throws Exception {
        java.util.concurrent.ScheduledExecutorService ticks = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> new Thread(r, "ticks"));
        java.util.concurrent.ExecutorService reads = java.util.concurrent.Executors.newFixedThreadPool(4,
                r -> new Thread(r, "reads"));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Set<String> readThreads = ConcurrentHashMap.newKeySet();
        Jobs jobs = new Jobs() {
            @Override
            public Map<String, String> read(final Set<String> ids) throws Exception {
                readThreads.add(Thread.currentThread().getName());
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20); // slow enough that new watches and ticks arrive while it runs
                    return super.read(ids);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        List<Recorder> recorders = new java.util.ArrayList<>();
        try (JobWatcher watcher = new JobWatcher(ticks, reads, FAST, Clock.systemUTC())) {
            for (int i = 0; i < 30; i++) {
                jobs.states.put("job-" + i, "InProgress");
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                watcher.watch(jobs, WatchedJob.startingNow("job-" + i, Instant.now(), Duration.ofMinutes(1)),
                        recorder);
                Thread.sleep(3);
            }
            waitFor(() -> jobs.reads.get() >= 10);
            jobs.states.replaceAll((id, state) -> "Completed");
            for (Recorder recorder : recorders) {
                assertThat(recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            ticks.shutdownNow();
            reads.shutdownNow();
        }
        assertThat(readThreads).containsOnly("reads");
        assertThat(mostInFlight).hasValue(1);
    }

    /**
     * A watch that arrives between a tick and its queued read schedules a tick; the read must not forget it and
     * schedule a second one, or the source is polled by two chains from then on.
     */
    @Test
    void shouldKeepOnePendingTickWhenAWatchArrivesBeforeTheQueuedRead() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor ticks = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        ticks.setRemoveOnCancelPolicy(true); // a cancelled tick leaves the queue: the queue holds the live ticks
        java.util.concurrent.BlockingQueue<Runnable> queuedReads = new java.util.concurrent.LinkedBlockingQueue<>();
        Jobs jobs = new Jobs();
        jobs.states.put("job-a", "InProgress");
        jobs.states.put("job-b", "InProgress");
        Duration interval = Duration.ofMillis(500); // far longer than the steps below take
        try (JobWatcher watcher = new JobWatcher(ticks, queuedReads::add, Backoff.of(interval, interval),
                Clock.systemUTC())) {
            watcher.watch(jobs, WatchedJob.startingNow("job-a", Instant.now(), Duration.ofMinutes(1)), new Recorder());
            Runnable read = queuedReads.poll(5, TimeUnit.SECONDS); // the first tick fired and queued its read
            assertThat(read).isNotNull();

            watcher.watch(jobs, WatchedJob.startingNow("job-b", Instant.now(), Duration.ofMinutes(1)), new Recorder());
            read.run();

            assertThat(jobs.reads).hasValue(1);
            assertThat(ticks.getQueue()).as("one tick pending for the source").hasSize(1);
        } finally {
            ticks.shutdownNow();
        }
    }
}
