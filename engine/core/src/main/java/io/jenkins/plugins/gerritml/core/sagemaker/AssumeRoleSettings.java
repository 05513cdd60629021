package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An IAM role assumed through STS AssumeRole, with the review's identity attached: {@code SourceIdentity} is the
 * approver's (or uploader's) Gerrit username and session tags name the change, so CloudTrail answers "who deployed
 * this?". Names are sanitized to STS's rules. The external id is a shared secret of sorts: not shown by toString.
 */
public final class AssumeRoleSettings {
    private final String roleArn;
    private final String sessionName;
    @CheckForNull
    private final String externalId;
    private final Duration duration;
    @CheckForNull
    private final String sourceIdentity;
    private final Map<String, String> sessionTags;

    private AssumeRoleSettings(final Builder b) {
        roleArn = Objects.requireNonNull(b.roleArn);
        sessionName = StsNames.sessionName(b.sessionName);
        externalId = b.externalId;
        duration = b.duration;
        sourceIdentity = b.sourceIdentity == null ? null : StsNames.sourceIdentity(b.sourceIdentity);
        Map<String, String> tags = new LinkedHashMap<>();
        b.sessionTags.forEach((k, v) -> tags.put(LineageTags.key(k), LineageTags.value(v)));
        sessionTags = Collections.unmodifiableMap(tags);
    }

    public static Builder builder(final String roleArn) {
        return new Builder(roleArn);
    }

    public String getRoleArn() {
        return roleArn;
    }

    public String getSessionName() {
        return sessionName;
    }

    @CheckForNull
    public String getExternalId() {
        return externalId;
    }

    public Duration getDuration() {
        return duration;
    }

    @CheckForNull
    public String getSourceIdentity() {
        return sourceIdentity;
    }

    public Map<String, String> getSessionTags() {
        return sessionTags;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AssumeRoleSettings)) {
            return false;
        }
        AssumeRoleSettings other = (AssumeRoleSettings) o;
        return roleArn.equals(other.roleArn) && sessionName.equals(other.sessionName)
                && Objects.equals(externalId, other.externalId) && duration.equals(other.duration)
                && Objects.equals(sourceIdentity, other.sourceIdentity) && sessionTags.equals(other.sessionTags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roleArn, sessionName, externalId, duration, sourceIdentity, sessionTags);
    }

    @Override
    public String toString() {
        return "assume " + roleArn + " as session " + sessionName
                + (sourceIdentity == null ? "" : " for " + sourceIdentity) + (externalId == null ? "" : " (external id set)");
    }

    /** Collects the settings; {@link #build()} validates them. */
    public static final class Builder {
        private final String roleArn;
        private String sessionName = "gerrit-ml";
        @CheckForNull
        private String externalId;
        private Duration duration = Duration.ofHours(1);
        @CheckForNull
        private String sourceIdentity;
        private final Map<String, String> sessionTags = new LinkedHashMap<>();

        private Builder(final String roleArn) {
            this.roleArn = roleArn;
        }

        public Builder withSessionName(final String name) {
            this.sessionName = Objects.requireNonNull(name, "sessionName");
            return this;
        }

        public Builder withExternalId(@CheckForNull final String id) {
            this.externalId = id == null || id.isBlank() ? null : id;
            return this;
        }

        /** 15 minutes to 12 hours (the role's maximum session duration applies too). */
        public Builder withDuration(final Duration sessionDuration) {
            this.duration = Objects.requireNonNull(sessionDuration, "duration");
            return this;
        }

        /** A Gerrit username; sanitized to STS's SourceIdentity rules. */
        public Builder withSourceIdentity(@CheckForNull final String username) {
            this.sourceIdentity = username == null || username.isBlank() ? null : username;
            return this;
        }

        public Builder withSessionTag(final String key, final String value) {
            sessionTags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** SourceIdentity from the responsible user and session tags for project and change. */
        public Builder forReview(final TrainingContext context) {
            context.getResponsibleUser().ifPresent(this::withSourceIdentity);
            LineageTags.sessionTags(context).forEach(this::withSessionTag);
            return this;
        }

        /** @throws InvalidSpecException naming the fields STS would reject */
        public AssumeRoleSettings build() {
            Problems problems = new Problems();
            problems.requireRoleArn(roleArn, "assumeRole.roleArn");
            problems.require(duration.compareTo(Duration.ofMinutes(15)) >= 0
                    && duration.compareTo(Duration.ofHours(12)) <= 0, "assumeRole.duration",
                    "must be 15 minutes to 12 hours, was " + duration);
            problems.require(externalId == null || externalId.length() >= 2 && externalId.length() <= 1224
                    && externalId.matches("[\\w+=,.@:/-]+"), "assumeRole.externalId",
                    "must be 2-1224 of letters, digits and _+=,.@:/- (value not shown)");
            problems.require(sessionTags.size() <= LineageTags.MAX_TAGS, "assumeRole.sessionTags",
                    "at most 50 session tags, got " + sessionTags.size());
            problems.throwIfAny("The STS AssumeRole settings");
            return new AssumeRoleSettings(this);
        }
    }
}
