package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.pipeline.RunCheck;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelPackageResponse;
import software.amazon.awssdk.services.sagemaker.model.ModelApprovalStatus;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.ModelPackageSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SageMaker Model Registry as a mirror of the review: each trained patch set registers one model package
 * version, {@code PendingManualApproval}; the approval gate passing for that patch set approves it, and only that
 * version; a newer patch set rejects the versions of the older ones. Every update sends the whole intended state
 * (status, description and metadata together), since SageMaker replaces {@code CustomerMetadataProperties} as a whole
 * and an update without a status may clear it.
 *
 * <p>Approving is done by a registry built on the approver's session (a role assumed with {@code SourceIdentity} =
 * the approver), so AWS records who approved in {@code LastModifiedBy} and CloudTrail.
 */
public final class ModelRegistry {
    /** Metadata keys of the review on each version: the training job's tag names, and the build and lineage. */
    public static final String PROJECT = LineageTags.PROJECT;
    public static final String CHANGE = LineageTags.CHANGE;
    public static final String PATCH_SET = LineageTags.PATCH_SET;
    public static final String REVISION = LineageTags.REVISION;
    public static final String BUILD = "ci:build";
    public static final String LINEAGE = "lineage:digest";

    private final SageMakerClient sageMaker;

    public ModelRegistry(final SageMakerClient sageMaker) {
        this.sageMaker = sageMaker;
    }

