package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What one kind of remote job (a SageMaker training job, a Prefect flow run) does for a {@link RemoteJobLifecycle}.
 * Every method may block on the network: the lifecycle calls them on the host's bounded executor, never on the
 * scheduler. A backend is built from the {@link JobPlan} alone, so a restarted host can build it again.
 *
 * @param <R> the backend's result
 */
public interface RemoteJobBackend<R> {
    /**
     * Checks what can be checked before anything is created (the spec against the remote end's rules, a deployment
     * that must exist); throws with a message that says what to fix.
     */
    default void preflight(final JobPlan plan, final Consumer<String> log) throws Exception {
    }

    /** The job created under the plan's identity by an earlier attempt, if any. No side effects. */
    Optional<RemoteJob> find(JobPlan plan) throws Exception;

    /**
     * Creates the job under the plan's identity. If the identity is taken already (a race), adopts that job when it
     * was created from the same spec and fails otherwise: never a second job for one plan.
     */
    RemoteJob create(JobPlan plan, Consumer<String> log) throws Exception;

    /**
     * Follows the existing job until it ends or the plan's deadline passes. The future completes with the result,
     * or exceptionally when the job cannot be followed; the lifecycle may cancel it, and the backend then stops
     * following (the job itself goes on).
     */
    CompletableFuture<R> follow(JobPlan plan, Consumer<String> log) throws Exception;

    /** Asks the remote end to stop the job with this id; returns what it answered, for the log. */
    String stop(JobPlan plan, String remoteId, String reason) throws Exception;

    /** Whether the result counts as a success (a completed job; a failed one fails a propagating step). */
    boolean isSuccess(R result);

    /** One line about the result for the log and a failure's message. */
    String summary(R result);
}
