package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;

import java.util.Objects;
import java.util.Optional;

/**
 * A remote job (training job, flow run) started for one patch set, as a {@link SupersedeListener} knows it. Immutable.
 */
public final class RunningJob {
    private final String id;
    private final String description;
    private final GerritChange change;
    private final boolean cancelOnNewPatchSet;
    private final String remoteId;
    private final CheckBlock check;

    private RunningJob(final String id, final String description, final GerritChange change,
            final boolean cancelOnNewPatchSet, final String remoteId, final CheckBlock check) {
        this.id = id;
        this.description = description;
        this.change = change;
        this.cancelOnNewPatchSet = cancelOnNewPatchSet;
        this.remoteId = remoteId;
        this.check = check;
    }

    /**
     * A job to stop when its patch set is superseded or its change abandoned (when {@code cancelOnNewPatchSet}), or
     * when someone allowed to asks from the review.
     *
     * @param id the remote id, e.g. the training job name or the flow run id
     * @param description how reviewers should read it, e.g. {@code training job churn-42-b7}
     * @param change the build's context: the patch set the job works on, with its revision
     * @param cancelOnNewPatchSet false for jobs that must finish whatever happens to the review
     */
    public static RunningJob of(final String id, final String description, final GerritChange change,
            final boolean cancelOnNewPatchSet) {
        if (!change.hasPatchSet()) {
            throw new IllegalArgumentException("job " + id + " names no patch set of " + change.getRestId()
                    + ", so no new patch set can supersede it");
        }
        return new RunningJob(Objects.requireNonNull(id, "id"), Objects.requireNonNull(description, "description"),
                change, cancelOnNewPatchSet, "", null);
    }

    /**
     * The job of a lifecycle's {@code plan}, as a host registers it: known by the plan's identity, and once the remote
     * end named it (the plan has a remote id) by that id too, with the Checks tab's run {@code shown} (null when the
     * job's start was not announced).
     */
    public static RunningJob following(final JobPlan plan, final String description, final GerritChange change,
            final CheckBlock shown) {
        RunningJob job = of(plan.getIdentity(), description, change, true);
        return plan.getRemoteId() == null ? job : job.withRemote(plan.getRemoteId(), shown);
    }

    /**
     * This job once the remote end named it: {@code remoteId} (e.g. the flow run id, when {@link #getId()} is the
     * run's idempotency key) and the Checks tab's run, so a stop from the review finds it by the id the tab shows
     * and the stop's message completes that run.
     */
    public RunningJob withRemote(final String remote, final CheckBlock block) {
        return new RunningJob(id, description, change, cancelOnNewPatchSet, remote == null ? "" : remote, block);
    }

    /** Whether {@code jobId} (from a stop comment) names this job: its id or its remote id. */
    public boolean answersTo(final String jobId) {
        return id.equals(jobId) || !remoteId.isEmpty() && remoteId.equals(jobId);
    }

    /** The Checks tab's run of this job, as announced; empty when it was not announced. */
    public Optional<CheckBlock> getCheck() {
        return Optional.ofNullable(check);
    }

    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public GerritChange getChange() {
        return change;
    }

    public int getPatchSet() {
        return change.getPatchSetNumber();
    }

    public boolean isCancelOnNewPatchSet() {
        return cancelOnNewPatchSet;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RunningJob)) {
            return false;
        }
        RunningJob other = (RunningJob) o;
        return cancelOnNewPatchSet == other.cancelOnNewPatchSet && id.equals(other.id)
                && description.equals(other.description) && change.equals(other.change)
                && remoteId.equals(other.remoteId) && Objects.equals(check, other.check);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, description, change, cancelOnNewPatchSet, remoteId, check);
    }

    @Override
    public String toString() {
        return description + " for " + change.getRestId() + " patch set " + getPatchSet();
    }
}
