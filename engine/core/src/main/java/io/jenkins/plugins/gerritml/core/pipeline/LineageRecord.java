package io.jenkins.plugins.gerritml.core.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Who approved what and which model came out of it: the Gerrit change and patch set, the approvals that passed the
 * gate, the triggering event, the build, the backend job with its inputs and parameters, the outputs with their
 * hashes, metrics and times. A promotion record names the {@linkplain #getDigest() digest} of the record it promotes,
 * so records form a chain. Immutable; its {@linkplain #toCanonicalJson() canonical JSON} is what gets signed.
 */
public final class LineageRecord {
    /** The schema this class writes and reads; bumped on any incompatible change. */
    public static final String SCHEMA = "gerrit-ml/lineage/v1";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_./:-]+");

    /** What the record documents. */
    public enum Kind {
        /** A model trained (or a flow run) from an approved change. */
        TRAINING,
        /** A trained model moved on (deployed, released); points at the record it promotes. */
        PROMOTION;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String promotes;
    private final String server;
    private final String project;
    private final String branch;
    private final int change;
    private final String changeId;
    private final int patchSet;
    private final String revision;
    private final LineageAccount uploader;
    private final List<LineageApproval> approvals;
    private final String eventType;
    private final LineageAccount eventAccount;
    private final String eventSource;
    private final String buildUrl;
    private final String buildId;
    private final LineageJob job;
    private final List<LineageArtifact> outputs;
    private final Map<String, BigDecimal> metrics;
    private final Map<String, Instant> times;

    private LineageRecord(final Builder builder) {
        this.kind = builder.kind;
        this.promotes = builder.promotes;
        this.server = builder.server;
        this.project = builder.project;
        this.branch = builder.branch;
        this.change = builder.change;
        this.changeId = builder.changeId;
        this.patchSet = builder.patchSet;
        this.revision = builder.revision;
        this.uploader = builder.uploader;
        this.approvals = List.copyOf(builder.approvals);
        this.eventType = builder.eventType;
        this.eventAccount = builder.eventAccount;
        this.eventSource = builder.eventSource;
        this.buildUrl = builder.buildUrl;
        this.buildId = builder.buildId;
        this.job = builder.job;
        this.outputs = List.copyOf(builder.outputs);
        this.metrics = Collections.unmodifiableMap(new TreeMap<>(builder.metrics));
        this.times = Collections.unmodifiableMap(new TreeMap<>(builder.times));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.kind = kind;
        builder.promotes = promotes;
        builder.server = server;
        builder.project = project;
        builder.branch = branch;
        builder.change = change;
        builder.changeId = changeId;
        builder.patchSet = patchSet;
        builder.revision = revision;
        builder.uploader = uploader;
        builder.approvals.addAll(approvals);
        builder.eventType = eventType;
        builder.eventAccount = eventAccount;
        builder.eventSource = eventSource;
        builder.buildUrl = buildUrl;
        builder.buildId = buildId;
        builder.job = job;
        builder.outputs.addAll(outputs);
        builder.metrics.putAll(metrics);
        builder.times.putAll(times);
        return builder;
    }

    public Kind getKind() {
        return kind;
    }

    /** The digest of the record this one promotes, {@code sha256:<hex>}; empty for a training record. */
    public String getPromotes() {
        return promotes;
    }

    /** The Gerrit server's front-end URL. */
    public String getServer() {
        return server;
    }

    public String getProject() {
        return project;
    }

    public String getBranch() {
        return branch;
    }

    public int getChange() {
        return change;
    }

    public String getChangeId() {
        return changeId;
    }

    public int getPatchSet() {
        return patchSet;
    }

    public String getRevision() {
        return revision;
    }

    public LineageAccount getUploader() {
        return uploader;
    }

    /** The approvals that passed the gate. */
    public List<LineageApproval> getApprovals() {
        return approvals;
    }

    public String getEventType() {
        return eventType;
    }

    public LineageAccount getEventAccount() {
        return eventAccount;
    }

    /** Where the build learnt of the change: {@code gerrit-event} (trusted) or {@code build-parameters}. */
    public String getEventSource() {
        return eventSource;
    }

    public String getBuildUrl() {
        return buildUrl;
    }

    public String getBuildId() {
        return buildId;
    }

    public LineageJob getJob() {
        return job;
    }

    public List<LineageArtifact> getOutputs() {
        return outputs;
    }

    public Map<String, BigDecimal> getMetrics() {
        return metrics;
    }

    /** Named times, e.g. {@code started}, {@code finished}, {@code recorded}. */
    public Map<String, Instant> getTimes() {
        return times;
    }

    /** Gerrit's REST id, {@code project~change}. */
    public String getRestId() {
        return project + "~" + change;
    }

    /** The record as a JSON tree (maps, lists, strings, numbers), in the layout of {@link #SCHEMA}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", SCHEMA);
        json.put("kind", kind.json());
        json.put("promotes", promotes);
        Map<String, Object> gerrit = new LinkedHashMap<>();
        gerrit.put("server", server);
        gerrit.put("project", project);
        gerrit.put("branch", branch);
        gerrit.put("change", change);
        gerrit.put("changeId", changeId);
        gerrit.put("patchSet", patchSet);
        gerrit.put("revision", revision);
        gerrit.put("uploader", uploader.toJson());
        json.put("gerrit", gerrit);
        List<Object> votes = new ArrayList<>();
        approvals.forEach(a -> votes.add(a.toJson()));
        json.put("approvals", votes);
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", eventType);
        trigger.put("account", eventAccount.toJson());
        trigger.put("source", eventSource);
        json.put("trigger", trigger);
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("url", buildUrl);
        build.put("id", buildId);
        json.put("build", build);
        json.put("job", job.toJson());
        List<Object> artifacts = new ArrayList<>();
        outputs.forEach(o -> artifacts.add(o.toJson()));
        json.put("outputs", artifacts);
        json.put("metrics", new TreeMap<String, Object>(metrics));
        Map<String, Object> when = new TreeMap<>();
        times.forEach((name, instant) -> when.put(name, instant.toString()));
        json.put("times", when);
        return json;
    }

    /** The canonical JSON text: what is signed and digested. */
    public String toCanonicalJson() {
        return CanonicalJson.write(toJson());
    }

    /** {@code sha256:<hex>} of the canonical JSON's UTF-8 bytes: what a promotion and Gerrit messages cite. */
    public String getDigest() {
        return Digests.sha256(CanonicalJson.bytes(toJson()));
    }

    /**
     * Reads a record from a parsed JSON tree.
     *
     * @throws LineageFormatException naming the first field that is missing or of the wrong type
     */
    public static LineageRecord fromJson(final Object tree) {
        Map<?, ?> json = JsonFields.object(tree, "");
        String schema = JsonFields.string(json, "schema", "");
        if (!SCHEMA.equals(schema)) {
            throw new LineageFormatException("/schema", "must be " + SCHEMA + ", found '" + schema + "': this tool "
                    + "reads only that version");
        }
        Builder builder = builder();
        String kind = JsonFields.requiredString(json, "kind", "");
        try {
            builder.withKind(Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new LineageFormatException("/kind", "must be training or promotion, found '" + kind + "'");
        }
        builder.withPromotes(JsonFields.string(json, "promotes", ""));
        Map<?, ?> gerrit = JsonFields.object(json, "gerrit", "");
        builder.withServer(JsonFields.string(gerrit, "server", "/gerrit"))
                .withProject(JsonFields.string(gerrit, "project", "/gerrit"))
                .withBranch(JsonFields.string(gerrit, "branch", "/gerrit"))
                .withChange(JsonFields.integer(gerrit, "change", "/gerrit"))
                .withChangeId(JsonFields.string(gerrit, "changeId", "/gerrit"))
                .withPatchSet(JsonFields.integer(gerrit, "patchSet", "/gerrit"))
                .withRevision(JsonFields.string(gerrit, "revision", "/gerrit"))
                .withUploader(LineageAccount.fromJson(gerrit.get("uploader"), "/gerrit/uploader"));
        List<?> votes = JsonFields.list(json, "approvals", "");
        for (int i = 0; i < votes.size(); i++) {
            builder.withApproval(LineageApproval.fromJson(votes.get(i), "/approvals/" + i));
        }
        Map<?, ?> trigger = JsonFields.object(json, "trigger", "");
        builder.withEventType(JsonFields.string(trigger, "type", "/trigger"))
                .withEventSource(JsonFields.string(trigger, "source", "/trigger"));
        if (trigger.containsKey("account")) {
            builder.withEventAccount(LineageAccount.fromJson(trigger.get("account"), "/trigger/account"));
        }
        Map<?, ?> build = JsonFields.object(json, "build", "");
        builder.withBuild(JsonFields.string(build, "url", "/build"), JsonFields.string(build, "id", "/build"));
        builder.withJob(LineageJob.fromJson(JsonFields.object(json, "job", ""), "/job"));
        List<?> artifacts = JsonFields.list(json, "outputs", "");
        for (int i = 0; i < artifacts.size(); i++) {
            builder.withOutput(LineageArtifact.fromJson(artifacts.get(i), "/outputs/" + i));
        }
        for (Map.Entry<?, ?> metric : JsonFields.object(json, "metrics", "").entrySet()) {
            builder.withMetric((String) metric.getKey(), JsonFields.number(metric.getValue(), "/metrics/"
                    + metric.getKey()));
        }
        for (Map.Entry<?, ?> time : JsonFields.object(json, "times", "").entrySet()) {
            builder.withTime((String) time.getKey(), JsonFields.instant(time.getValue(), "/times/" + time.getKey()));
        }
        try {
            return builder.build();
        } catch (LineageFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new LineageFormatException("/", e.getMessage());
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageRecord)) {
            return false;
        }
        LineageRecord other = (LineageRecord) o;
        return kind == other.kind && promotes.equals(other.promotes) && server.equals(other.server)
                && project.equals(other.project) && branch.equals(other.branch) && change == other.change
                && changeId.equals(other.changeId) && patchSet == other.patchSet && revision.equals(other.revision)
                && uploader.equals(other.uploader) && approvals.equals(other.approvals)
                && eventType.equals(other.eventType) && eventAccount.equals(other.eventAccount)
                && eventSource.equals(other.eventSource) && buildUrl.equals(other.buildUrl)
                && buildId.equals(other.buildId) && job.equals(other.job) && outputs.equals(other.outputs)
                && metrics.equals(other.metrics) && times.equals(other.times);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, promotes, server, project, branch, change, changeId, patchSet, revision, uploader,
                approvals, eventType, eventAccount, eventSource, buildUrl, buildId, job, outputs, metrics, times);
    }

    @Override
    public String toString() {
        return kind.json() + " lineage of " + getRestId() + "/" + patchSet + " (" + job + ")";
    }

    /** Builds a {@link LineageRecord}; unset values are empty, 0 or unknown. */
    public static final class Builder {
        private Kind kind = Kind.TRAINING;
        private String promotes = "";
        private String server = "";
        private String project = "";
        private String branch = "";
        private int change;
        private String changeId = "";
        private int patchSet;
        private String revision = "";
        private LineageAccount uploader = LineageAccount.unknown();
        private final List<LineageApproval> approvals = new ArrayList<>();
        private String eventType = "";
        private LineageAccount eventAccount = LineageAccount.unknown();
        private String eventSource = "";
        private String buildUrl = "";
        private String buildId = "";
        private LineageJob job = LineageJob.none();
        private final List<LineageArtifact> outputs = new ArrayList<>();
        private final Map<String, BigDecimal> metrics = new TreeMap<>();
        private final Map<String, Instant> times = new TreeMap<>();

        private Builder() {
        }

        public Builder withKind(final Kind value) {
            this.kind = Objects.requireNonNull(value, "kind");
            return this;
        }

        /** Makes this a promotion of the record with {@code digest}. */
        public Builder promoting(final String digest) {
            return withKind(Kind.PROMOTION).withPromotes(digest);
        }

        public Builder withPromotes(final String digest) {
            this.promotes = digest == null ? "" : digest.trim();
            return this;
        }

        public Builder withServer(final String url) {
            this.server = text(url);
            return this;
        }

        public Builder withProject(final String name) {
            this.project = text(name);
            return this;
        }

        public Builder withBranch(final String name) {
            this.branch = text(name);
            return this;
        }

        public Builder withChange(final int number) {
            this.change = number;
            return this;
        }

        public Builder withChangeId(final String id) {
            this.changeId = text(id);
            return this;
        }

        public Builder withPatchSet(final int number) {
            this.patchSet = number;
            return this;
        }

        public Builder withRevision(final String sha1) {
            this.revision = text(sha1);
            return this;
        }

        public Builder withUploader(final LineageAccount account) {
            this.uploader = Objects.requireNonNull(account, "uploader");
            return this;
        }

        public Builder withApproval(final LineageApproval approval) {
            approvals.add(Objects.requireNonNull(approval, "approval"));
            return this;
        }

        public Builder withApprovals(final List<LineageApproval> values) {
            approvals.clear();
            approvals.addAll(values);
            return this;
        }

        public Builder withEventType(final String type) {
            this.eventType = text(type);
            return this;
        }

        public Builder withEventAccount(final LineageAccount account) {
            this.eventAccount = Objects.requireNonNull(account, "eventAccount");
            return this;
        }

        public Builder withEventSource(final String source) {
            this.eventSource = text(source);
            return this;
        }

        public Builder withBuild(final String url, final String id) {
            this.buildUrl = text(url);
            this.buildId = text(id);
            return this;
        }

        public Builder withJob(final LineageJob value) {
            this.job = Objects.requireNonNull(value, "job");
            return this;
        }

        public Builder withOutput(final LineageArtifact artifact) {
            outputs.add(Objects.requireNonNull(artifact, "artifact"));
            return this;
        }

        /** A metric, kept exactly as given (use {@link BigDecimal#valueOf(double)} for a double). */
        public Builder withMetric(final String name, final BigDecimal value) {
            if (name == null || !METRIC.matcher(name).matches()) {
                throw new IllegalArgumentException("metric name '" + name + "' must be letters, digits and _ . / : -"
                        + ", e.g. val_accuracy");
            }
            metrics.put(name, Objects.requireNonNull(value, "value of metric " + name));
            return this;
        }

        public Builder withTime(final String name, final Instant instant) {
            if (name == null || !METRIC.matcher(name).matches()) {
                throw new IllegalArgumentException("time name '" + name + "' must be letters, digits and _ . / : -"
                        + ", e.g. started");
            }
            times.put(name, Objects.requireNonNull(instant, "time " + name));
            return this;
        }

        /**
         * Builds the record.
         *
         * @throws IllegalArgumentException when the change is not identified or the promotion link is wrong
         */
        public LineageRecord build() {
            if (project.isEmpty() || change <= 0 || patchSet <= 0 || revision.isEmpty()) {
                throw new IllegalArgumentException("a lineage record must name the Gerrit project, change, patch set "
                        + "and revision it comes from (got " + (project.isEmpty() ? "?" : project) + "~" + change
                        + "/" + patchSet + " @" + (revision.isEmpty() ? "?" : revision) + ")");
            }
            if (kind == Kind.PROMOTION && !DIGEST.matcher(promotes).matches()) {
                throw new LineageFormatException("/promotes", "must be the sha256:<64 hex> digest of the promoted "
                        + "record for a promotion, found '" + promotes + "'");
            }
            if (kind == Kind.TRAINING && !promotes.isEmpty()) {
                throw new LineageFormatException("/promotes", "must be empty for a training record (only promotions "
                        + "point at another record)");
            }
            return new LineageRecord(this);
        }

        private static String text(final String value) {
            return value == null ? "" : value.trim();
        }
    }
}
