package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Gerrit change a build belongs to, as the build learnt it: from Gerrit's event stream (trusted) or from
 * {@code GERRIT_*} build parameters (unverified; see {@link #getSource()}). Immutable; built with {@link #builder()}
 * or by {@link GerritChangeFactory}. Decisions that matter (approval, promotion) re-read the live change from Gerrit
 * and compare it with this context instead of believing it.
 */
public final class GerritChange {
    private final ContextSource source;
    private final String serverName;
    private final String host;
    private final int port;
    private final String scheme;
    private final String project;
    private final String branch;
    private final String topic;
    private final String changeId;
    private final int changeNumber;
    private final String subject;
    private final String commitMessage;
    private final String changeUrl;
    private final int patchSetNumber;
    private final String revision;
    private final String refspec;
    private final GerritAccount owner;
    private final GerritAccount uploader;
    private final GerritAccount eventAccount;
    private final String eventType;
    private final String commentText;
    private final List<EventApproval> approvals;
    private final List<String> hashtags;

    private GerritChange(final Builder builder) {
        this.source = builder.source;
        this.serverName = builder.serverName;
        this.host = builder.host;
        this.port = builder.port;
        this.scheme = builder.scheme;
        this.project = builder.project;
        this.branch = builder.branch;
        this.topic = builder.topic;
        this.changeId = builder.changeId;
        this.changeNumber = builder.changeNumber;
        this.subject = builder.subject;
        this.commitMessage = builder.commitMessage;
        this.changeUrl = builder.changeUrl;
        this.patchSetNumber = builder.patchSetNumber;
        this.revision = builder.revision;
        this.refspec = builder.refspec;
        this.owner = builder.owner;
        this.uploader = builder.uploader;
        this.eventAccount = builder.eventAccount;
        this.eventType = builder.eventType;
        this.commentText = builder.commentText;
        this.approvals = List.copyOf(builder.approvals);
        this.hashtags = List.copyOf(builder.hashtags);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this change's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.source = source;
        builder.serverName = serverName;
        builder.host = host;
        builder.port = port;
        builder.scheme = scheme;
        builder.project = project;
        builder.branch = branch;
        builder.topic = topic;
        builder.changeId = changeId;
        builder.changeNumber = changeNumber;
        builder.subject = subject;
        builder.commitMessage = commitMessage;
        builder.changeUrl = changeUrl;
        builder.patchSetNumber = patchSetNumber;
        builder.revision = revision;
        builder.refspec = refspec;
        builder.owner = owner;
        builder.uploader = uploader;
        builder.eventAccount = eventAccount;
        builder.eventType = eventType;
        builder.commentText = commentText;
        builder.approvals.addAll(approvals);
        builder.hashtags.addAll(hashtags);
        return builder;
    }

    /** Returns where this context came from. */
    public ContextSource getSource() {
        return source;
    }

    /** Returns the Gerrit Trigger server name (GERRIT_NAME). */
    public String getServerName() {
        return serverName;
    }

    /** Returns the Gerrit host. */
    public String getHost() {
        return host;
    }

    /** Returns the Gerrit event port (SSH), 0 when unknown. */
    public int getPort() {
        return port;
    }

    /** Returns the event scheme, e.g. ssh. */
    public String getScheme() {
        return scheme;
    }

    /** Returns the project. */
    public String getProject() {
        return project;
    }

    /** Returns the target branch. */
    public String getBranch() {
        return branch;
    }

    /** Returns the topic, empty when none. */
    public String getTopic() {
        return topic;
    }

    /** Returns the I... Change-Id. */
    public String getChangeId() {
        return changeId;
    }

    /** Returns the change number. */
    public int getChangeNumber() {
        return changeNumber;
    }

    /** Returns the commit subject. */
    public String getSubject() {
        return subject;
    }

    /** Returns the full commit message. */
    public String getCommitMessage() {
        return commitMessage;
    }

    /** Returns the change's web URL. */
    public String getChangeUrl() {
        return changeUrl;
    }

    /** Returns the patch set being built. */
    public int getPatchSetNumber() {
        return patchSetNumber;
    }

    /** Returns the patch set's commit SHA-1. */
    public String getRevision() {
        return revision;
    }

    /** Returns the patch set ref, refs/changes/NN/N/P. */
    public String getRefspec() {
        return refspec;
    }

    /** Returns the change owner. */
    public GerritAccount getOwner() {
        return owner;
    }

    /** Returns the patch set uploader. */
    public GerritAccount getUploader() {
        return uploader;
    }

    /** Returns who caused the event (commenter, submitter). */
    public GerritAccount getEventAccount() {
        return eventAccount;
    }

    /** Returns the event type, e.g. patchset-created. */
    public String getEventType() {
        return eventType;
    }

    /** Returns the comment of a comment-added event. */
    public String getCommentText() {
        return commentText;
    }

    /** Returns the approvals the event carried. */
    public List<EventApproval> getApprovals() {
        return approvals;
    }

    /** Returns the change's hashtags. */
    public List<String> getHashtags() {
        return hashtags;
    }

    /** Whether Gerrit itself supplied this context (an event), rather than build parameters. */
    public boolean isVerified() {
        return source.isVerified();
    }

    /** Gerrit's REST id for the change, {@code project~number}. */
    public String getRestId() {
        return project + "~" + changeNumber;
    }

    /** Whether a patch set is known (not a ref-updated or change-level event). */
    public boolean hasPatchSet() {
        return patchSetNumber > 0 && !revision.isEmpty();
    }

    /**
     * The context as plain values (strings, numbers, lists, maps) for a Pipeline script or a JSON report; accounts as
     * maps with name, email, username.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("verified", isVerified());
        map.put("source", source.name());
        map.put("serverName", serverName);
        map.put("host", host);
        map.put("port", port);
        map.put("scheme", scheme);
        map.put("project", project);
        map.put("branch", branch);
        map.put("topic", topic);
        map.put("changeId", changeId);
        map.put("changeNumber", changeNumber);
        map.put("subject", subject);
        map.put("commitMessage", commitMessage);
        map.put("changeUrl", changeUrl);
        map.put("patchSetNumber", patchSetNumber);
        map.put("revision", revision);
        map.put("refspec", refspec);
        map.put("owner", accountMap(owner));
        map.put("uploader", accountMap(uploader));
        map.put("eventAccount", accountMap(eventAccount));
        map.put("eventType", eventType);
        map.put("commentText", commentText);
        java.util.Map<String, Integer> votes = new java.util.LinkedHashMap<>();
        approvals.forEach(a -> votes.put(a.getLabel(), a.getValue()));
        map.put("approvals", votes);
        map.put("hashtags", new ArrayList<>(hashtags));
        return map;
    }

    private static java.util.Map<String, Object> accountMap(final GerritAccount account) {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("name", account.getName());
        map.put("email", account.getEmail());
        map.put("username", account.getUsername());
        return map;
    }

    /** The same context with every field but the source equal: used to compare event and parameter contexts. */
    public boolean describesSameChangeAs(final GerritChange other) {
        return toBuilder().withSource(other.source).build().equals(other);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GerritChange)) {
            return false;
        }
        GerritChange other = (GerritChange) o;
        return source.equals(other.source)
                && serverName.equals(other.serverName)
                && host.equals(other.host)
                && port == other.port
                && scheme.equals(other.scheme)
                && project.equals(other.project)
                && branch.equals(other.branch)
                && topic.equals(other.topic)
                && changeId.equals(other.changeId)
                && changeNumber == other.changeNumber
                && subject.equals(other.subject)
                && commitMessage.equals(other.commitMessage)
                && changeUrl.equals(other.changeUrl)
                && patchSetNumber == other.patchSetNumber
                && revision.equals(other.revision)
                && refspec.equals(other.refspec)
                && owner.equals(other.owner)
                && uploader.equals(other.uploader)
                && eventAccount.equals(other.eventAccount)
                && eventType.equals(other.eventType)
                && commentText.equals(other.commentText)
                && approvals.equals(other.approvals)
                && hashtags.equals(other.hashtags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, serverName, host, port, scheme, project, branch, topic, changeId, changeNumber, subject, commitMessage, changeUrl, patchSetNumber, revision, refspec, owner, uploader, eventAccount, eventType, commentText, approvals, hashtags);
    }

    @Override
    public String toString() {
        return project + "~" + changeNumber + "/" + patchSetNumber + (revision.isEmpty() ? "" : " @" + revision)
                + " (" + (source.isVerified() ? "from Gerrit event" : "from build parameters, unverified") + ")";
    }

    /** Builds a {@link GerritChange}; unset values are empty (strings), 0 (numbers) or unknown (accounts). */
    public static final class Builder {
        private ContextSource source = ContextSource.BUILD_PARAMETERS;
        private String serverName = "";
        private String host = "";
        private int port = 0;
        private String scheme = "";
        private String project = "";
        private String branch = "";
        private String topic = "";
        private String changeId = "";
        private int changeNumber = 0;
        private String subject = "";
        private String commitMessage = "";
        private String changeUrl = "";
        private int patchSetNumber = 0;
        private String revision = "";
        private String refspec = "";
        private GerritAccount owner = GerritAccount.unknown();
        private GerritAccount uploader = GerritAccount.unknown();
        private GerritAccount eventAccount = GerritAccount.unknown();
        private String eventType = "";
        private String commentText = "";
        private final List<EventApproval> approvals = new ArrayList<>();
        private final List<String> hashtags = new ArrayList<>();

        private Builder() {
        }

        public Builder withSource(final ContextSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Builder withServerName(final String serverName) {
            this.serverName = serverName == null ? "" : serverName;
            return this;
        }

        public Builder withHost(final String host) {
            this.host = host == null ? "" : host;
            return this;
        }

        public Builder withPort(final int port) {
            this.port = port;
            return this;
        }

        public Builder withScheme(final String scheme) {
            this.scheme = scheme == null ? "" : scheme;
            return this;
        }

        public Builder withProject(final String project) {
            this.project = project == null ? "" : project;
            return this;
        }

        public Builder withBranch(final String branch) {
            this.branch = branch == null ? "" : branch;
            return this;
        }

        public Builder withTopic(final String topic) {
            this.topic = topic == null ? "" : topic;
            return this;
        }

        public Builder withChangeId(final String changeId) {
            this.changeId = changeId == null ? "" : changeId;
            return this;
        }

        public Builder withChangeNumber(final int changeNumber) {
            this.changeNumber = changeNumber;
            return this;
        }

        public Builder withSubject(final String subject) {
            this.subject = subject == null ? "" : subject;
            return this;
        }

        public Builder withCommitMessage(final String commitMessage) {
            this.commitMessage = commitMessage == null ? "" : commitMessage;
            return this;
        }

        public Builder withChangeUrl(final String changeUrl) {
            this.changeUrl = changeUrl == null ? "" : changeUrl;
            return this;
        }

        public Builder withPatchSetNumber(final int patchSetNumber) {
            this.patchSetNumber = patchSetNumber;
            return this;
        }

        public Builder withRevision(final String revision) {
            this.revision = revision == null ? "" : revision;
            return this;
        }

        public Builder withRefspec(final String refspec) {
            this.refspec = refspec == null ? "" : refspec;
            return this;
        }

        public Builder withOwner(final GerritAccount owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder withUploader(final GerritAccount uploader) {
            this.uploader = Objects.requireNonNull(uploader, "uploader");
            return this;
        }

        public Builder withEventAccount(final GerritAccount eventAccount) {
            this.eventAccount = Objects.requireNonNull(eventAccount, "eventAccount");
            return this;
        }

        public Builder withEventType(final String eventType) {
            this.eventType = eventType == null ? "" : eventType;
            return this;
        }

        public Builder withCommentText(final String commentText) {
            this.commentText = commentText == null ? "" : commentText;
            return this;
        }

        public Builder withApprovals(final List<EventApproval> approvals) {
            this.approvals.clear();
            this.approvals.addAll(approvals);
            return this;
        }

        public Builder withHashtags(final List<String> hashtags) {
            this.hashtags.clear();
            this.hashtags.addAll(hashtags);
            return this;
        }

        public GerritChange build() {
            return new GerritChange(this);
        }
    }
}
