package io.jenkins.plugins.gerritml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.RunningJob;
import io.jenkins.plugins.gerritml.core.gerrit.SupersedeListener;
import io.jenkins.plugins.gerritml.core.pipeline.JobOutcome;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHost;
import io.jenkins.plugins.gerritml.core.pipeline.LostReviewPolicy;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.gerrit.ReviewFollowing;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step execution that is only Jenkins' side of a core {@link RemoteJobLifecycle}: the plan is kept in this
 * execution (saved with the program), the log is the build's, and the outcome goes to the {@link StepContext}.
 * {@link #start} computes and saves the plan, then everything else (credential lookups, clients, the remote calls)
 * happens on the controller's bounded executor: the CPS thread and {@code Timer} never wait on the network.
 *
 * @param <R> the backend's result
 */
public abstract class LifecycleExecution<R> extends AbstractStepExecutionImpl implements LifecycleHost<R> {
    private static final long serialVersionUID = 1L;
    /** {@code FAIL} (default) or {@code UNSTABLE}: what a review that could not be posted does to the build. */

    @CheckForNull
    private JobPlan plan;
    private transient volatile RemoteJobLifecycle<R> lifecycle;
    private transient volatile Throwable pendingStop;
    /** While the job runs: its registration with the review-following listener, and the description it has there. */
    private transient SupersedeListener.Registration following;
    private transient String followedAs;

    protected LifecycleExecution(final StepContext context) {
        super(context);
    }

    /** The step's name for messages, e.g. {@code sagemakerTrain}. */
    protected abstract String stepName();

    /** On the CPS thread: the validated spec and identity, no remote call and no credential lookup. */
    protected abstract JobPlan plan() throws Exception;

    /** Off the CPS thread: the backend with its clients, and the credential checks, for {@code plan}. */
    protected abstract RemoteJobLifecycle.Builder<R> lifecycle(RemoteJobRuntime runtime, JobPlan saved)
            throws Exception;

    /** The step's return value. */
    protected abstract Map<String, Object> resultMap(R result);

    /** A build saved by an older version of the step: its plan from the old fields, or null. */
    @CheckForNull
    protected JobPlan legacyPlan() {
        return null;
    }

    /** Frees what {@link #lifecycle} made (clients, shared-source leases) once the outcome is handed on. */
    protected void release() {
    }

    /**
     * The patch set this job works for when it should stop once that patch set is superseded or its change
     * abandoned; null when it does not follow the review ({@code cancelOnNewPatchSet: false}, or no Gerrit context).
     * Called off the CPS thread.
     */
    @CheckForNull
    protected GerritChange followedChange() {
        return null;
    }

    /** How reviewers read the job in the neutral message, e.g. {@code flow run calm-fox}. */
    protected String followedDescription(final JobPlan current) {
        return current.getKind() + " " + (current.getRemoteId() == null ? current.getIdentity()
                : current.getRemoteId());
    }

    /** The Gerrit HTTP credentials the step posts with (blank: the default). */
    protected String reviewCredentialsId() {
        return "";
    }

    /**
     * What the review says, silently, once the job exists: the backend's started review with its RUNNING check (e.g.
     * {@code FlowRunBackend.startedReview}); null when the step posts no review.
     */
    @CheckForNull
    protected Review startedReview(final JobPlan current, final boolean stoppable) {
        return null;
    }

    /** Records the result on the build page and in lineage before the step returns; failures are only logged. */
    protected void recordResult(final R result) throws Exception {
    }

    /** The global configuration's choice (Manage Jenkins → System, or JCasC {@code lostReview}). */
    protected static LostReviewPolicy lostReviewPolicy() {
        return GerritMlConfiguration.get().lostReviewPolicy();
    }

    @Override
    public final boolean start() throws Exception {
        java.util.Optional<Run<?, ?>> earlier = ReplayedQueueItem.earlierRunOf(getContext().get(Run.class));
        if (earlier.isPresent()) {
            ReplayedQueueItem replay = ReplayedQueueItem.of(stepName(), earlier.get());
            log(replay.getShortDescription());
            getContext().onFailure(new FlowInterruptedException(Result.NOT_BUILT, true, replay));
            return true;
        }
        JobPlan planned;
        try {
            planned = plan();
        } catch (IllegalArgumentException e) {
            throw new AbortException(stepName() + ": " + e.getMessage());
        }
        save(planned);
        arm(planned);
        return false;
    }

    @Override
    public final void onResume() {
        JobPlan saved = plan != null ? plan : legacyPlan();
        if (saved == null) {
            getContext().onFailure(new AbortException(stepName() + ": Jenkins restarted before the job was planned;"
                    + " nothing was created. Run the build again."));
            return;
        }
        plan = saved;
        arm(saved);
    }

    private void arm(final JobPlan saved) {
        RemoteJobRuntime runtime = Watchers.runtime();
        try {
            runtime.executor().execute(() -> {
                try {
                    RemoteJobLifecycle<R> built = lifecycle(runtime, saved).withLostReview(lostReviewPolicy())
                            .build();
                    Throwable stop;
                    synchronized (this) {
                        lifecycle = built;
                        stop = pendingStop;
                    }
                    if (stop != null && saved.getPhase() == JobPhase.PLANNED) {
                        release();
                        getContext().onFailure(stop); // aborted before anything was asked of the remote end
                        return;
                    }
                    built.resume(saved);
                    if (stop != null) {
                        built.stop(reason(stop), stop);
                    } else {
                        follow(built);
                    }
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) { // NOPMD: the step must end, whatever broke
                    release();
                    getContext().onFailure(new AbortException(stepName() + ": " + Interruptions.describe(e)));
                }
            });
        } catch (RuntimeException e) {
            getContext().onFailure(new AbortException(stepName() + ": cannot run: " + Interruptions.describe(e)));
        }
    }

    /**
     * Registers (or registers again, with a better description once the remote id is known) the running job with
     * the review-following listener. Never under the lifecycle's lock: a late registration stops the job at once.
     */
    private void follow(final RemoteJobLifecycle<R> built) {
        try {
            if (built.isCompleted()) {
                return;
            }
            JobPlan current = built.plan();
            if (current.getPhase() == JobPhase.DONE || current.isStopRequested()) {
                return;
            }
            GerritChange change = followedChange();
            if (change == null || !change.hasPatchSet()) {
                return;
            }
            String description = followedDescription(current);
            boolean first;
            synchronized (this) {
                if (description.equals(followedAs)) {
                    return;
                }
                first = followedAs == null;
                followedAs = description;
            }
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            String credentialsId = reviewCredentialsId();
            Review started = startedReview(current, true);
            RunningJob job = RunningJob.following(current, description, change, started == null ? null
                    : io.jenkins.plugins.gerritml.gerrit.GerritReviews.withBuildLink(run, started).getShownCheck()
                    .orElse(null));
            ReviewFollowing reviewFollowing = ReviewFollowing.get();
            SupersedeListener.Registration registration = reviewFollowing.listener().register(job,
                    (stopped, why) -> supersede(built, stopped, why), (patchSet, review) -> {
                        io.jenkins.plugins.gerritml.gerrit.GerritReviews.postNeutral(run, patchSet, review,
                                credentialsId, listener);
                        return null;
                    }, ReviewFollowing.stopAuthority(run, change, credentialsId, listener));
            synchronized (this) {
                following = registration;
            }
            if (first && registration.getStop().isEmpty()) {
                reviewFollowing.catchUp(run, job, credentialsId, listener); // what no event told Jenkins
            }
            if (built.isCompleted()) {
                unfollow();
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // NOPMD: following the review is a service on top; the job goes on
            log("This job will not stop when its patch set is superseded: " + Interruptions.describe(e));
        }
    }

    /** The stop a superseding patch set (or an abandon) asks for: the same path as an abort. */
    private String supersede(final RemoteJobLifecycle<R> built, final RunningJob job, final String why)
            throws InterruptedException {
        return built.stopForReview(job.getDescription(), why, sentence -> new FlowInterruptedException(
                Result.NOT_BUILT, true, new Superseded(sentence)), RemoteJobLifecycle.REVIEW_STOP_PATIENCE);
    }

    private void unfollow() {
        SupersedeListener.Registration registration;
        synchronized (this) {
            registration = following;
            following = null;
        }
        if (registration != null) {
            registration.close();
        }
    }

    @Override
    public final void stop(final Throwable cause) {
        RemoteJobLifecycle<R> current;
        synchronized (this) {
            current = lifecycle;
            if (current == null) {
                pendingStop = cause;
            }
        }
        if (current != null) {
            current.stop(reason(cause), cause);
        }
    }

    /** Why the remote job is stopped, as its own log will say it: the build and who aborted it. */
    private String reason(final Throwable cause) {
        try {
            return "Jenkins build " + getContext().get(Run.class).getFullDisplayName() + " stopped: "
                    + Interruptions.describe(cause);
        } catch (Exception e) { // NOPMD: the cause alone still says why
            return Interruptions.describe(cause);
        }
    }

    @Override
    public String getStatus() {
        RemoteJobLifecycle<R> current = lifecycle;
        return current != null ? current.status() : plan == null ? "planning" : plan.describe();
    }

    /** The plan as last saved (for subclasses' status and results). */
    @CheckForNull
    protected final JobPlan savedPlan() {
        return plan;
    }

    @Override
    public final void save(final JobPlan next) {
        plan = next;
        getContext().saveState();
        RemoteJobLifecycle<R> current = lifecycle;
        if (current != null && next.getPhase() == JobPhase.WAITING) {
            try { // the description now names the remote job; registered off the lifecycle's lock
                Watchers.runtime().executor().execute(() -> follow(current));
            } catch (RuntimeException e) { // NOPMD: the registration made at start still stands
                log("Could not update this job's registration for superseding patch sets: "
                        + Interruptions.describe(e));
            }
        }
    }

    @Override
    public final void announce(final JobPlan current) throws Exception {
        Review started = startedReview(current, followedChange() != null);
        if (started == null) {
            return;
        }
        ReviewDelivery delivery = io.jenkins.plugins.gerritml.gerrit.GerritReviews.deliver(
                getContext().get(Run.class), getContext().get(EnvVars.class), getContext().get(TaskListener.class),
                started, reviewCredentialsId());
        if (delivery.isLost()) {
            log("Could not tell the review that " + current.getKind() + " " + current.getRemoteId() + " started: "
                    + delivery.getMessage());
        }
    }

    @Override
    public final void log(final String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println("[gerrit-ml] " + line);
        } catch (Exception e) { // NOPMD: the build is going away; the line is lost with it
            // nothing to do
        }
    }

    @Override
    public final void completed(final JobOutcome<R> outcome) {
        try {
            R result = outcome.getResult();
            if (result != null) {
                try {
                    recordResult(result);
                } catch (Exception e) {
                    log("Could not record the result on the build: " + Interruptions.describe(e));
                }
            }
            if (outcome.getStatus() == JobOutcome.Status.FAILURE) {
                Throwable failure = outcome.getFailure();
                getContext().onFailure(failure instanceof FlowInterruptedException || failure instanceof AbortException
                        ? failure : new AbortException(stepName() + ": " + outcome.getMessage()));
                return;
            }
            if (outcome.getStatus() == JobOutcome.Status.UNSTABLE) {
                log(outcome.getMessage() + " The build is marked unstable, as the global configuration says for a "
                        + "review that cannot be posted.");
                getContext().get(Run.class).setResult(Result.UNSTABLE);
            }
            Map<String, Object> map = new LinkedHashMap<>(result == null ? Map.of() : resultMap(result));
            map.putAll(outcome.reviewFields());
            getContext().onSuccess(map);
        } catch (Exception e) {
            getContext().onFailure(e);
        } finally {
            unfollow();
            release();
        }
    }
}
