package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a host must persist to resume one remote job after a restart, and nothing secret: the backend's kind,
 * the identity the job is created under (a SageMaker job name, a Prefect idempotency key), the validated spec, the
 * {@link JobPhase}, and once the job exists its remote id and absolute deadline. Immutable; each transition makes a
 * new plan, which the {@link RemoteJobLifecycle} hands to {@link LifecycleHost#save} before the remote call it leads
 * to.
 */
public final class JobPlan implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * The fact saying from when a resumed follow streams the job's log (ISO-8601): lines written before a restart
     * were shown then, and lines written while the host was down stay in the remote system.
     */
    public static final String LOGS_FROM = "logsFrom";

    private final String kind;
    private final String identity;
    private final Serializable spec;
    private final Duration timeout;
    private final JobPhase phase;
    @CheckForNull
    private final String remoteId;
    @CheckForNull
    private final Instant startedAt;
    @CheckForNull
    private final Instant deadline;
    @CheckForNull
    private final String stopReason;
    private final boolean reviewPosted;
    private final LinkedHashMap<String, String> facts;
    /** Whether the remote job was found under the identity rather than created by this plan's create call. */
    private final boolean adopted;

    private JobPlan(final String kind, final String identity, final Serializable spec, final Duration timeout,
            final JobPhase phase, @CheckForNull final String remoteId, @CheckForNull final Instant startedAt,
            @CheckForNull final Instant deadline, @CheckForNull final String stopReason, final boolean reviewPosted,
            final Map<String, String> facts, final boolean adopted) {
        this.kind = kind;
        this.identity = identity;
        this.spec = spec;
        this.timeout = timeout;
        this.phase = phase;
        this.remoteId = remoteId;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.stopReason = stopReason;
        this.reviewPosted = reviewPosted;
        this.facts = new LinkedHashMap<>(facts);
        this.adopted = adopted;
    }

    /**
     * A new plan in phase {@link JobPhase#PLANNED}.
     *
     * @param kind     what the job is, for messages (e.g. {@code SageMaker training job})
     * @param identity the deterministic name or key the job is created under; the same plan always creates at most
     *                 one remote job
     * @param spec     the validated spec, serialisable so that a restarted host can still create the job
     * @param timeout  how long to wait once the job exists
     */
    public static JobPlan of(final String kind, final String identity, final Serializable spec,
            final Duration timeout) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(timeout, "timeout");
        if (identity.isBlank()) {
            throw new IllegalArgumentException("a job plan needs a non-blank identity");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
        }
        return new JobPlan(kind, identity, spec, timeout, JobPhase.PLANNED, null, null, null, null, false, Map.of(),
                false);
    }

    public String getKind() {
        return kind;
    }

    public String getIdentity() {
        return identity;
    }

    public Serializable getSpec() {
        return spec;
    }

    /** The spec as the type its backend planned it with. */
    public <T extends Serializable> T getSpec(final Class<T> type) {
        if (!type.isInstance(spec)) {
            throw new IllegalStateException("the plan of " + kind + " " + identity + " holds a "
                    + spec.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(spec);
    }

    public Duration getTimeout() {
        return timeout;
    }

    public JobPhase getPhase() {
        return phase;
    }

    /** The remote job's id once it exists (training job name, flow run id), else null. */
    @CheckForNull
    public String getRemoteId() {
        return remoteId;
    }

    @CheckForNull
    public Instant getStartedAt() {
        return startedAt;
    }

    @CheckForNull
    public Instant getDeadline() {
        return deadline;
    }

    /** Why a stop was asked for, or null. */
    @CheckForNull
    public String getStopReason() {
        return stopReason;
    }

    public boolean isStopRequested() {
        return stopReason != null;
    }

    /** Whether the review of the result was posted (a resumed host does not post it twice). */
    public boolean isReviewPosted() {
        return reviewPosted;
    }

    /** What the backend learnt when it created or found the job (its URL, name, ARN), for the result and resume. */
    public Map<String, String> getFacts() {
        return Collections.unmodifiableMap(facts);
    }

    /**
     * Whether the remote job was found under the plan's identity (made before a restart, or by a racing or lost
     * create call) rather than created by this plan's own call: reviewers are told a run was re-attached, not
     * started.
     */
    public boolean isAdopted() {
        return adopted;
    }

    /** The followed job (id and absolute times), once it exists. */
    public WatchedJob toWatchedJob() {
        if (remoteId == null || startedAt == null || deadline == null) {
            throw new IllegalStateException(kind + " " + identity + " was not created yet (phase " + phase + ")");
        }
        return WatchedJob.of(remoteId, startedAt, deadline);
    }

    public JobPlan withPhase(final JobPhase next) {
        return new JobPlan(kind, identity, spec, timeout, Objects.requireNonNull(next, "phase"), remoteId, startedAt,
                deadline, stopReason, reviewPosted, facts, adopted);
    }

    /** The job exists: its id and start (the deadline is the start plus the timeout) and what the backend learnt. */
    public JobPlan withRemote(final RemoteJob job) {
        Map<String, String> merged = new LinkedHashMap<>(facts);
        merged.putAll(job.getFacts());
        return new JobPlan(kind, identity, spec, timeout, phase, job.getId(), job.getStartedAt(),
                job.getStartedAt().plus(timeout), stopReason, reviewPosted, merged, job.isAdopted());
    }

    /** One more fact (see {@link #getFacts()}), e.g. {@link #LOGS_FROM}. */
    public JobPlan withFact(final String key, final String value) {
        Map<String, String> merged = new LinkedHashMap<>(facts);
        merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new JobPlan(kind, identity, spec, timeout, phase, remoteId, startedAt, deadline, stopReason,
                reviewPosted, merged, adopted);
    }

    public JobPlan withStopReason(final String reason) {
        return new JobPlan(kind, identity, spec, timeout, phase, remoteId, startedAt, deadline,
                Objects.requireNonNull(reason, "reason"), reviewPosted, facts, adopted);
    }

    public JobPlan withReviewPosted() {
        return new JobPlan(kind, identity, spec, timeout, phase, remoteId, startedAt, deadline, stopReason, true,
                facts, adopted);
    }

    /**
     * A short line for a build's status, e.g. {@code waiting for Prefect flow run 3b35… (gerrit-ml:42/3:ml#7:5), until
     * 2026-12-01T10:00:00Z: http://…}.
     */
    public String describe() {
        String which = kind + " " + (remoteId == null || remoteId.equals(identity) ? identity : remoteId + " ("
                + identity + ")");
        String url = facts.containsKey("url") ? ": " + facts.get("url") : "";
        switch (phase) {
            case PLANNED:
                return "about to create " + which;
            case CREATING:
                return "creating " + which;
            case WAITING:
                return "waiting for " + which + ", until " + deadline + url;
            case STOPPING:
                return "stopping " + which + (stopReason == null ? "" : " (" + stopReason + ")") + url;
            default:
                return "done with " + which + url;
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof JobPlan)) {
            return false;
        }
        JobPlan other = (JobPlan) o;
        return reviewPosted == other.reviewPosted && adopted == other.adopted && kind.equals(other.kind) && identity.equals(other.identity)
                && spec.equals(other.spec) && timeout.equals(other.timeout) && phase == other.phase
                && Objects.equals(remoteId, other.remoteId) && Objects.equals(startedAt, other.startedAt)
                && Objects.equals(deadline, other.deadline) && Objects.equals(stopReason, other.stopReason)
                && facts.equals(other.facts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, identity, spec, timeout, phase, remoteId, startedAt, deadline, stopReason,
                reviewPosted, facts, adopted);
    }

    @Override
    public String toString() {
        return "JobPlan[" + describe() + "]";
    }
}
