package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** How a followed flow run ended: the final state, how long it took, where to see it, what it produced. */
public final class FlowRunResult {
    /** What the caller should make of it. */
    public enum Outcome {
        /** COMPLETED. */
        SUCCEEDED,
        /** FAILED or CRASHED. */
        FAILED,
        /** CANCELLED (by us or someone else). */
        CANCELLED,
        /** The deadline passed first; we asked Prefect to cancel. */
        TIMED_OUT
    }

    private final String flowRunId;
    private final String flowRunName;
    private final Outcome outcome;
    private final FlowRunState state;
    private final Duration duration;
    private final String uiUrl;
    private final List<FlowRunArtifact> artifacts;
    private final String message;
    @CheckForNull
    private final Instant startedAt;
    @CheckForNull
    private final Instant endedAt;

    private FlowRunResult(final String flowRunId, final String flowRunName, final Outcome outcome,
            final FlowRunState state, final Duration duration, final String uiUrl, final List<FlowRunArtifact> artifacts,
            final String message, @CheckForNull final Instant startedAt, @CheckForNull final Instant endedAt) {
        this.flowRunId = flowRunId;
        this.flowRunName = flowRunName;
        this.outcome = outcome;
        this.state = state;
        this.duration = duration;
        this.uiUrl = uiUrl;
        this.artifacts = List.copyOf(artifacts);
        this.message = message;
        this.startedAt = startedAt;
        this.endedAt = endedAt;
    }

    /** A run that reached a terminal state. */
    public static FlowRunResult finished(final FlowRun run, final Duration duration, final String uiUrl,
            final List<FlowRunArtifact> artifacts) {
        FlowRunState state = run.getState();
        Outcome outcome = state.getType() == StateType.COMPLETED ? Outcome.SUCCEEDED
                : state.getType() == StateType.CANCELLED ? Outcome.CANCELLED : Outcome.FAILED;
        return new FlowRunResult(run.getId(), run.getName(), outcome, state, duration, uiUrl, artifacts,
                state.getMessage(), run.getStartTime(), run.getEndTime());
    }

    /**
     * A run still going when the deadline passed: {@code before} is its state then, {@code cancel} what Prefect
     * answered to our cancel, {@code after} the state it is left in, and {@code notPickedUp} why it never started
     * (empty if it did).
     */
    public static FlowRunResult timedOut(final String flowRunId, final String flowRunName, final FlowRunState before,
            final FlowRunState after, final Duration elapsed, final String uiUrl, final String cancel,
            final String notPickedUp) {
        String why = notPickedUp.isEmpty() ? "" : " (" + notPickedUp + ")";
        return new FlowRunResult(flowRunId, flowRunName, Outcome.TIMED_OUT, after, elapsed, uiUrl, List.of(),
                "timed out after " + formatDuration(elapsed) + " while " + before.getName() + why + "; " + cancel
                        + "; the run is now " + after.getName(), null, null);
    }

    public String getFlowRunId() {
        return flowRunId;
    }

    public String getFlowRunName() {
        return flowRunName;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public boolean isSuccess() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** The final state (type, name such as "Completed" or "Crashed", message). */
    public FlowRunState getState() {
        return state;
    }

    /** From creation (or re-attach) to the end as seen by the caller. */
    public Duration getDuration() {
        return duration;
    }

    /** The flow run's page in Prefect's UI. */
    public String getUiUrl() {
        return uiUrl;
    }

    public List<FlowRunArtifact> getArtifacts() {
        return artifacts;
    }

    /** When Prefect says the run started; empty for a run that never started or timed out. */
    public java.util.Optional<Instant> getStartedAt() {
        return java.util.Optional.ofNullable(startedAt);
    }

    /** When Prefect says the run ended; empty for a run that timed out. */
    public java.util.Optional<Instant> getEndedAt() {
        return java.util.Optional.ofNullable(endedAt);
    }

    /** Prefect's state message or why we stopped waiting; may be empty. */
    public String getMessage() {
        return message;
    }

    /** One line for logs and the Gerrit message, e.g. {@code Prefect flow run 'x' Completed in 12 s}. */
    public String summary() {
        String name = "Prefect flow run '" + flowRunName + "' ";
        if (outcome == Outcome.TIMED_OUT) {
            return name + message;
        }
        return name + state.getName() + " after " + formatDuration(duration) + (message.isEmpty() ? "" : ": " + message);
    }

    static String formatDuration(final Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return duration.toMillis() < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s",
                    duration.toMillis() / 1000.0) : seconds + " s";
        }
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowRunResult)) {
            return false;
        }
        FlowRunResult other = (FlowRunResult) o;
        return flowRunId.equals(other.flowRunId) && flowRunName.equals(other.flowRunName) && outcome == other.outcome
                && state.equals(other.state) && duration.equals(other.duration) && uiUrl.equals(other.uiUrl)
                && artifacts.equals(other.artifacts) && message.equals(other.message)
                && Objects.equals(startedAt, other.startedAt) && Objects.equals(endedAt, other.endedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowRunId, flowRunName, outcome, state, duration, uiUrl, artifacts, message, startedAt,
                endedAt);
    }

    @Override
    public String toString() {
        return summary() + " <" + uiUrl + ">";
    }
}
