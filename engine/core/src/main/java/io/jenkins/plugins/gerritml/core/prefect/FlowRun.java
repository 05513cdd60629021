package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowRunResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A flow run as Prefect reported it at one moment. */
public final class FlowRun {
    private final String id;
    private final String name;
    private final String deploymentId;
    private final FlowRunState state;
    private final Map<String, Object> parameters;
    private final List<String> tags;
    private final Map<String, Object> jobVariables;
    private final String idempotencyKey;
    @CheckForNull private final Instant created;
    @CheckForNull private final Instant startTime;
    @CheckForNull private final Instant endTime;
    private final Duration totalRunTime;

    private FlowRun(final FlowRunResponse dto) {
        this.id = requireField(dto.id, "id");
        this.name = dto.name == null ? "" : dto.name;
        this.deploymentId = dto.deploymentId == null ? "" : dto.deploymentId;
        String type = dto.stateType != null ? dto.stateType : dto.state != null ? dto.state.type : null;
        String stateName = dto.stateName != null ? dto.stateName : dto.state != null ? dto.state.name : null;
        this.state = FlowRunState.of(StateType.fromWire(type), stateName, dto.state == null ? null : dto.state.message);
        this.parameters = dto.parameters == null ? Map.of() : JsonValues.immutableCopy(dto.parameters);
        this.tags = dto.tags == null ? List.of() : List.copyOf(dto.tags);
        this.jobVariables = dto.jobVariables == null ? Map.of() : JsonValues.immutableCopy(dto.jobVariables);
        this.idempotencyKey = dto.idempotencyKey == null ? "" : dto.idempotencyKey;
        this.created = parseInstant(dto.created);
        this.startTime = parseInstant(dto.startTime);
        this.endTime = parseInstant(dto.endTime);
        this.totalRunTime = dto.totalRunTime == null ? Duration.ZERO
                : Duration.ofNanos((long) (dto.totalRunTime * 1_000_000_000L));
    }

    /** From Prefect's answer; fails if the answer lacks an id. */
    public static FlowRun valueOf(final FlowRunResponse dto) {
        return new FlowRun(dto);
    }

    private static String requireField(@CheckForNull final String value, final String field) {
        if (value == null) {
            throw new PrefectException(PrefectException.Reason.SERVER_ERROR, -1,
                    "Prefect answered a flow run without '" + field + "'");
        }
        return value;
    }

    @CheckForNull
    static Instant parseInstant(@CheckForNull final String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDeploymentId() {
        return deploymentId;
    }

    public FlowRunState getState() {
        return state;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    public List<String> getTags() {
        return tags;
    }

    /** The infrastructure overrides the run was created with (used by work-pool workers). */
    public Map<String, Object> getJobVariables() {
        return jobVariables;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    /** When Prefect created the run (server clock). */
    @CheckForNull
    public Instant getCreated() {
        return created;
    }

    @CheckForNull
    public Instant getStartTime() {
        return startTime;
    }

    @CheckForNull
    public Instant getEndTime() {
        return endTime;
    }

    /** Prefect's own measure of time spent running (excludes scheduling and pending). */
    public Duration getTotalRunTime() {
        return totalRunTime;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowRun)) {
            return false;
        }
        FlowRun other = (FlowRun) o;
        return id.equals(other.id) && name.equals(other.name) && deploymentId.equals(other.deploymentId)
                && state.equals(other.state) && parameters.equals(other.parameters) && tags.equals(other.tags)
                && jobVariables.equals(other.jobVariables) && idempotencyKey.equals(other.idempotencyKey) && Objects.equals(created, other.created)
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(endTime, other.endTime) && totalRunTime.equals(other.totalRunTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, deploymentId, state, parameters, tags, jobVariables, idempotencyKey, created, startTime, endTime,
                totalRunTime);
    }

    @Override
    public String toString() {
        return "flow run '" + name + "' (" + id + ") " + state;
    }
}
