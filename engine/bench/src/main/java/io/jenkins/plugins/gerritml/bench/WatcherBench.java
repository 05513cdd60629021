package io.jenkins.plugins.gerritml.bench;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.StatusSource;
import io.jenkins.plugins.gerritml.core.pipeline.WatchListener;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared {@link JobWatcher} following 1,000 and 10,000 concurrent fake jobs through an in-process
 * {@link StatusSource} that behaves like SageMaker's ListTrainingJobs with a modified-since filter: one call per
 * read plus one per 100 changed jobs (pages), each costing a simulated round trip. Prints threads used, heap per
 * job, calls per poll interval and completion-detection latency. Figures, not assertions.
 *
 * <p>Run: {@code ./mvnw -B -Pbench -Dbench=WatcherBench -pl bench -am verify}
 */
public final class WatcherBench {
    /** Poll interval: starts at 100 ms, capped at 1 s (scaled down from 1 s / 15 s so a run takes seconds). */
    private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));
    private static final Duration COMPLETION_WINDOW = Duration.ofSeconds(12);
    private static final long ROUND_TRIP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int PAGE = 100;
    private static final int QUIET_FINISHERS = 10;

    private WatcherBench() {
    }

    /** Remote jobs: each completes at a fixed instant; reads are priced like a paginated, filtered list. */
    static final class SimulatedList implements StatusSource<String> {
        final Map<String, Long> completesAtNanos = new HashMap<>();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        private long lastReadNanos = Long.MIN_VALUE;

        @Override
        public synchronized Map<String, String> read(final Set<String> ids) {
            long now = System.nanoTime();
            reads.incrementAndGet();
            int changed = 0;
            Map<String, String> answer = new HashMap<>(ids.size() * 2);
            for (String id : ids) {
                long at = completesAtNanos.get(id);
                boolean done = now >= at;
                if (done && at > lastReadNanos || lastReadNanos == Long.MIN_VALUE) {
                    changed++;
                }
                answer.put(id, done ? "Completed" : "InProgress");
            }
            // The first read learns every job (full list); later ones list only what changed since.
            long pages = Math.max(1, (changed + PAGE - 1) / PAGE);
            calls.addAndGet(pages);
            LockSupport.parkNanos(pages * ROUND_TRIP_NANOS);
            lastReadNanos = now;
            return answer;
        }

        @Override
        public boolean isTerminal(final String status) {
            return "Completed".equals(status);
        }

        @Override
        public String describe() {
            return "simulated ListTrainingJobs";
        }
    }

    public static void main(final String[] args) throws Exception {
        System.out.println("WatcherBench: JobWatcher + simulated ListTrainingJobs (" + PAGE + " per page, "
                + TimeUnit.NANOSECONDS.toMillis(ROUND_TRIP_NANOS) + " ms per call), backoff " + BACKOFF
                + ", completions spread over " + COMPLETION_WINDOW.toSeconds() + " s");
        System.out.println("JVM " + System.getProperty("java.version") + ", " + Runtime.getRuntime()
                .availableProcessors() + " CPUs, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        run(1_000, false, false); // warm-up, not printed
        for (int jobs : new int[] {1_000, 10_000}) {
            run(jobs, false, true);
        }
        // Long trainings: nothing changes for seconds, the interval grows to its cap, then 10 jobs finish.
        run(10_000, true, true);
    }

    private static void run(final int jobCount, final boolean quiet, final boolean print) throws Exception {
        SimulatedList source = new SimulatedList();
        Random random = new Random(42);
        long base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        List<String> ids = new ArrayList<>(jobCount);
        for (int i = 0; i < jobCount; i++) {
            String id = String.format("ml-fraud-model-c%d-p%d-b%d", 1000 + i / 10, 1 + i % 10, 1 + i % 7);
            ids.add(id);
            long at = !quiet ? base + (long) (random.nextDouble() * COMPLETION_WINDOW.toNanos())
                    : i < jobCount - QUIET_FINISHERS ? Long.MAX_VALUE
                    : base + TimeUnit.SECONDS.toNanos(4) + (long) (random.nextDouble() * TimeUnit.SECONDS.toNanos(4));
            source.completesAtNanos.put(id, at);
        }
        List<String> finishing = quiet ? ids.subList(jobCount - QUIET_FINISHERS, jobCount) : ids;
        Map<String, Long> detectedAt = new ConcurrentHashMap<>(jobCount * 2);
        CountDownLatch done = new CountDownLatch(finishing.size());
        WatchListener<String> listener = new WatchListener<>() {
            @Override
            public void onStatus(final String id, final String status) {
            }

            @Override
            public void onFinished(final String id, final String status) {
                detectedAt.put(id, System.nanoTime());
                done.countDown();
            }

            @Override
            public void onTimeout(final String id, final Duration elapsed) {
                done.countDown();
            }
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);
        int threadsBefore = threads.getThreadCount();
        long startAdd = System.nanoTime();
        Instant now = Instant.now();
        try (JobWatcher watcher = new JobWatcher(BACKOFF, Clock.systemUTC())) {
            for (String id : ids) {
                watcher.watch(source, WatchedJob.startingNow(id, now, Duration.ofMinutes(10)), listener);
            }
            long addMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startAdd);
            long heapWatching = usedHeapAfterGc(memory);
            int threadsWatching = threads.getThreadCount();
            long readsAtStart = source.reads.get();
            long callsAtStart = source.calls.get();
            long start = System.nanoTime();
            if (!done.await(COMPLETION_WINDOW.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not all jobs finished: " + done.getCount() + " left");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long reads = source.reads.get() - readsAtStart;
            long calls = source.calls.get() - callsAtStart;
            long[] latencies = finishing.stream().mapToLong(id -> detectedAt.get(id) - source.completesAtNanos.get(id))
                    .sorted().toArray();
            if (print) {
                System.out.printf("%n== %,d concurrent jobs%s ==%n", jobCount, quiet ? ", quiet: " + QUIET_FINISHERS
                        + " finish after 4-8 s, the rest run on" : ", all finishing within "
                        + COMPLETION_WINDOW.toSeconds() + " s");
                System.out.printf("threads used by the watcher:   %d (JVM threads %d -> %d)%n",
                        threadsWatching - threadsBefore, threadsBefore, threadsWatching);
                System.out.printf("heap per followed job:         %,d bytes (%,.1f MiB for all, after GC)%n",
                        (heapWatching - heapBefore) / jobCount, (heapWatching - heapBefore) / 1048576.0);
                System.out.printf("adding all jobs took:          %,d ms%n", addMillis);
                System.out.printf("batched reads (poll ticks):    %,d in %.1f s%n", reads, seconds);
                System.out.printf("API calls (pages):             %,d -> %.2f calls per poll interval, %.4f per job "
                        + "per interval%n", calls, calls / (double) reads, calls / (double) reads / jobCount);
                System.out.printf("completion detection latency:  p50 %d ms, p99 %d ms, max %d ms (interval cap %d ms)%n",
                        millis(latencies, 0.50), millis(latencies, 0.99), millis(latencies, 1.0),
                        BACKOFF.cap().toMillis());
            }
        }
    }

    private static long millis(final long[] sortedNanos, final double quantile) {
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        return TimeUnit.NANOSECONDS.toMillis(sortedNanos[Math.max(0, index)]);
    }

    private static long usedHeapAfterGc(final MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
