package io.jenkins.plugins.gerritml.core.pipeline;

/**
 * Where one remote job is in its {@link RemoteJobLifecycle}, persisted with its {@link JobPlan} so that a restarted
 * host knows what is left to do. Each phase is saved before the remote call it leads to.
 */
public enum JobPhase {
    /** Identity and validated spec are known and saved; nothing was asked of the remote end yet. */
    PLANNED,
    /** The create call may be in flight: on resume, adopt the job created under the identity, or create it once. */
    CREATING,
    /** The job exists and is being followed. */
    WAITING,
    /** A stop was asked for: on resume, stop whatever exists under the identity, then end. */
    STOPPING,
    /** The lifecycle has completed (once). */
    DONE
}
