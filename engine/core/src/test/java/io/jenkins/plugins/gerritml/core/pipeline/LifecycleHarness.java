package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/** A recording host and a backend that "dies" with its process, for lifecycle tests of every backend. */
public final class LifecycleHarness {
    private LifecycleHarness() {
    }

    /** Keeps saved plans, log lines and outcomes; after {@link #crash()} it keeps nothing more. */
    public static final class RecordingHost<R> implements LifecycleHost<R> {
        public final List<JobPlan> saved = new CopyOnWriteArrayList<>();
        public final List<String> log = new CopyOnWriteArrayList<>();
        public final List<JobOutcome<R>> outcomes = new CopyOnWriteArrayList<>();
        public final AtomicInteger reviews = new AtomicInteger();
        private final CompletableFuture<JobOutcome<R>> first = new CompletableFuture<>();
        private final Function<R, ReviewDelivery> review;
        private volatile boolean crashed;

        public RecordingHost(final Function<R, ReviewDelivery> review) {
            this.review = review;
        }

        @Override
        public void save(final JobPlan plan) {
            if (!crashed) {
                saved.add(plan);
            }
        }

        @Override
        public void log(final String line) {
            if (!crashed) {
                log.add(line);
            }
        }

        @Override
        public void completed(final JobOutcome<R> outcome) {
            if (!crashed) {
                outcomes.add(outcome);
                first.complete(outcome);
            }
        }

        @Override
        public ReviewDelivery review(final R result) {
            reviews.incrementAndGet();
            return review.apply(result);
        }

        /** The process died: the plan it saved last is all a new one gets. */
        public JobPlan crash() {
            crashed = true;
            return last();
        }

        public JobPlan last() {
            return saved.get(saved.size() - 1);
        }

        public JobOutcome<R> outcome() throws Exception {
            return first.get(2, TimeUnit.MINUTES);
        }
    }

    /** Thrown into the threads of a process that died. */
    public static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;

        public ProcessDied() {
            super("the process died");
        }
    }

    /** A backend whose process can die at a chosen point; after that it calls nothing remote. */
    public static final class Dying<R> implements RemoteJobBackend<R> {
        private final RemoteJobBackend<R> delegate;
        private volatile boolean dead;
        private volatile Runnable afterCreate = () -> { };

        public Dying(final RemoteJobBackend<R> delegate) {
            this.delegate = delegate;
        }

        /** Runs {@code action} once the create call returned (the remote job exists), before the caller sees it. */
        public Dying<R> afterCreate(final Runnable action) {
            this.afterCreate = action;
            return this;
        }

        public void die() {
            dead = true;
        }

        private void alive() {
            if (dead) {
                throw new ProcessDied();
            }
        }

        @Override
        public void preflight(final JobPlan plan, final Consumer<String> log) throws Exception {
            alive();
            delegate.preflight(plan, log);
        }

        @Override
        public Optional<RemoteJob> find(final JobPlan plan) throws Exception {
            alive();
            return delegate.find(plan);
        }

        @Override
        public RemoteJob create(final JobPlan plan, final Consumer<String> log) throws Exception {
            alive();
            RemoteJob job = delegate.create(plan, log);
            afterCreate.run();
            alive();
            return job;
        }

        @Override
        public CompletableFuture<R> follow(final JobPlan plan, final Consumer<String> log) throws Exception {
            alive();
            return delegate.follow(plan, log);
        }

        @Override
        public String stop(final JobPlan plan, final String remoteId, final String reason) throws Exception {
            alive();
            return delegate.stop(plan, remoteId, reason);
        }

        @Override
        public boolean isSuccess(final R result) {
            return delegate.isSuccess(result);
        }

        @Override
        public String summary(final R result) {
            return delegate.summary(result);
        }
    }
}