    /**
     * Registers the model {@code result} produced as a new version of {@code group} (created if missing),
     * {@code PendingManualApproval}, served by {@code inferenceImage}, with the review's metadata; the version this
     * build registered before (a resumed build) when there is one.
     *
     * @param lineageDigest the digest of the signed training record, or blank
     * @throws IllegalArgumentException the job produced no model artifact
     */
    public ModelVersion register(final String group, final TrainingResult result, final String inferenceImage,
            final TrainingContext context, final String lineageDigest) {
        String model = result.getModelArtifact();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("training job " + result.getJobName() + " produced no model "
                    + "artifact: nothing to register in " + group);
        }
        ensureGroup(group);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PROJECT, context.getProject());
        metadata.put(CHANGE, Integer.toString(context.getChangeNumber()));
        metadata.put(PATCH_SET, Integer.toString(context.getPatchSet()));
        metadata.put(REVISION, context.getRevision());
        metadata.put(BUILD, context.getBuildUrl() != null ? context.getBuildUrl()
                : (context.getJob().isEmpty() ? "" : context.getJob() + "#") + context.getBuildNumber());
        if (lineageDigest != null && !lineageDigest.isBlank()) {
            metadata.put(LINEAGE, lineageDigest);
        }
        // A build that registers again (resumed after a restart) gets its own version back, never a second one.
        for (ModelVersion existing : versionsOf(group, context.getProject(), context.getChangeNumber())) {
            if (existing.getPatchSet() == context.getPatchSet()
                    && metadata.get(BUILD).equals(existing.getMetadata().get(BUILD))) {
                return existing;
            }
        }
        String arn = sageMaker.createModelPackage(b -> b.modelPackageGroupName(group)
                .modelPackageDescription("Trained by " + result.getJobName() + " from " + context)
                .inferenceSpecification(i -> i.containers(ModelPackageContainerDefinition.builder()
                        .image(inferenceImage).modelDataUrl(model).build())
                        .supportedContentTypes("text/csv", "application/json")
                        .supportedResponseMIMETypes("text/csv", "application/json"))
                .modelApprovalStatus(ModelApprovalStatus.PENDING_MANUAL_APPROVAL)
                .customerMetadataProperties(metadata)).modelPackageArn();
        return describe(arn);
    }

    /**
     * What a training run does in the registry: nothing unless a group is named and the job completed; else
     * registers its model, rejects the versions of the change's older patch sets, and approves the new version at
     * once when its patch set's approval is already known (the gate passed earlier in the same build).
     *
     * @param group          the Model Package Group, or blank for none
     * @param inferenceImage the image that serves the model, or blank for the training image of {@code spec}
     * @param approvedAs     the approval's description (change, patch set, label, approvers), or blank when the
     *                       patch set is not approved yet
     * @return what was done, the registered (or approved) version first; empty when nothing was registered
     */
    public Optional<Registration> recordTraining(final String group, final TrainingResult result,
            final TrainingSpec spec, final String inferenceImage, final TrainingContext context,
            final String lineageDigest, final String approvedAs) {
        if (group == null || group.isBlank() || !result.isCompleted()) {
            return Optional.empty();
        }
        String image = inferenceImage == null || inferenceImage.isBlank()
                ? java.util.Objects.toString(spec.getTrainingImage(), "") : inferenceImage;
        ModelVersion version = register(group, result, image, context, lineageDigest);
        List<ModelVersion> rejected = rejectSuperseded(group, context);
        if (approvedAs != null && !approvedAs.isBlank()) {
            version = approve(version, context.getPatchSet(), approvedAs);
        }
        return Optional.of(new Registration(version, rejected));
    }

    /** The outcome of {@link #recordTraining}. */
    public static final class Registration {
        private final ModelVersion version;
        private final List<ModelVersion> rejected;

        Registration(final ModelVersion version, final List<ModelVersion> rejected) {
            this.version = version;
            this.rejected = List.copyOf(rejected);
        }

        public ModelVersion getVersion() {
            return version;
        }

        public List<ModelVersion> getRejected() {
            return rejected;
        }

        /** For the build log and the review: the version, then each version rejected. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            lines.add("Model package " + version.describe() + ": " + version.getArn());
            rejected.forEach(r -> lines.add("Rejected model package " + r.describe() + ": "
                    + r.getApprovalDescription()));
            return lines;
        }
    }

    /**
     * The {@code ApprovalDescription} for a run of {@code context} whose gate passed for {@code approvedPatchSet} with
     * {@code approvals}: change, patch set, and each approver's label and value. Empty when nothing approved this
     * run's patch set, so a version is never approved for another patch set's approval.
     */
    public static String approvedAs(final TrainingContext context, final int approvedPatchSet,
            final List<Approval> approvals) {
        if (approvals.isEmpty() || approvedPatchSet != context.getPatchSet()) {
            return "";
        }
        return context.getProject() + "~" + context.getChangeNumber() + " patch set " + approvedPatchSet
                + " approved: " + approvals.stream().map(a -> a.getAccount().getDisplayName() + " " + a.getLabel()
                + (a.getValue() > 0 ? "+" : "") + a.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * The review of a change mirrored into its versions after training ran: an abandoned change's versions are
     * rejected, and an approval of the patch set in {@code context} approves the newest version trained from it.
     *
     * @param status     the change's status as Gerrit says it now
     * @param approvedAs the approval's description (change, patch set, label, approvers) when the gate passed for
     *                   the patch set in {@code context}, else blank
     */
    public Mirrored mirrorReview(final String group, final TrainingContext context, final LiveChange.Status status,
            final String approvedAs) {
        List<String> lines = new ArrayList<>();
        if (status == LiveChange.Status.ABANDONED) {
            List<ModelVersion> rejected = rejectAbandoned(group, context.getProject(), context.getChangeNumber());
            rejected.forEach(r -> lines.add("Rejected model package " + r.describe() + ": "
                    + r.getApprovalDescription()));
            if (rejected.isEmpty()) {
                lines.add("Change " + context.getChangeNumber() + " was abandoned; no version of " + group
                        + " trained from it is left to reject");
            }
            return new Mirrored(null, rejected, lines, true);
        }
        if (approvedAs == null || approvedAs.isBlank()) {
            lines.add("Patch set " + context.getPatchSet() + " of change " + context.getChangeNumber() + " is not "
                    + "approved: no version of " + group + " approved");
            return new Mirrored(null, List.of(), lines, false);
        }
        Optional<ModelVersion> version = versionFor(group, context.getProject(), context.getChangeNumber(),
                context.getPatchSet());
        if (version.isEmpty()) {
            lines.add("No model package version of " + group + " was trained from " + context.getProject() + "~"
                    + context.getChangeNumber() + " patch set " + context.getPatchSet() + " yet: nothing approved");
            return new Mirrored(null, List.of(), lines, false);
        }
        ModelVersion approved = approve(version.get(), context.getPatchSet(), approvedAs);
        lines.add("Approved model package " + approved.describe() + " as " + String.join(", ",
                context.getApprovers()) + ": " + approved.getArn());
        return new Mirrored(approved, List.of(), lines, true);
    }

    /** The outcome of {@link #mirrorReview}. */
    public static final class Mirrored {
        private final ModelVersion approved;
        private final List<ModelVersion> rejected;
        private final List<String> lines;
        private final boolean mirrored;

        Mirrored(final ModelVersion approved, final List<ModelVersion> rejected, final List<String> lines,
                final boolean mirrored) {
            this.mirrored = mirrored;
            this.approved = approved;
            this.rejected = List.copyOf(rejected);
            this.lines = List.copyOf(lines);
        }

        /**
         * Whether the registry now says what the review says: the approved patch set's version approved, or an
         * abandoned change's versions rejected. False when there was nothing to approve (not approved, or no version
         * trained from the patch set): a gate that expected an approval should fail.
         */
        public boolean isMirrored() {
            return mirrored;
        }

        /** The version approved now, if any. */
        public Optional<ModelVersion> getApproved() {
            return Optional.ofNullable(approved);
        }

        public List<ModelVersion> getRejected() {
            return rejected;
        }

        /** For the log and the review: what was done, or why nothing was. */
        public List<String> describe() {
            return lines;
        }
    }

    /** The versions of {@code group} trained for {@code change} of {@code project}, oldest first. */
    public List<ModelVersion> versionsOf(final String group, final String project, final int change) {
        List<ModelVersion> versions = new ArrayList<>();
        for (ModelPackageSummary summary : sageMaker.listModelPackagesPaginator(b -> b.modelPackageGroupName(group))
                .modelPackageSummaryList()) {
            ModelVersion version = describe(summary.modelPackageArn());
            if (project.equals(version.getMetadata().get(PROJECT))
                    && Integer.toString(change).equals(version.getMetadata().get(CHANGE))) {
                versions.add(version);
            }
        }
        versions.sort(Comparator.comparingInt(ModelVersion::getVersion));
        return versions;
    }

    /** The newest version of {@code group} trained from {@code patchSet} of {@code change}, if any. */
    public Optional<ModelVersion> versionFor(final String group, final String project, final int change,
            final int patchSet) {
        List<ModelVersion> versions = versionsOf(group, project, change);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).getPatchSet() == patchSet) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Approves {@code version} for the approval of {@code patchSet}: refused unless the version was trained from that
     * patch set, so a version is never approved for code other than its own.
     *
     * @param why the description AWS keeps, naming change, patch set, label and approvers
     */
    public ModelVersion approve(final ModelVersion version, final int patchSet, final String why) {
        if (version.getPatchSet() != patchSet) {
            throw new IllegalArgumentException(version.describe() + " was trained from patch set "
                    + version.getPatchSet() + ", not " + patchSet + ": it is not approved for that approval");
        }
        return update(version, ModelApprovalStatus.APPROVED, why);
    }

    /** Rejects {@code version}, keeping its metadata, with {@code why}. */
    public ModelVersion reject(final ModelVersion version, final String why) {
        return update(version, ModelApprovalStatus.REJECTED, why);
    }

    /**
     * Rejects the versions of the change's older patch sets that are not rejected yet: the review moved past them.
     *
     * @return the versions rejected now
     */
    public List<ModelVersion> rejectSuperseded(final String group, final TrainingContext current) {
        List<ModelVersion> rejected = new ArrayList<>();
        for (ModelVersion version : versionsOf(group, current.getProject(), current.getChangeNumber())) {
            if (version.getPatchSet() < current.getPatchSet() && !ModelVersion.REJECTED.equals(version.getStatus())) {
                rejected.add(reject(version, "Superseded by patch set " + current.getPatchSet() + " of change "
                        + current.getChangeNumber()));
            }
        }
        return rejected;
    }

    /**
     * Rejects the versions of an abandoned change that are not rejected yet: no approval can cover them any more.
     *
     * @return the versions rejected now
     */
    public List<ModelVersion> rejectAbandoned(final String group, final String project, final int change) {
        List<ModelVersion> rejected = new ArrayList<>();
        for (ModelVersion version : versionsOf(group, project, change)) {
            if (!ModelVersion.REJECTED.equals(version.getStatus())) {
                rejected.add(reject(version, "Change " + change + " was abandoned"));
            }
        }
        return rejected;
    }

    /** The version behind {@code arn}. */
    public ModelVersion describe(final String arn) {
        DescribeModelPackageResponse d = sageMaker.describeModelPackage(b -> b.modelPackageName(arn));
        ModelPackageContainerDefinition container = d.inferenceSpecification() == null
                || !d.inferenceSpecification().hasContainers() || d.inferenceSpecification().containers().isEmpty()
                ? null : d.inferenceSpecification().containers().get(0);
        return new ModelVersion(d.modelPackageArn(), d.modelPackageGroupName(),
                d.modelPackageVersion() == null ? 0 : d.modelPackageVersion(),
                d.modelApprovalStatusAsString() == null ? "" : d.modelApprovalStatusAsString(),
                d.approvalDescription(), d.hasCustomerMetadataProperties() ? d.customerMetadataProperties()
                : Map.of(), container == null ? "" : container.image(),
                container == null ? "" : container.modelDataUrl());
    }

    /**
     * The version behind {@code arn}, to deploy: its image and model artifact go into {@code spec}; refused unless it
     * is {@code Approved}, before anything is created.
     *
     * @throws IllegalStateException naming the version and its status
     */
    public DeploySpec deploySpec(final String arn, final DeploySpec.Builder spec) {
        ModelVersion version = describe(arn);
        requireApproved(version);
        return spec.withModelArtifact(version.getModelDataUrl()).withInferenceImage(version.getImage()).build();
    }

    /**
     * The checks a deployment of {@code modelArtifact} for the change in {@code deploying} makes before anything is
     * created: none without a model package ({@code arn} blank), else that {@link #refusalToDeploy} finds nothing.
     */
    public List<RunCheck> checksToDeploy(final String arn, final String modelArtifact,
            final TrainingContext deploying) {
        if (arn == null || arn.isBlank()) {
            return List.of();
        }
        return List.of(() -> refusalToDeploy(arn, modelArtifact, deploying));
    }

    /** The version behind {@code arn}, or null when {@code arn} is blank (a deployment without a model package). */
    public ModelVersion describeIfNamed(final String arn) {
        return arn == null || arn.isBlank() ? null : describe(arn);
    }

    /**
     * Why {@code modelArtifact} must not be deployed as the version behind {@code arn} by a build of the change in
     * {@code deploying}: the version is not Approved, holds another artifact, or was trained from another change (the
     * approval gate re-reads only the deploying change's approval). Empty when it may.
     */
    public Optional<String> refusalToDeploy(final String arn, final String modelArtifact,
            final TrainingContext deploying) {
        ModelVersion version = describe(arn);
        if (!version.isApproved()) {
            return Optional.of("model package " + version.describe() + " is not Approved: approve the patch set it "
                    + "was trained from (patch set " + version.getPatchSet() + ") in Gerrit first");
        }
        if (!version.getModelDataUrl().equals(modelArtifact)) {
            return Optional.of("model package " + version.describe() + " holds " + version.getModelDataUrl()
                    + ", not " + modelArtifact + ": deploy the artifact the approved version holds");
        }
        String change = deploying.getProject() + "~" + deploying.getChangeNumber();
        String trainedFrom = version.getMetadata().getOrDefault(PROJECT, "?") + "~"
                + version.getMetadata().getOrDefault(CHANGE, "?");
        if (!trainedFrom.equals(change)) {
            return Optional.of("model package " + version.describe() + " was trained from change " + trainedFrom
                    + ", not " + change + " whose approval this build's gate reads: deploy it from a build of "
                    + trainedFrom);
        }
        return Optional.empty();
    }

    /**
     * Refuses to deploy {@code version} unless it is approved.
     *
     * @throws IllegalStateException naming the version and its status
     */
    public static void requireApproved(final ModelVersion version) {
        if (!version.isApproved()) {
            throw new IllegalStateException("model package " + version.describe() + " is not Approved: approve the "
                    + "patch set it was trained from (patch set " + version.getPatchSet() + ") in Gerrit first; "
                    + "nothing was deployed");
        }
    }

    private ModelVersion update(final ModelVersion version, final ModelApprovalStatus status, final String why) {
        sageMaker.updateModelPackage(b -> b.modelPackageArn(version.getArn()).modelApprovalStatus(status)
                .approvalDescription(why).customerMetadataProperties(version.getMetadata()));
        return describe(version.getArn());
    }

    private void ensureGroup(final String group) {
        try {
            sageMaker.describeModelPackageGroup(b -> b.modelPackageGroupName(group));
        } catch (SageMakerException missing) {
            sageMaker.createModelPackageGroup(b -> b.modelPackageGroupName(group)
                    .modelPackageGroupDescription("Models trained from Gerrit changes, approved by their reviewers"));
        }
    }
}
