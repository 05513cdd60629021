package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One remote job from plan to outcome, with no Jenkins in it: {@link JobPhase#PLANNED} (identity and validated spec
 * saved by the host) → {@link JobPhase#CREATING} → {@link JobPhase#WAITING} → {@link JobPhase#STOPPING} →
 * {@link JobPhase#DONE}.
 *
 * <ul>
 *   <li><b>Plan before create.</b> Each phase is handed to {@link LifecycleHost#save} before the remote call it leads
 *       to, and {@link #resume} goes on from any saved plan: it adopts the job created under the plan's identity or
 *       creates it once, follows it, or finishes stopping it.</li>
 *   <li><b>Stop at any point.</b> Before the create call nothing is created; during it, what was created is stopped
 *       as soon as the call returns; while waiting, the job is stopped; a second stop does nothing.</li>
 *   <li><b>Exactly one completion.</b> The job's result, the lifecycle's own timeout and a stop race through one
 *       compare-and-set; any {@link Throwable} from the work below completes with a failure (only a
 *       {@link VirtualMachineError} is rethrown), so a step never hangs.</li>
 *   <li><b>Blocking work off the scheduler.</b> Every remote call (create, find, stop, the review with its retries)
 *       runs on the host's bounded executor; the scheduler only fires the timeout.</li>
 *   <li><b>Checks first.</b> Credentials ({@link CredentialCheck}), checks of the run ({@link RunCheck}: the
 *       repository policy) and the backend's preflight run before any create call.</li>
 *   <li><b>Reviews never lost silently.</b> A review the host could not post makes the outcome fail or unstable, as
 *       the {@link LostReviewPolicy} says, and the outcome says why.</li>
 * </ul>
 *
 * @param <R> the backend's result
 */
public final class RemoteJobLifecycle<R> {
    /** How long a stop because the review moved on waits for the remote end's answer before the message goes out. */
    public static final Duration REVIEW_STOP_PATIENCE = Duration.ofSeconds(60);
    /** After the plan's deadline, how long the backend has to report its own timeout before the lifecycle acts. */
    public static final Duration DEFAULT_TIMEOUT_GRACE = Duration.ofMinutes(1);
    /** How long a create whose answer was lost is looked for under its identity before the lifecycle gives up. */
    public static final Duration DEFAULT_SETTLE_WINDOW = Duration.ofMinutes(5);
    private static final Backoff SETTLE_BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(15));

    private final RemoteJobBackend<R> backend;
    private final LifecycleHost<R> host;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final List<CredentialCheck> credentials;
    private final List<RunCheck> runChecks;
    private final boolean propagate;
    private final LostReviewPolicy lostReview;
    private final Duration timeoutGrace;
    private final Duration settleWindow;
    private final Clock clock;

    /** Who decides the outcome: the first of result, timeout, stop or failure to set it. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Whether the host got the outcome: set once, whatever went wrong on the way. */
    private final AtomicBoolean delivered = new AtomicBoolean();
    /** What a stop came to, in a few words: the remote end's answer, or why there was nothing to stop. */
    private final CompletableFuture<String> stopAnswer = new CompletableFuture<>();

    // Guarded by this. Every change of the plan is saved while holding the lock, so saves happen in order.
    @CheckForNull
    private JobPlan plan;
    private boolean creating;
    @CheckForNull
    private Throwable stopCause;
    @CheckForNull
    private CompletableFuture<R> following;
    @CheckForNull
    private ScheduledFuture<?> timeoutTick;

    private RemoteJobLifecycle(final Builder<R> b) {
        backend = b.backend;
        host = b.host;
        executor = b.executor;
        scheduler = b.scheduler;
        credentials = List.copyOf(b.credentials);
        runChecks = List.copyOf(b.runChecks);
        propagate = b.propagate;
        lostReview = b.lostReview;
        timeoutGrace = b.timeoutGrace;
        settleWindow = b.settleWindow;
        clock = b.clock;
    }

    /**
     * @param backend   the kind of job, built from the plan
     * @param host      where plans, log lines and the outcome go
     * @param executor  a bounded pool for remote calls (Jenkins: not {@code Timer}); its threads may block
     * @param scheduler ticks only (Jenkins: {@code jenkins.util.Timer.get()})
     */
    public static <R> Builder<R> builder(final RemoteJobBackend<R> backend, final LifecycleHost<R> host,
            final Executor executor, final ScheduledExecutorService scheduler) {
        return new Builder<>(backend, host, executor, scheduler);
    }

    /**
     * Saves the {@link JobPhase#PLANNED} plan through the host, on the calling thread, then checks and creates on
     * the executor. Returns at once.
     *
     * @throws Exception the host could not save the plan: nothing was created
     */
    public void start(final JobPlan planned) throws Exception {
        Objects.requireNonNull(planned, "plan");
        if (planned.getPhase() != JobPhase.PLANNED) {
            throw new IllegalArgumentException("start needs a planned job, got " + planned + "; use resume");
        }
        synchronized (this) {
            if (plan != null) {
                throw new IllegalStateException("this lifecycle runs " + plan + " already");
            }
            plan = planned;
            host.save(planned);
        }
        submit(this::launch);
    }

    /** Goes on from a plan the host saved before a restart: one remote job at most, whatever the phase. */
    public void resume(final JobPlan saved) {
        Objects.requireNonNull(saved, "plan");
        synchronized (this) {
            if (plan != null) {
                throw new IllegalStateException("this lifecycle runs " + plan + " already");
            }
            // The log up to the restart was shown then; a follow goes on from now.
            plan = saved.getRemoteId() == null ? saved
                    : saved.withFact(JobPlan.LOGS_FROM, clock.instant().toString());
        }
        switch (saved.getPhase()) {
            case PLANNED:
            case CREATING:
                submit(this::launch); // find first: adopts what the create call before the restart made
                break;
            case WAITING:
                host.log("After a restart: following " + saved.getKind() + " " + saved.getRemoteId() + " again until "
                        + saved.getDeadline() + " (log lines written meanwhile stay in the remote system)");
                submit(this::follow);
                break;
            case STOPPING:
                if (claimed.compareAndSet(false, true)) {
                    synchronized (this) {
                        stopCause = new JobStoppedException(String.valueOf(saved.getStopReason()));
                    }
                    submit(this::stopRemote);
                }
                break;
            default: // DONE: completed before the restart
                if (saved.getRemoteId() == null || saved.isStopRequested()) {
                    claimed.set(true);
                    finish(failureOutcome(JobOutcome.Ending.FAILED, new IllegalStateException(saved.getKind() + " "
                            + saved.getIdentity() + " had already ended before the restart"
                            + (saved.isStopRequested() ? " (stopped: " + saved.getStopReason() + ")" : ""))));
                } else {
                    submit(this::follow); // the result once more; a review already posted is not posted again
                }
        }
    }

    /**
     * Stops the job wherever it is and completes with {@code cause} once the remote end was asked. A stop after the
     * outcome was decided, or a second stop, does nothing.
     */
    public void stop(final String reason, final Throwable cause) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        StopAction action;
        JobPlan current;
        synchronized (this) {
            if (plan == null) {
                if (claimed.compareAndSet(false, true)) {
                    delivered.set(true);
                    stopAnswer.complete("nothing was planned, so nothing was created");
                    deliver(new JobOutcome<>(JobOutcome.Status.FAILURE, JobOutcome.Ending.STOPPED, null, cause,
                            "Stopped before anything was planned: " + reason, ReviewDelivery.notRequested(),
                            JobPlan.of("job", "none", "none", Duration.ofSeconds(1)).withPhase(JobPhase.DONE)));
                }
                return;
            }
            if (plan.isStopRequested()) {
                return; // stopped twice: the first stop answers
            }
            if (!claimed.compareAndSet(false, true)) {
                stopAnswer.complete("it had already ended; nothing was stopped"); // result, timeout or failure first
                return;
            }
            stopCause = cause;
            cancelWaiting();
            if (creating) {
                action = StopAction.AFTER_CREATE; // launch stops what it made as soon as the call returns
            } else if (plan.getPhase() == JobPhase.PLANNED) {
                action = StopAction.NOTHING_CREATED; // launch sees the claim under this lock: no create call
            } else {
                action = StopAction.STOP_REMOTE;
            }
            current = changePlan(plan.withStopReason(reason).withPhase(action == StopAction.NOTHING_CREATED
                    ? JobPhase.DONE : JobPhase.STOPPING), false);
        }
        switch (action) {
            case NOTHING_CREATED:
                stopAnswer.complete("it was stopped before it was created");
                host.log("Stopped before " + current.getKind() + " " + current.getIdentity() + " was created ("
                        + reason + "): nothing was created.");
                finish(failureOutcome(JobOutcome.Ending.STOPPED, cause));
                break;
            case AFTER_CREATE:
                host.log("Stopping: " + current.getKind() + " " + current.getIdentity() + " is being created; it "
                        + "is stopped as soon as the create call returns.");
                break;
            default:
                submit(this::stopRemote);
        }
    }

    private enum StopAction { NOTHING_CREATED, AFTER_CREATE, STOP_REMOTE }

    /**
     * Stops the job because the review moved past its patch set (a new patch set, an abandon): says so in the log,
     * stops it as an abort would, and waits up to {@code patience} for the remote end's answer, which the neutral
     * message on the change quotes.
     *
     * @param description how reviewers read the job, e.g. {@code flow run calm-fox}
     * @param why         what happened, e.g. {@code superseded by patch set 3}
     * @param cause       the host's cause for the step's end, given the sentence that says it
     * @return the remote end's answer, or that none came in time
     * @throws IllegalStateException the stop call failed: the job may still be running
     */
    public String stopForReview(final String description, final String why,
            final java.util.function.Function<String, Throwable> cause, final Duration patience)
            throws InterruptedException {
        String because = why.isEmpty() ? why : why.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + why.substring(1);
        host.log(because + ": stopping " + description);
        stop(why, cause.apply(because + ": " + description + " stopped"));
        try {
            return stopAnswer().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "stop asked; no answer within " + patience.toSeconds() + " s";
        } catch (ExecutionException e) {
            throw new IllegalStateException(describe(unwrap(e)), e);
        }
    }

    /** The plan as it stands (what the host has saved). */
    public synchronized JobPlan plan() {
        if (plan == null) {
            throw new IllegalStateException("the lifecycle was neither started nor resumed");
        }
        return plan;
    }

    /**
     * What the last {@link #stop} came to, in a few words (the remote end's answer to the stop call, e.g. "Asked
     * Prefect to cancel flow run ...: accepted", or why nothing was stopped). Completes once the remote end was asked,
     * before the outcome is delivered; exceptionally, with what went wrong, when the stop call failed (the job may
     * still be running); never completes if no stop was asked for.
     */
    public CompletableFuture<String> stopAnswer() {
        return stopAnswer.copy();
    }

    /** Whether the host got its outcome. */
    public boolean isCompleted() {
        return delivered.get();
    }

    /** For a build's status line. */
    public synchronized String status() {
        return plan == null ? "planning" : plan.describe();
    }

    // ---- the work, on the executor

    private void launch() throws Exception {
        JobPlan current;
        synchronized (this) {
            if (claimed.get()) {
                return; // stopped (or failed) before the create call: nothing is created
            }
            current = plan;
        }
        CredentialCheck.requireAll(credentials);
        for (RunCheck check : runChecks) {
            Optional<String> refusal = check.refusal();
            if (refusal.isPresent()) {
                throw new PreflightException("Nothing was created: " + refusal.get());
            }
        }
        backend.preflight(current, host::log);
        synchronized (this) {
            if (claimed.get()) {
                return;
            }
            creating = true;
            current = changePlan(plan.withPhase(JobPhase.CREATING), true);
        }
        Optional<RemoteJob> found = backend.find(current);
        if (found.isPresent()) {
            host.log(current.getKind() + " " + current.getIdentity() + " exists already (created before a restart "
                    + "or by a racing attempt): following it instead of creating a second one");
            exists(found.get());
            return;
        }
        RemoteJob job;
        try {
            job = backend.create(current, host::log);
        } catch (Exception | LinkageError e) {
            settle(e, 0, clock.instant());
            return;
        }
        exists(job);
    }

    /** The job exists (created or adopted): follow it, or stop it at once when a stop came meanwhile. */
    private void exists(final RemoteJob job) throws Exception {
        boolean stopNow;
        synchronized (this) {
            creating = false;
            stopNow = plan.isStopRequested();
            changePlan(plan.withRemote(job).withPhase(stopNow ? JobPhase.STOPPING : JobPhase.WAITING), !stopNow);
        }
        if (stopNow) {
            stopRemote();
        } else {
            try { // on its own task: a slow or unreachable Gerrit must not delay following the job
                executor.execute(() -> announce(plan()));
            } catch (RejectedExecutionException e) {
                host.log("Could not tell the review that " + job.getId() + " started: " + describe(e));
            }
            follow();
        }
    }

    private void announce(final JobPlan current) {
        try {
            host.announce(current);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // NOPMD: the job runs whether or not the review heard of it; its result is reported
            host.log("Could not tell the review that " + current.getKind() + " " + current.getRemoteId()
                    + " started: " + describe(e));
        }
    }

    /**
     * A create call failed, and its answer may have been lost after the remote end made the job (a timeout, a
     * stalled server): look under the plan's identity until the remote end answers. A job found there is followed
     * (or stopped, when a stop came meanwhile); a definite "none" fails with the create's error; no answer within
     * the settle window fails naming the identity the job may exist under. A restart meanwhile resumes from the
     * saved {@link JobPhase#CREATING} plan, which looks under the identity first. Between looks nothing waits on a thread: the scheduler re-arms the look.
     */
    private void settle(final Throwable createFailure, final int attempt, final Instant since) throws Exception {
        if (delivered.get()) {
            return;
        }
        JobPlan current = plan();
        Optional<RemoteJob> found;
        Exception lookup = null;
        try {
            found = backend.find(current);
        } catch (Exception e) {
            found = Optional.empty();
            lookup = e;
        }
        if (found.isPresent()) {
            host.log("Creating " + current.getKind() + " " + current.getIdentity() + " reported "
                    + describe(createFailure) + ", but the job exists: following it");
            exists(found.get());
            return;
        }
        boolean answered = lookup == null;
        boolean windowOver = Duration.between(since, clock.instant()).compareTo(settleWindow) >= 0;
        if (!answered && !windowOver) {
            Duration delay = SETTLE_BACKOFF.delay(attempt);
            if (attempt == 0) {
                host.log("Creating " + current.getKind() + " " + current.getIdentity() + " reported "
                        + describe(createFailure) + "; whether it was created cannot be read yet (" + describe(lookup)
                        + "): looking again for up to " + settleWindow.toSeconds() + " s");
            }
            scheduler.schedule(() -> submit(() -> settle(createFailure, attempt + 1, since)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        String failure = answered ? describe(createFailure) : "creating it failed (" + describe(createFailure)
                + ") and whether it exists could not be read within " + settleWindow.toSeconds() + " s ("
                + describe(lookup) + "); it may exist under " + current.getIdentity() + ": look for it there, and "
                + "stop it if it runs";
        boolean stopped;
        synchronized (this) {
            creating = false;
            stopped = plan.isStopRequested();
            if (!stopped) {
                claimed.set(true); // under the lock a stop reads it with: either the stop or this failure decides
            }
        }
        if (stopped) {
            host.log("Creating " + current.getKind() + " " + current.getIdentity() + " failed while it was being "
                    + "stopped: " + failure);
            stopAnswer.complete(answered ? "creating it failed: " + failure : failure);
            finish(failureOutcome(JobOutcome.Ending.STOPPED, stopCauseOr(asFailure(createFailure, failure))));
        } else if (answered) {
            finish(failureOutcome(JobOutcome.Ending.FAILED, createFailure));
        } else {
            host.log(current.getKind() + " " + current.getIdentity() + ": " + failure);
            finish(failureOutcome(JobOutcome.Ending.FAILED, asFailure(createFailure, failure)));
        }
    }

    private static Throwable asFailure(final Throwable createFailure, final String message) {
        return message.equals(describe(createFailure)) ? createFailure
                : new IllegalStateException(message, createFailure);
    }

    private void follow() throws Exception {
        JobPlan current;
        synchronized (this) {
            if (claimed.get()) {
                return;
            }
            current = plan;
        }
        CompletableFuture<R> result = backend.follow(current, host::log);
        synchronized (this) {
            if (claimed.get()) {
                result.cancel(false);
                return;
            }
            following = result;
            Instant deadline = current.toWatchedJob().getDeadline();
            long delay = Math.max(0, Duration.between(clock.instant(), deadline.plus(timeoutGrace)).toMillis());
            timeoutTick = scheduler.schedule(() -> submit(this::timeOut), delay, TimeUnit.MILLISECONDS);
        }
        result.whenComplete((value, failure) -> submit(() -> onResult(value, failure)));
    }

    private void onResult(@CheckForNull final R value, @CheckForNull final Throwable failure) throws Exception {
        if (failure instanceof CancellationException || !claimed.compareAndSet(false, true)) {
            return; // cancelled by a stop or the timeout, which complete themselves
        }
        synchronized (this) {
            cancelWaiting();
        }
        if (failure != null || value == null) {
            Throwable cause = failure == null ? new IllegalStateException("no result") : unwrap(failure);
            host.log(plan().getKind() + " " + plan().getRemoteId() + ": " + describe(cause));
            finish(failureOutcome(JobOutcome.Ending.FAILED, cause));
            return;
        }
        ReviewDelivery review;
        if (plan().isReviewPosted()) {
            review = ReviewDelivery.posted("posted before the restart");
        } else {
            try {
                review = host.review(value);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // NOPMD: any failure to post is a lost review, reported below
                review = ReviewDelivery.lost(describe(e));
            }
            if (review.getStatus() == ReviewDelivery.Status.POSTED) {
                synchronized (this) {
                    changePlan(plan.withReviewPosted(), false);
                }
            }
        }
        boolean success = backend.isSuccess(value);
        String summary = backend.summary(value);
        JobOutcome.Status status;
        String message = summary;
        Throwable cause = null;
        if (review.isLost()) {
            message = summary + " The review could not be posted: " + review.getMessage();
            host.log("The review could not be posted: " + review.getMessage());
        }
        status = !success && propagate ? JobOutcome.Status.FAILURE : lostReview.statusFor(review);
        if (status == JobOutcome.Status.FAILURE) {
            cause = new JobFailedException(message);
        }
        finish(new JobOutcome<>(status, JobOutcome.Ending.FINISHED, value, cause, message, review, plan()));
    }

    private void timeOut() throws Exception {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        JobPlan current;
        synchronized (this) {
            cancelWaiting();
            current = changePlan(plan.withStopReason("timed out").withPhase(JobPhase.STOPPING), false);
        }
        String answer = stopQuietly(current, current.getRemoteId(), "timed out at " + current.getDeadline());
        JobTimeoutException cause = new JobTimeoutException(current.getKind() + " " + current.getRemoteId()
                + " did not finish by its deadline " + current.getDeadline() + ": " + answer);
        host.log(cause.getMessage());
        finish(failureOutcome(JobOutcome.Ending.TIMED_OUT, cause));
    }

    /** The outcome was claimed by a stop: ask the remote end, then complete with the stop's cause. */
    private void stopRemote() throws Exception {
        JobPlan current = plan();
        String id = current.getRemoteId();
        if (id == null) {
            Optional<RemoteJob> found = backend.find(current); // created before a restart, id not saved
            if (found.isPresent()) {
                synchronized (this) {
                    current = changePlan(plan.withRemote(found.get()), false);
                }
                id = found.get().getId();
            }
        }
        String reason = String.valueOf(current.getStopReason());
        if (id == null) {
            host.log("Stopped: " + current.getKind() + " " + current.getIdentity() + " was never created ("
                    + reason + ").");
            stopAnswer.complete("it was never created");
        } else {
            String answer;
            Throwable failure = null;
            try {
                answer = backend.stop(current, id, reason);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // NOPMD: the step still ends; the answer says the job may still run
                answer = "stopping it failed (" + describe(e) + "); it may still be running";
                failure = e;
            }
            host.log("Stopping " + current.getKind() + " " + id + " (" + reason + "). " + answer);
            if (failure != null) {
                stopAnswer.completeExceptionally(new IllegalStateException(describe(failure), failure));
            } else {
                stopAnswer.complete(answer);
            }
        }
        finish(failureOutcome(JobOutcome.Ending.STOPPED, stopCauseOr(new JobStoppedException(reason))));
    }

    private String stopQuietly(final JobPlan current, @CheckForNull final String id, final String reason) {
        if (id == null) {
            return "nothing to stop";
        }
        try {
            return backend.stop(current, id, reason);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // NOPMD: the step still ends; the message says the job may still run
            return "stopping it failed (" + describe(e) + "); it may still be running";
        }
    }

    // ---- completion

    private JobOutcome<R> failureOutcome(final JobOutcome.Ending ending, final Throwable cause) {
        return new JobOutcome<>(JobOutcome.Status.FAILURE, ending, null, cause, describe(cause),
                ReviewDelivery.notRequested(), plan());
    }

    private void finish(final JobOutcome<R> outcome) {
        if (!delivered.compareAndSet(false, true)) {
            return;
        }
        JobOutcome<R> done;
        synchronized (this) {
            cancelWaiting();
            JobPlan last = plan == null ? outcome.getPlan() : plan;
            try {
                changePlan(last.withPhase(JobPhase.DONE), false);
            } catch (RuntimeException e) {
                host.log("Could not save the plan as done: " + describe(e));
            }
            done = new JobOutcome<>(outcome.getStatus(), outcome.getEnding(), outcome.getResult(),
                    outcome.getFailure(), outcome.getMessage(), outcome.getReview(), plan);
        }
        deliver(done);
    }

    private void deliver(final JobOutcome<R> outcome) {
        try {
            host.completed(outcome);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // NOPMD: nothing more can be done for this job
            java.util.logging.Logger.getLogger(RemoteJobLifecycle.class.getName()).log(java.util.logging.Level.WARNING,
                    "The host failed to take the outcome of " + outcome.getPlan(), e);
        }
    }

    /** Guarded by this. */
    private void cancelWaiting() {
        if (timeoutTick != null) {
            timeoutTick.cancel(false);
            timeoutTick = null;
        }
        if (following != null) {
            following.cancel(false);
            following = null;
        }
    }

    /**
     * Guarded by this: the plan changes and is saved. With {@code mustSave} a failed save is thrown (the remote call
     * it guards must not happen); otherwise it is logged and the lifecycle goes on.
     */
    private JobPlan changePlan(final JobPlan next, final boolean mustSave) {
        plan = next;
        try {
            host.save(next);
        } catch (RuntimeException e) {
            if (mustSave) {
                throw e;
            }
            host.log("Could not save the state of " + next.getKind() + " " + next.getIdentity() + ": " + describe(e));
        } catch (Exception e) {
            if (mustSave) {
                throw new IllegalStateException("could not save the plan of " + next.getKind() + " "
                        + next.getIdentity() + " (nothing further was asked of the remote end): " + describe(e), e);
            }
            host.log("Could not save the state of " + next.getKind() + " " + next.getIdentity() + ": " + describe(e));
        }
        return next;
    }

    private synchronized Throwable stopCauseOr(final Throwable fallback) {
        return stopCause != null ? stopCause : fallback;
    }

    /** Runs {@code task} on the executor; any Throwable (but a VirtualMachineError) completes with a failure. */
    private void submit(final Task task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // NOPMD: the step must end, whatever broke
                claimed.set(true);
                finish(failureOutcome(JobOutcome.Ending.FAILED, e));
            }
        };
        try {
            executor.execute(guarded);
        } catch (RejectedExecutionException e) {
            claimed.set(true);
            finish(failureOutcome(JobOutcome.Ending.FAILED, new IllegalStateException("the executor for remote "
                    + "calls refused work (shutting down?): " + describe(e), e)));
        }
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    static Throwable unwrap(final Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String describe(final Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Collects the settings; the defaults: propagate failures, a lost review fails the step. */
    public static final class Builder<R> {
        private final RemoteJobBackend<R> backend;
        private final LifecycleHost<R> host;
        private final Executor executor;
        private final ScheduledExecutorService scheduler;
        private final List<CredentialCheck> credentials = new ArrayList<>();
        private final List<RunCheck> runChecks = new ArrayList<>();
        private boolean propagate = true;
        private LostReviewPolicy lostReview = LostReviewPolicy.FAIL;
        private Duration timeoutGrace = DEFAULT_TIMEOUT_GRACE;
        private Duration settleWindow = DEFAULT_SETTLE_WINDOW;
        private Clock clock = Clock.systemUTC();

        private Builder(final RemoteJobBackend<R> backend, final LifecycleHost<R> host, final Executor executor,
                final ScheduledExecutorService scheduler) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.host = Objects.requireNonNull(host, "host");
            this.executor = Objects.requireNonNull(executor, "executor");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Credentials to check before anything is created. */
        public Builder<R> withCredentialChecks(final List<CredentialCheck> checks) {
            credentials.addAll(checks);
            return this;
        }

        /** Checks of the run (repository policy, ...) to make after the credentials, before anything is created. */
        public Builder<R> withRunChecks(final List<RunCheck> checks) {
            runChecks.addAll(checks);
            return this;
        }

        /** Whether a job that ends unsuccessfully fails the step (default) or returns its result. */
        public Builder<R> withPropagate(final boolean failStep) {
            this.propagate = failStep;
            return this;
        }

        public Builder<R> withLostReview(final LostReviewPolicy policy) {
            this.lostReview = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How long after the deadline the lifecycle stops the job itself if the backend has not reported. */
        public Builder<R> withTimeoutGrace(final Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("timeoutGrace: must not be negative, was " + grace);
            }
            this.timeoutGrace = grace;
            return this;
        }

        /** How long a create whose answer was lost is looked for under the plan's identity. */
        public Builder<R> withSettleWindow(final Duration window) {
            if (window.isNegative()) {
                throw new IllegalArgumentException("settleWindow: must not be negative, was " + window);
            }
            this.settleWindow = window;
            return this;
        }

        public Builder<R> withClock(final Clock time) {
            this.clock = Objects.requireNonNull(time, "clock");
            return this;
        }

        public RemoteJobLifecycle<R> build() {
            return new RemoteJobLifecycle<>(this);
        }
    }
}
