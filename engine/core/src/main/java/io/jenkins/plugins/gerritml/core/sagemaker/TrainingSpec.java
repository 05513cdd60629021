package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to train: container image (or a marketplace algorithm), role, inputs, output, resources, limits, and
 * hyperparameters. {@link Builder#build()} checks every field against SageMaker's rules and throws one
 * {@link InvalidSpecException} naming all problems, so a bad spec never reaches AWS. Immutable.
 */
public final class TrainingSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** SageMaker's hard limit for MaxRuntimeInSeconds and MaxWaitTimeInSeconds (28 days). */
    static final Duration MAX_RUNTIME_LIMIT = Duration.ofDays(28);
    /** How long past the job's own limits the build waits before stopping it itself (queueing, upload). */
    static final Duration DEFAULT_TIMEOUT_GRACE = Duration.ofMinutes(15);

    private static final Pattern IMAGE = Pattern.compile("[\\S]{1,255}");
    private static final Pattern ALGORITHM = Pattern.compile(
            "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})"
                    + "(?<!-)");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9.\\-_]{1,64}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,511}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-z]{1,32}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-z]{1,32}");

    @CheckForNull
    private final String trainingImage;
    @CheckForNull
    private final String algorithmName;
    private final String roleArn;
    private final List<InputChannel> inputChannels;
    private final String outputPath;
    private final String instanceType;
    private final int instanceCount;
    private final int volumeSizeGb;
    private final Duration maxRuntime;
    private final boolean spot;
    @CheckForNull
    private final Duration maxWait;
    private final Map<String, String> environment;
    private final Map<String, String> hyperparameters;
    private final List<MetricDefinition> metricDefinitions;
    private final VpcConfig vpcConfig;
    private final Map<String, String> extraTags;
    private final Duration timeout;

    private TrainingSpec(final Builder b, final Map<String, String> hyperparameters, final Duration timeout) {
        trainingImage = b.trainingImage;
        algorithmName = b.algorithmName;
        roleArn = Objects.requireNonNull(b.roleArn);
        inputChannels = List.copyOf(b.inputChannels);
        outputPath = Objects.requireNonNull(b.outputPath);
        instanceType = b.instanceType;
        instanceCount = b.instanceCount;
        volumeSizeGb = b.volumeSizeGb;
        maxRuntime = b.maxRuntime;
        spot = b.spot;
        maxWait = b.maxWait;
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.hyperparameters = Collections.unmodifiableMap(hyperparameters);
        metricDefinitions = List.copyOf(b.metricDefinitions);
        vpcConfig = b.vpcConfig;
        extraTags = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraTags));
        this.timeout = timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.trainingImage = trainingImage;
        b.algorithmName = algorithmName;
        b.roleArn = roleArn;
        b.inputChannels.addAll(inputChannels);
        b.outputPath = outputPath;
        b.instanceType = instanceType;
        b.instanceCount = instanceCount;
        b.volumeSizeGb = volumeSizeGb;
        b.maxRuntime = maxRuntime;
        b.spot = spot;
        b.maxWait = maxWait;
        b.environment.putAll(environment);
        b.hyperparameters.putAll(hyperparameters);
        b.metricDefinitions.addAll(metricDefinitions);
        b.vpcConfig = vpcConfig;
        b.extraTags.putAll(extraTags);
        b.timeout = timeout;
        return b;
    }

    @CheckForNull
    public String getTrainingImage() {
        return trainingImage;
    }

    @CheckForNull
    public String getAlgorithmName() {
        return algorithmName;
    }

    public String getRoleArn() {
        return roleArn;
    }

    public List<InputChannel> getInputChannels() {
        return inputChannels;
    }

    public String getOutputPath() {
        return outputPath;
    }

    public String getInstanceType() {
        return instanceType;
    }

    public int getInstanceCount() {
        return instanceCount;
    }

    public int getVolumeSizeGb() {
        return volumeSizeGb;
    }

    public Duration getMaxRuntime() {
        return maxRuntime;
    }

    public boolean isSpot() {
        return spot;
    }

    /** Only for spot training: how long to wait for spot capacity plus run time. */
    @CheckForNull
    public Duration getMaxWait() {
        return maxWait;
    }

    public Map<String, String> getEnvironment() {
        return environment;
    }

    /** Always strings: SageMaker passes hyperparameters to the container as a JSON object of strings. */
    public Map<String, String> getHyperparameters() {
        return hyperparameters;
    }

    public List<MetricDefinition> getMetricDefinitions() {
        return metricDefinitions;
    }

    public VpcConfig getVpcConfig() {
        return vpcConfig;
    }

    /** Tags beyond the lineage tags; sanitized to SageMaker's tag rules when applied. */
    public Map<String, String> getExtraTags() {
        return extraTags;
    }

    /** How long the build follows the job before stopping it: by default the job's own limit plus 15 minutes. */
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingSpec)) {
            return false;
        }
        TrainingSpec other = (TrainingSpec) o;
        return instanceCount == other.instanceCount && volumeSizeGb == other.volumeSizeGb && spot == other.spot
                && Objects.equals(trainingImage, other.trainingImage)
                && Objects.equals(algorithmName, other.algorithmName) && roleArn.equals(other.roleArn)
                && inputChannels.equals(other.inputChannels) && outputPath.equals(other.outputPath)
                && instanceType.equals(other.instanceType) && maxRuntime.equals(other.maxRuntime)
                && Objects.equals(maxWait, other.maxWait) && environment.equals(other.environment)
                && hyperparameters.equals(other.hyperparameters)
                && metricDefinitions.equals(other.metricDefinitions) && vpcConfig.equals(other.vpcConfig)
                && extraTags.equals(other.extraTags) && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trainingImage, algorithmName, roleArn, inputChannels, outputPath, instanceType,
                instanceCount, volumeSizeGb, maxRuntime, spot, maxWait, environment, hyperparameters,
                metricDefinitions, vpcConfig, extraTags, timeout);
    }

    @Override
    public String toString() {
        return "TrainingSpec[" + (trainingImage != null ? "image " + trainingImage : "algorithm " + algorithmName)
                + ", " + instanceCount + " x " + instanceType + ", output " + outputPath + ", inputs " + inputChannels
                + ", hyperparameters " + hyperparameters + (spot ? ", spot" : "") + "]";
    }

    /** Collects the fields; {@link #build()} validates all of them at once. */
    public static final class Builder {
        @CheckForNull
        private String trainingImage;
        @CheckForNull
        private String algorithmName;
        @CheckForNull
        private String roleArn;
        private final List<InputChannel> inputChannels = new ArrayList<>();
        @CheckForNull
        private String outputPath;
        private String instanceType = "ml.m5.large";
        private int instanceCount = 1;
        private int volumeSizeGb = 30;
        private Duration maxRuntime = Duration.ofHours(1);
        private boolean spot;
        @CheckForNull
        private Duration maxWait;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, Object> hyperparameters = new LinkedHashMap<>();
        private final List<MetricDefinition> metricDefinitions = new ArrayList<>();
        private VpcConfig vpcConfig = VpcConfig.none();
        private final Map<String, String> extraTags = new LinkedHashMap<>();
        @CheckForNull
        private Duration timeout;

        private Builder() {
        }

        /** An ECR image URI, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1.4}. */
        public Builder withTrainingImage(@CheckForNull final String image) {
            this.trainingImage = blankToNull(image);
            return this;
        }

        /** A SageMaker algorithm resource name or ARN, instead of an image. */
        public Builder withAlgorithmName(@CheckForNull final String algorithm) {
            this.algorithmName = blankToNull(algorithm);
            return this;
        }

        public Builder withRoleArn(@CheckForNull final String arn) {
            this.roleArn = blankToNull(arn);
            return this;
        }

        public Builder withInputChannel(final InputChannel channel) {
            inputChannels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        public Builder withInputChannel(final String name, final String s3Uri, @CheckForNull final String contentType) {
            return withInputChannel(InputChannel.of(name, s3Uri).withContentType(contentType));
        }

        public Builder withOutputPath(@CheckForNull final String s3Uri) {
            this.outputPath = blankToNull(s3Uri);
            return this;
        }

        public Builder withInstanceType(final String type) {
            this.instanceType = Objects.requireNonNull(type, "instanceType");
            return this;
        }

        public Builder withInstanceCount(final int count) {
            this.instanceCount = count;
            return this;
        }

        public Builder withVolumeSizeGb(final int gigabytes) {
            this.volumeSizeGb = gigabytes;
            return this;
        }

        public Builder withMaxRuntime(final Duration runtime) {
            this.maxRuntime = Objects.requireNonNull(runtime, "maxRuntime");
            return this;
        }

        /** Managed spot training: cheaper, may wait for capacity up to {@code wait} (run time included). */
        public Builder withSpot(final Duration wait) {
            this.spot = true;
            this.maxWait = Objects.requireNonNull(wait, "maxWait");
            return this;
        }

        public Builder withEnvironment(final String key, final String value) {
            environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * A hyperparameter; numbers and booleans are turned into their string form (what SageMaker requires),
         * anything else (lists, maps) is rejected by {@link #build()} naming the key.
         */
        public Builder withHyperparameter(final String key, final Object value) {
            hyperparameters.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder withHyperparameters(final Map<String, ?> values) {
            values.forEach(this::withHyperparameter);
            return this;
        }

        public Builder withMetricDefinition(final String name, final String regex) {
            metricDefinitions.add(MetricDefinition.of(name, regex));
            return this;
        }

        public Builder withVpcConfig(final VpcConfig config) {
            this.vpcConfig = Objects.requireNonNull(config, "vpcConfig");
            return this;
        }

        public Builder withTag(final String key, final String value) {
            extraTags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder withTimeout(@CheckForNull final Duration buildTimeout) {
            this.timeout = buildTimeout;
            return this;
        }

        /** @throws InvalidSpecException naming every field that breaks SageMaker's rules */
        public TrainingSpec build() {
            Problems problems = new Problems();
            if (trainingImage == null && algorithmName == null) {
                problems.add("trainingImage", "set either a training image (ECR URI) or an algorithmName");
            } else if (trainingImage != null && algorithmName != null) {
                problems.add("trainingImage", "set a training image or an algorithmName, not both");
            } else if (trainingImage != null) {
                problems.require(IMAGE.matcher(trainingImage).matches(), "trainingImage",
                        "must be 1-255 characters without spaces, was '" + trainingImage + "'");
            } else {
                problems.require(ALGORITHM.matcher(algorithmName).matches(), "algorithmName",
                        "must be an algorithm name (1-63 letters, digits, hyphens) or its ARN, was '"
                                + algorithmName + "'");
            }
            problems.requireRoleArn(roleArn, "roleArn");
            validateChannels(problems);
            problems.requireS3Uri(outputPath, "outputPath");
            problems.require(INSTANCE_TYPE.matcher(instanceType).matches(), "instanceType",
                    "must look like ml.m5.xlarge, was '" + instanceType + "'");
            problems.require(instanceCount >= 1, "instanceCount", "must be at least 1, was " + instanceCount);
            problems.require(volumeSizeGb >= 1 && volumeSizeGb <= 16_384, "volumeSizeGb",
                    "must be 1-16384 GB, was " + volumeSizeGb);
            problems.require(maxRuntime.getSeconds() >= 1 && maxRuntime.compareTo(MAX_RUNTIME_LIMIT) <= 0,
                    "maxRuntime", "must be between 1 second and 28 days, was " + maxRuntime);
            if (spot && maxWait != null) {
                problems.require(maxWait.compareTo(maxRuntime) >= 0 && maxWait.compareTo(MAX_RUNTIME_LIMIT) <= 0,
                        "maxWait", "must be at least maxRuntime (" + maxRuntime + ") and at most 28 days, was "
                                + maxWait);
            }
            validateEnvironment(problems);
            Map<String, String> strings = hyperparameterStrings(problems);
            validateMetrics(problems);
            validateVpc(problems);
            Duration effectiveTimeout = timeout != null ? timeout
                    : (spot && maxWait != null ? maxWait : maxRuntime).plus(DEFAULT_TIMEOUT_GRACE);
            problems.require(!effectiveTimeout.isNegative() && !effectiveTimeout.isZero(), "timeout",
                    "must be positive, was " + effectiveTimeout);
            problems.throwIfAny("The SageMaker training spec");
            return new TrainingSpec(this, strings, effectiveTimeout);
        }

        private void validateChannels(final Problems problems) {
            problems.require(inputChannels.size() <= 20, "inputChannels",
                    "at most 20 channels, got " + inputChannels.size());
            Set<String> names = new HashSet<>();
            for (int i = 0; i < inputChannels.size(); i++) {
                InputChannel channel = inputChannels.get(i);
                String field = "inputChannels[" + i + "]";
                problems.require(CHANNEL_NAME.matcher(channel.getName()).matches(), field + ".name",
                        "must be 1-64 letters, digits, '.', '-', '_', was '" + channel.getName() + "'");
                problems.require(names.add(channel.getName()), field + ".name",
                        "'" + channel.getName() + "' is used by another channel");
                problems.requireS3Uri(channel.getS3Uri(), field + ".s3Uri");
                String type = channel.getContentType();
                problems.require(type == null || type.length() <= 256 && !type.contains(" "), field + ".contentType",
                        "must be a MIME type without spaces (e.g. text/csv), was '" + type + "'");
            }
        }

        private void validateEnvironment(final Problems problems) {
            problems.require(environment.size() <= 100, "environment",
                    "at most 100 variables, got " + environment.size());
            environment.forEach((key, value) -> {
                problems.require(ENV_KEY.matcher(key).matches(), "environment." + key,
                        "the name must be letters, digits and '_', not starting with a digit");
                problems.require(value.length() <= 512, "environment." + key,
                        "the value is " + value.length() + " characters; at most 512");
            });
        }

        private static String kind(final Object value) {
            if (value instanceof java.util.Collection) {
                return "a list";
            }
            if (value instanceof Map) {
                return "a map";
            }
            String type = value.getClass().getSimpleName();
            return ("AEIOU".indexOf(type.isEmpty() ? 'x' : type.charAt(0)) >= 0 ? "an " : "a ") + type;
        }

        private Map<String, String> hyperparameterStrings(final Problems problems) {
            problems.require(hyperparameters.size() <= 100, "hyperparameters",
                    "at most 100 hyperparameters, got " + hyperparameters.size());
            Map<String, String> strings = new LinkedHashMap<>();
            hyperparameters.forEach((key, value) -> {
                String field = "hyperparameters." + key;
                problems.require(!key.isEmpty() && key.length() <= 256, field, "the name must be 1-256 characters");
                String text = asHyperparameterString(value);
                if (text == null) {
                    problems.add(field, "must be a string, number or boolean, was " + kind(value) + " (" + value + ")");
                } else if (problems.require(text.length() <= 2500, field,
                        "the value is " + text.length() + " characters; at most 2500")) {
                    strings.put(key, text);
                }
            });
            return strings;
        }

        @CheckForNull
        private static String asHyperparameterString(final Object value) {
            if (value instanceof CharSequence || value instanceof Boolean) {
                return value.toString();
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return null;
                }
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString(); // 0.1, not 1.0E-1
            }
            if (value instanceof Number) {
                return value.toString();
            }
            return null;
        }

        private void validateMetrics(final Problems problems) {
            problems.require(metricDefinitions.size() <= 40, "metricDefinitions",
                    "at most 40 metric definitions, got " + metricDefinitions.size());
            for (int i = 0; i < metricDefinitions.size(); i++) {
                MetricDefinition metric = metricDefinitions.get(i);
                String field = "metricDefinitions[" + i + "]";
                problems.require(!metric.getName().isBlank() && metric.getName().length() <= 255, field + ".name",
                        "must be 1-255 characters");
                problems.require(!metric.getRegex().isBlank() && metric.getRegex().length() <= 500,
                        field + ".regex", "must be 1-500 characters");
            }
        }

        private void validateVpc(final Problems problems) {
            if (vpcConfig.isNone()) {
                return;
            }
            List<String> subnets = vpcConfig.getSubnets();
            List<String> groups = vpcConfig.getSecurityGroupIds();
            problems.require(!subnets.isEmpty() && subnets.size() <= 16, "vpcConfig.subnets",
                    "1-16 subnets are needed with a VPC config, got " + subnets.size());
            problems.require(!groups.isEmpty() && groups.size() <= 5, "vpcConfig.securityGroupIds",
                    "1-5 security groups are needed with a VPC config, got " + groups.size());
            subnets.forEach(s -> problems.require(SUBNET.matcher(s).matches(), "vpcConfig.subnets",
                    "'" + s + "' is not a subnet id like subnet-0abc123"));
            groups.forEach(g -> problems.require(SECURITY_GROUP.matcher(g).matches(), "vpcConfig.securityGroupIds",
                    "'" + g + "' is not a security group id like sg-0abc123"));
        }

        @CheckForNull
        private static String blankToNull(@CheckForNull final String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
