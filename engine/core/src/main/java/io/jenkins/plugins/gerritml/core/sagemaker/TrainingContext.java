package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The review and build that a training job or deployment comes from: it names the job deterministically and becomes
 * its lineage tags, so every model can be traced to a change, a patch set, its approvers and a build. The CI job's
 * full name is part of it: two pipelines on the same change and build number must never share a job name (a job
 * adopted by the wrong pipeline would be voted and signed for as its own). Immutable; serialisable so that a
 * host can keep it in a saved plan.
 */
public final class TrainingContext implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String project;
    private final int changeNumber;
    private final int patchSet;
    private final String revision;
    @CheckForNull
    private final String uploader;
    private final List<String> approvers;
    private final String job;
    private final int buildNumber;
    @CheckForNull
    private final String buildUrl;
    /** Which step of the build, when a build may run several (null in plans saved before it existed). */
    @CheckForNull
    private final String step;

    private TrainingContext(final Builder b) {
        project = Objects.requireNonNull(b.project);
        changeNumber = b.changeNumber;
        patchSet = b.patchSet;
        revision = Objects.requireNonNull(b.revision);
        uploader = b.uploader;
        approvers = List.copyOf(b.approvers);
        job = b.job;
        buildNumber = b.buildNumber;
        buildUrl = b.buildUrl;
        step = b.step;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder filled from the build's Gerrit context (project, change, patch set, revision, uploader); add the
     * approvers (e.g. from the approval gate's decision) and the build.
     */
    public static Builder builder(final GerritChange change) {
        return new Builder().withProject(change.getProject())
                .withChange(change.getChangeNumber(), change.getPatchSetNumber())
                .withRevision(change.getRevision())
                .withUploader(change.getUploader().getUsername());
    }

    public String getProject() {
        return project;
    }

    public int getChangeNumber() {
        return changeNumber;
    }

    public int getPatchSet() {
        return patchSet;
    }

    /** The commit sha of the patch set. */
    public String getRevision() {
        return revision;
    }

    @CheckForNull
    public String getUploader() {
        return uploader;
    }

    /** Usernames of the reviewers whose votes approved the change (may be empty before review). */
    public List<String> getApprovers() {
        return approvers;
    }

    /**
     * The full name of the CI job the build belongs to (Jenkins: {@code Job.getFullName()}, e.g.
     * {@code ml/train-on-patchset}); the command line uses {@code JOB_NAME} or {@code cli}. Empty only for callers
     * that run one pipeline.
     */
    public String getJob() {
        return job;
    }

    public int getBuildNumber() {
        return buildNumber;
    }

    @CheckForNull
    public String getBuildUrl() {
        return buildUrl;
    }

    /** Who answers for the AWS session: the first approver, else the uploader (for STS {@code SourceIdentity}). */
    /**
     * The step of the build this training belongs to (Jenkins: its flow node), so that parallel branches of one
     * build train one job each; empty for a command line, which runs one.
     */
    public String getStep() {
        return step == null ? "" : step;
    }

    public Optional<String> getResponsibleUser() {
        return approvers.isEmpty() ? Optional.ofNullable(uploader) : Optional.of(approvers.get(0));
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingContext)) {
            return false;
        }
        TrainingContext other = (TrainingContext) o;
        return changeNumber == other.changeNumber && patchSet == other.patchSet && buildNumber == other.buildNumber
                && project.equals(other.project) && job.equals(other.job) && revision.equals(other.revision)
                && Objects.equals(uploader, other.uploader) && approvers.equals(other.approvers)
                && Objects.equals(buildUrl, other.buildUrl) && getStep().equals(other.getStep());
    }

    @Override
    public int hashCode() {
        return Objects.hash(project, changeNumber, patchSet, revision, uploader, approvers, job, buildNumber,
                buildUrl, getStep());
    }

    @Override
    public String toString() {
        return project + " change " + changeNumber + " patch set " + patchSet + " (" + revision + "), build "
                + (job.isEmpty() ? "" : job + " #") + buildNumber;
    }

    /** Collects the fields; {@link #build()} validates them. */
    public static final class Builder {
        @CheckForNull
        private String project;
        private int changeNumber;
        private int patchSet;
        @CheckForNull
        private String revision;
        @CheckForNull
        private String uploader;
        private final List<String> approvers = new ArrayList<>();
        private String job = "";
        private int buildNumber;
        @CheckForNull
        private String buildUrl;
        @CheckForNull
        private String step;

        private Builder() {
        }

        public Builder withProject(final String name) {
            this.project = name;
            return this;
        }

        public Builder withChange(final int number, final int patchSetNumber) {
            this.changeNumber = number;
            this.patchSet = patchSetNumber;
            return this;
        }

        public Builder withRevision(final String sha) {
            this.revision = sha;
            return this;
        }

        public Builder withUploader(@CheckForNull final String username) {
            this.uploader = username == null || username.isBlank() ? null : username;
            return this;
        }

        public Builder withApprover(final String username) {
            approvers.add(Objects.requireNonNull(username, "username"));
            return this;
        }

        public Builder withApprovers(final List<String> usernames) {
            usernames.forEach(this::withApprover);
            return this;
        }

        /** The CI job's full name (see {@link TrainingContext#getJob()}). */
        public Builder withJob(@CheckForNull final String fullName) {
            this.job = fullName == null ? "" : fullName.trim();
            return this;
        }

        public Builder withBuild(final int number, @CheckForNull final String url) {
            this.buildNumber = number;
            this.buildUrl = url == null || url.isBlank() ? null : url;
            return this;
        }

        /** The step of the build (see {@link TrainingContext#getStep()}); blank for none. */
        public Builder withStep(@CheckForNull final String id) {
            this.step = id == null || id.isBlank() ? null : id.trim();
            return this;
        }

        /** @throws InvalidSpecException naming the fields that are missing or out of range */
        public TrainingContext build() {
            Problems problems = new Problems();
            problems.requireText(project, "project", "the Gerrit project name");
            problems.require(changeNumber > 0, "changeNumber", "must be a positive Gerrit change number");
            problems.require(patchSet > 0, "patchSet", "must be a positive patch set number");
            problems.requireText(revision, "revision", "the patch set's commit sha");
            problems.require(buildNumber > 0, "buildNumber", "must be a positive build number");
            problems.throwIfAny("The Gerrit/build context");
            return new TrainingContext(this);
        }
    }
}
