package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to promote: a model artifact (from a training result), the inference image and role, and the endpoint it
 * serves on. {@link Builder#build()} validates every field before any AWS call. Immutable.
 */
public final class DeploySpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");

    private final String endpointName;
    private final String modelArtifact;
    private final String inferenceImage;
    private final String executionRoleArn;
    private final String instanceType;
    private final int initialInstanceCount;
    private final String variantName;
    private final Map<String, String> environment;
    private final Map<String, String> extraTags;
    private final Duration timeout;

    private DeploySpec(final Builder b) {
        endpointName = Objects.requireNonNull(b.endpointName);
        modelArtifact = Objects.requireNonNull(b.modelArtifact);
        inferenceImage = Objects.requireNonNull(b.inferenceImage);
        executionRoleArn = Objects.requireNonNull(b.executionRoleArn);
        instanceType = b.instanceType;
        initialInstanceCount = b.initialInstanceCount;
        variantName = b.variantName;
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        extraTags = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraTags));
        timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String getEndpointName() {
        return endpointName;
    }

    /** The model.tar.gz S3 URI, e.g. {@link TrainingResult#getModelArtifact()}. */
    public String getModelArtifact() {
        return modelArtifact;
    }

    public String getInferenceImage() {
        return inferenceImage;
    }

    public String getExecutionRoleArn() {
        return executionRoleArn;
    }

    public String getInstanceType() {
        return instanceType;
    }

    public int getInitialInstanceCount() {
        return initialInstanceCount;
    }

    public String getVariantName() {
        return variantName;
    }

    public Map<String, String> getEnvironment() {
        return environment;
    }

    public Map<String, String> getExtraTags() {
        return extraTags;
    }

    /** How long to wait for InService (SageMaker may take 5-15 minutes). */
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeploySpec)) {
            return false;
        }
        DeploySpec other = (DeploySpec) o;
        return initialInstanceCount == other.initialInstanceCount && endpointName.equals(other.endpointName)
                && modelArtifact.equals(other.modelArtifact) && inferenceImage.equals(other.inferenceImage)
                && executionRoleArn.equals(other.executionRoleArn) && instanceType.equals(other.instanceType)
                && variantName.equals(other.variantName) && environment.equals(other.environment)
                && extraTags.equals(other.extraTags) && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpointName, modelArtifact, inferenceImage, executionRoleArn, instanceType,
                initialInstanceCount, variantName, environment, extraTags, timeout);
    }

    @Override
    public String toString() {
        return "DeploySpec[" + modelArtifact + " -> endpoint " + endpointName + " (" + initialInstanceCount + " x "
                + instanceType + ")]";
    }

    /** Collects the fields; {@link #build()} validates them. */
    public static final class Builder {
        @CheckForNull
        private String endpointName;
        @CheckForNull
        private String modelArtifact;
        @CheckForNull
        private String inferenceImage;
        @CheckForNull
        private String executionRoleArn;
        private String instanceType = "ml.m5.large";
        private int initialInstanceCount = 1;
        private String variantName = "AllTraffic";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> extraTags = new LinkedHashMap<>();
        private Duration timeout = Duration.ofMinutes(30);

        private Builder() {
        }

        public Builder withEndpointName(final String name) {
            this.endpointName = name;
            return this;
        }

        public Builder withModelArtifact(final String s3Uri) {
            this.modelArtifact = s3Uri;
            return this;
        }

        public Builder withInferenceImage(final String image) {
            this.inferenceImage = image;
            return this;
        }

        public Builder withExecutionRoleArn(final String arn) {
            this.executionRoleArn = arn;
            return this;
        }

        public Builder withInstanceType(final String type) {
            this.instanceType = Objects.requireNonNull(type, "instanceType");
            return this;
        }

        public Builder withInitialInstanceCount(final int count) {
            this.initialInstanceCount = count;
            return this;
        }

        public Builder withVariantName(final String name) {
            this.variantName = Objects.requireNonNull(name, "variantName");
            return this;
        }

        public Builder withEnvironment(final String key, final String value) {
            environment.put(key, value);
            return this;
        }

        public Builder withTag(final String key, final String value) {
            extraTags.put(key, value);
            return this;
        }

        public Builder withTimeout(final Duration wait) {
            this.timeout = Objects.requireNonNull(wait, "timeout");
            return this;
        }

        /** @throws InvalidSpecException naming every field to fix */
        public DeploySpec build() {
            Problems problems = new Problems();
            if (problems.requireText(endpointName, "endpointName", "the SageMaker endpoint to create or update")) {
                problems.require(SageMakerNames.NAME.matcher(endpointName).matches(), "endpointName",
                        "must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, was '"
                                + endpointName + "'");
            }
            problems.requireS3Uri(modelArtifact, "modelArtifact");
            if (problems.requireText(inferenceImage, "inferenceImage", "the ECR URI of the serving container")) {
                problems.require(inferenceImage.length() <= 255 && !inferenceImage.contains(" "), "inferenceImage",
                        "must be 1-255 characters without spaces");
            }
            problems.requireRoleArn(executionRoleArn, "executionRoleArn");
            problems.require(INSTANCE_TYPE.matcher(instanceType).matches(), "instanceType",
                    "must look like ml.m5.xlarge, was '" + instanceType + "'");
            problems.require(initialInstanceCount >= 1, "initialInstanceCount",
                    "must be at least 1, was " + initialInstanceCount);
            problems.require(SageMakerNames.NAME.matcher(variantName).matches(), "variantName",
                    "must be 1-63 letters, digits and hyphens, was '" + variantName + "'");
            problems.require(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be positive");
            problems.throwIfAny("The SageMaker deployment spec");
            return new DeploySpec(this);
        }
    }
}
