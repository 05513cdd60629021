package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to run: a deployment, its parameters (JSON-typed), tags, a run name, job variables, a work queue, the
 * idempotency key that lets a restarted caller re-attach, and how long to wait. Checked when built, before any
 * remote call; the messages name the field.
 */
public final class FlowRunRequest implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Prefect limits names and tags loosely; long values are unreadable in the UI, so cap them. */
    static final int MAX_TAG_LENGTH = 200;

    private final DeploymentRef deployment;
    private final Map<String, Object> parameters;
    private final List<String> tags;
    private final String name;
    private final Map<String, Object> jobVariables;
    private final String workQueue;
    private final String idempotencyKey;
    private final Duration timeout;

    private FlowRunRequest(final Builder builder) {
        if (builder.deployment == null) {
            throw new IllegalArgumentException("deployment: required, as 'flow-name/deployment-name' or an id");
        }
        this.deployment = builder.deployment;
        builder.parameters.forEach((key, value) -> {
            if (key.isBlank()) {
                throw new IllegalArgumentException("parameters: a parameter has a blank name");
            }
            JsonValues.requireJson("parameters." + key, value);
        });
        builder.jobVariables.forEach((key, value) -> JsonValues.requireJson("jobVariables." + key, value));
        for (String tag : builder.tags) {
            if (tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
                throw new IllegalArgumentException("tags: '" + tag + "' must be non-blank and at most "
                        + MAX_TAG_LENGTH + " characters");
            }
        }
        if (builder.timeout.isNegative() || builder.timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + builder.timeout);
        }
        this.parameters = JsonValues.immutableCopy(builder.parameters);
        this.tags = List.copyOf(builder.tags);
        this.name = builder.name.trim();
        this.jobVariables = JsonValues.immutableCopy(builder.jobVariables);
        this.workQueue = builder.workQueue.trim();
        this.idempotencyKey = builder.idempotencyKey.trim();
        this.timeout = builder.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to derive a changed copy (e.g. a template plus Gerrit tags). */
    public Builder toBuilder() {
        return builder().withDeployment(deployment).withParameters(parameters).withTags(tags).withName(name)
                .withJobVariables(jobVariables).withWorkQueue(workQueue).withIdempotencyKey(idempotencyKey)
                .withTimeout(timeout);
    }

    public DeploymentRef getDeployment() {
        return deployment;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    public List<String> getTags() {
        return tags;
    }

    /** Empty: Prefect picks a random name. */
    public String getName() {
        return name;
    }

    public Map<String, Object> getJobVariables() {
        return jobVariables;
    }

    /** Empty: the deployment's work queue. */
    public String getWorkQueue() {
        return workQueue;
    }

    /** Empty: no idempotency (every call creates a run). */
    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowRunRequest)) {
            return false;
        }
        FlowRunRequest other = (FlowRunRequest) o;
        return deployment.equals(other.deployment) && parameters.equals(other.parameters) && tags.equals(other.tags)
                && name.equals(other.name) && jobVariables.equals(other.jobVariables)
                && workQueue.equals(other.workQueue) && idempotencyKey.equals(other.idempotencyKey)
                && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deployment, parameters, tags, name, jobVariables, workQueue, idempotencyKey, timeout);
    }

    @Override
    public String toString() {
        return "FlowRunRequest[" + deployment + ", parameters " + parameters.keySet() + ", tags " + tags
                + (idempotencyKey.isEmpty() ? "" : ", key " + idempotencyKey) + "]";
    }

    /** Builds a {@link FlowRunRequest}; only the deployment is required. */
    public static final class Builder {
        @CheckForNull private DeploymentRef deployment;
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private final Set<String> tags = new LinkedHashSet<>();
        private String name = "";
        private final Map<String, Object> jobVariables = new LinkedHashMap<>();
        private String workQueue = "";
        private String idempotencyKey = "";
        private Duration timeout = Duration.ofHours(1);

        private Builder() {
        }

        public Builder withDeployment(final String flowSlashDeploymentOrId) {
            this.deployment = DeploymentRef.valueOf(flowSlashDeploymentOrId);
            return this;
        }

        public Builder withDeployment(final DeploymentRef ref) {
            this.deployment = Objects.requireNonNull(ref, "deployment");
            return this;
        }

        public Builder withParameter(final String key, @CheckForNull final Object value) {
            parameters.put(Objects.requireNonNull(key, "parameter name"), value);
            return this;
        }

        public Builder withParameters(final Map<String, ?> values) {
            values.forEach(this::withParameter);
            return this;
        }

        public Builder withTag(final String tag) {
            tags.add(Objects.requireNonNull(tag, "tag").trim());
            return this;
        }

        public Builder withTags(final Iterable<String> values) {
            values.forEach(this::withTag);
            return this;
        }

        /** Tags that trace the run back to the review: see {@link GerritTags}. */
        public Builder withGerritContext(final String project, final int change, final int patchSet,
                final List<String> approvers) {
            return withTags(GerritTags.of(project, change, patchSet, approvers));
        }

        public Builder withName(@CheckForNull final String runName) {
            this.name = runName == null ? "" : runName;
            return this;
        }

        public Builder withJobVariable(final String key, @CheckForNull final Object value) {
            jobVariables.put(Objects.requireNonNull(key, "job variable name"), value);
            return this;
        }

        public Builder withJobVariables(final Map<String, ?> values) {
            values.forEach(this::withJobVariable);
            return this;
        }

        public Builder withWorkQueue(@CheckForNull final String queue) {
            this.workQueue = queue == null ? "" : queue;
            return this;
        }

        public Builder withIdempotencyKey(@CheckForNull final String key) {
            this.idempotencyKey = key == null ? "" : key;
            return this;
        }

        public Builder withTimeout(final Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        public FlowRunRequest build() {
            return new FlowRunRequest(this);
        }
    }
}
