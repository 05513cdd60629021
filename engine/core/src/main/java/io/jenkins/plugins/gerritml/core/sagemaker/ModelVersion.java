package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of a model package in the SageMaker Model Registry, as the review reads it: its ARN, group and
 * version, its approval status, why it has that status, and the review's metadata (change, patch set, revision,
 * build, lineage digest). Immutable.
 */
public final class ModelVersion {
    /** {@code ModelApprovalStatus} values. */
    public static final String PENDING = "PendingManualApproval";
    public static final String APPROVED = "Approved";
    public static final String REJECTED = "Rejected";

    private final String arn;
    private final String group;
    private final int version;
    private final String status;
    private final String approvalDescription;
    private final Map<String, String> metadata;
    private final String image;
    private final String modelDataUrl;

    ModelVersion(final String arn, final String group, final int version, final String status,
            final String approvalDescription, final Map<String, String> metadata, final String image,
            final String modelDataUrl) {
        this.arn = Objects.requireNonNull(arn, "arn");
        this.group = Objects.requireNonNull(group, "group");
        this.version = version;
        this.status = Objects.requireNonNull(status, "status");
        this.approvalDescription = approvalDescription == null ? "" : approvalDescription;
        this.metadata = Map.copyOf(metadata);
        this.image = image == null ? "" : image;
        this.modelDataUrl = modelDataUrl == null ? "" : modelDataUrl;
    }

    public String getArn() {
        return arn;
    }

    public String getGroup() {
        return group;
    }

    public int getVersion() {
        return version;
    }

    public String getStatus() {
        return status;
    }

    public boolean isApproved() {
        return APPROVED.equals(status);
    }

    /** The image that serves the model. */
    public String getImage() {
        return image;
    }

    /** The model artifact (S3) the version holds. */
    public String getModelDataUrl() {
        return modelDataUrl;
    }

    public String getApprovalDescription() {
        return approvalDescription;
    }

    /** The review's metadata ({@code CustomerMetadataProperties}), sorted by key. */
    public Map<String, String> getMetadata() {
        return new TreeMap<>(metadata);
    }

    /** The patch set the version was trained from, or 0 when its metadata does not say. */
    public int getPatchSet() {
        try {
            return Integer.parseInt(metadata.getOrDefault(ModelRegistry.PATCH_SET, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** For logs and reviewers: {@code churn version 3 (Approved)}. */
    public String describe() {
        return group + " version " + version + " (" + status + ")";
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof ModelVersion)) {
            return false;
        }
        ModelVersion other = (ModelVersion) o;
        return version == other.version && arn.equals(other.arn) && group.equals(other.group)
                && status.equals(other.status) && approvalDescription.equals(other.approvalDescription)
                && metadata.equals(other.metadata) && image.equals(other.image)
                && modelDataUrl.equals(other.modelDataUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(arn, group, version, status, approvalDescription, metadata, image, modelDataUrl);
    }

    @Override
    public String toString() {
        return describe() + " " + arn;
    }
}
