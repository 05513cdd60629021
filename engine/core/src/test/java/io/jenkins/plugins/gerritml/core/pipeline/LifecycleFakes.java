package io.jenkins.plugins.gerritml.core.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** In-memory remote end, host and executors for the lifecycle's unit tests. */
final class LifecycleFakes {
    private LifecycleFakes() {
    }

    /** A remote end that keeps jobs by identity, as SageMaker keeps them by name: creating twice is impossible. */
    static final class Remote {
        final Map<String, String> jobs = new ConcurrentHashMap<>(); // identity -> "running" / "stopped"
        final AtomicInteger creates = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        final AtomicInteger finds = new AtomicInteger();
        final List<CompletableFuture<String>> follows = new CopyOnWriteArrayList<>();
        /** The plans each follow was asked with. */
        final List<JobPlan> followed = new CopyOnWriteArrayList<>();

        int count() {
            return jobs.size();
        }

        /** Completes every follow of the job as the remote end would when it finishes. */
        void finish(final String result) {
            follows.forEach(f -> f.complete(result));
        }
    }

    /** The backend over {@link Remote}; results are strings, "Completed..." counts as success. */
    static class Backend implements RemoteJobBackend<String> {
        final Remote remote;
        volatile Runnable duringCreate = () -> { };
        volatile RuntimeException preflightFailure;
        /** The process this backend ran in died: it makes no further calls. */
        volatile boolean dead;
        /** Create makes the job, then its answer is lost (a client timeout on a stalled server). */
        volatile boolean createAnswerLost;
        /** Create is refused (the remote end answered no): nothing is made. */
        volatile RuntimeException createRefused;
        /** How many more finds fail because the remote end does not answer. */
        final AtomicInteger unansweredFinds = new AtomicInteger();

        Backend(final Remote remote) {
            this.remote = remote;
        }

        private void alive() {
            if (dead) {
                throw new ProcessDied();
            }
        }

        @Override
        public void preflight(final JobPlan plan, final Consumer<String> log) {
            if (preflightFailure != null) {
                throw preflightFailure;
            }
        }

        @Override
        public Optional<RemoteJob> find(final JobPlan plan) {
            alive();
            remote.finds.incrementAndGet();
            if (unansweredFinds.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("the server did not answer within 30 s");
            }
            return remote.jobs.containsKey(plan.getIdentity())
                    ? Optional.of(RemoteJob.adopted(plan.getIdentity(), Instant.EPOCH.plusSeconds(1), Map.of()))
                    : Optional.empty();
        }

        @Override
        public RemoteJob create(final JobPlan plan, final Consumer<String> log) {
            alive();
            if (createRefused != null) {
                throw createRefused;
            }
            if (remote.jobs.putIfAbsent(plan.getIdentity(), "running") != null) {
                throw new IllegalStateException("job " + plan.getIdentity() + " exists");
            }
            remote.creates.incrementAndGet();
            duringCreate.run();
            if (createAnswerLost) {
                throw new IllegalStateException("the server did not answer within 30 s");
            }
            return RemoteJob.created(plan.getIdentity(), Instant.now(), Map.of("url", "http://remote/"
                    + plan.getIdentity()));
        }

        @Override
        public CompletableFuture<String> follow(final JobPlan plan, final Consumer<String> log) {
            alive();
            CompletableFuture<String> result = new CompletableFuture<>();
            remote.follows.add(result);
            remote.followed.add(plan);
            if ("stopped".equals(remote.jobs.get(plan.getIdentity()))) {
                result.complete("Stopped");
            }
            return result;
        }

        @Override
        public String stop(final JobPlan plan, final String remoteId, final String reason) {
            alive();
            remote.stops.incrementAndGet();
            remote.jobs.replace(remoteId, "stopped");
            return "asked to stop";
        }

        @Override
        public boolean isSuccess(final String result) {
            return result.startsWith("Completed");
        }

        @Override
        public String summary(final String result) {
            return "The job ended: " + result + ".";
        }
    }

    /** What a dead process's threads run into. */
    static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** A host that keeps the saved plans and outcomes; {@link #crash()} makes it forget everything after. */
    static class Host implements LifecycleHost<String> {
        final List<JobPlan> saved = new CopyOnWriteArrayList<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<JobOutcome<String>> outcomes = new CopyOnWriteArrayList<>();
        final CompletableFuture<JobOutcome<String>> first = new CompletableFuture<>();
        final AtomicInteger reviews = new AtomicInteger();
        volatile ReviewDelivery review = ReviewDelivery.posted("Verified+1");
        volatile RuntimeException reviewFailure;
        volatile boolean crashed;
        final List<String> announced = new CopyOnWriteArrayList<>();
        volatile RuntimeException announceFailure;

        @Override
        public void announce(final JobPlan plan) {
            announced.add(plan.getRemoteId() + " " + plan.getPhase());
            if (announceFailure != null) {
                throw announceFailure;
            }
        }

        @Override
        public void save(final JobPlan plan) {
            if (!crashed) {
                saved.add(plan);
            }
        }

        @Override
        public void log(final String line) {
            log.add(line);
        }

        @Override
        public void completed(final JobOutcome<String> outcome) {
            if (!crashed) {
                outcomes.add(outcome);
                first.complete(outcome);
            }
        }

        @Override
        public ReviewDelivery review(final String result) {
            reviews.incrementAndGet();
            if (reviewFailure != null) {
                throw reviewFailure;
            }
            return review;
        }

        /** The process died: what it saved last is all a new one gets. */
        JobPlan crash() {
            crashed = true;
            return last();
        }

        JobPlan last() {
            return saved.get(saved.size() - 1);
        }

        JobOutcome<String> outcome() throws Exception {
            return first.get(30, TimeUnit.SECONDS);
        }
    }

    /** Runs submitted tasks only when the test says so, on the test's thread. */
    static final class StepExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(final Runnable command) {
            tasks.add(command);
        }

        /** Runs tasks (and what they submit) until none is left. */
        void runAll() {
            Runnable next;
            while ((next = poll()) != null) {
                next.run();
            }
        }

        boolean runOne() {
            Runnable next = poll();
            if (next != null) {
                next.run();
            }
            return next != null;
        }

        private synchronized Runnable poll() {
            return tasks.poll();
        }

        synchronized void pollAndDrop() {
            tasks.poll();
        }

        synchronized int pending() {
            return tasks.size();
        }
    }

    /** A scheduler whose ticks the test fires by hand (they are also scheduled, far away, to be cancellable). */
    static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> ticks = new CopyOnWriteArrayList<>();

        ManualScheduler() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(final Runnable command, final long delay, final TimeUnit unit) {
            ticks.add(command);
            return super.schedule(command, 1, TimeUnit.DAYS);
        }

        void fireAll() {
            ticks.forEach(Runnable::run);
        }

        /** Fires the oldest tick not fired by this method yet; false when there is none. */
        boolean fireNext() {
            if (ticks.isEmpty()) {
                return false;
            }
            ticks.remove(0).run();
            return true;
        }
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(final Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }
    }

    static JobPlan plan(final String identity) {
        return JobPlan.of("test job", identity, "spec of " + identity, Duration.ofHours(1));
    }
}
