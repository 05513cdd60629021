package io.jenkins.plugins.gerritml.core.sagemaker;

import software.amazon.awssdk.services.sagemaker.model.AlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Maps a {@link TrainingSpec} to SageMaker's CreateTrainingJob payload (the SDK's model classes are the wire DTOs),
 * and compares a described job with a spec to decide whether a restarted build may adopt it.
 */
final class TrainingJobRequests {
    private TrainingJobRequests() {
    }

    static CreateTrainingJobRequest create(final String jobName, final TrainingSpec spec,
            final Map<String, String> tags) {
        AlgorithmSpecification.Builder algorithm = AlgorithmSpecification.builder()
                .trainingInputMode(TrainingInputMode.FILE)
                .trainingImage(spec.getTrainingImage())
                .algorithmName(spec.getAlgorithmName());
        if (!spec.getMetricDefinitions().isEmpty()) {
            algorithm.metricDefinitions(spec.getMetricDefinitions().stream()
                    .map(m -> software.amazon.awssdk.services.sagemaker.model.MetricDefinition.builder()
                            .name(m.getName()).regex(m.getRegex()).build()).toList());
        }
        List<Channel> channels = new ArrayList<>();
        for (InputChannel input : spec.getInputChannels()) {
            channels.add(Channel.builder().channelName(input.getName()).contentType(input.getContentType())
                    .dataSource(d -> d.s3DataSource(s -> s.s3Uri(input.getS3Uri()).s3DataType(S3DataType.S3_PREFIX)
                            .s3DataDistributionType(S3DataDistribution.FULLY_REPLICATED)))
                    .build());
        }
        CreateTrainingJobRequest.Builder request = CreateTrainingJobRequest.builder()
                .trainingJobName(jobName)
                .algorithmSpecification(algorithm.build())
                .roleArn(spec.getRoleArn())
                .outputDataConfig(o -> o.s3OutputPath(spec.getOutputPath()))
                .resourceConfig(r -> r.instanceType(spec.getInstanceType()).instanceCount(spec.getInstanceCount())
                        .volumeSizeInGB(spec.getVolumeSizeGb()))
                .stoppingCondition(s -> s.maxRuntimeInSeconds(seconds(spec.getMaxRuntime()))
                        .maxWaitTimeInSeconds(spec.isSpot() ? seconds(Objects.requireNonNull(spec.getMaxWait())) : null))
                .enableManagedSpotTraining(spec.isSpot())
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList());
        if (!channels.isEmpty()) {
            request.inputDataConfig(channels);
        }
        if (!spec.getHyperparameters().isEmpty()) {
            request.hyperParameters(spec.getHyperparameters());
        }
        if (!spec.getEnvironment().isEmpty()) {
            request.environment(spec.getEnvironment());
        }
        if (!spec.getVpcConfig().isNone()) {
            request.vpcConfig(v -> v.subnets(spec.getVpcConfig().getSubnets())
                    .securityGroupIds(spec.getVpcConfig().getSecurityGroupIds()));
        }
        return request.build();
    }

    private static int seconds(final java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.getSeconds());
    }

    /**
     * How the described job differs from {@code spec}, one line per field ({@code field: job has X, spec has Y});
     * empty if the job is the one this spec would start. Metric definitions are not compared: SageMaker adds its own
     * for built-in algorithms.
     */
    static List<String> differences(final TrainingSpec spec, final DescribeTrainingJobResponse job) {
        List<String> out = new ArrayList<>();
        AlgorithmSpecification algorithm = job.algorithmSpecification();
        compare(out, "trainingImage", algorithm == null ? null : algorithm.trainingImage(), spec.getTrainingImage());
        compare(out, "algorithmName", algorithm == null ? null : algorithm.algorithmName(), spec.getAlgorithmName());
        compare(out, "roleArn", job.roleArn(), spec.getRoleArn());
        compare(out, "outputPath", job.outputDataConfig() == null ? null : job.outputDataConfig().s3OutputPath(),
                spec.getOutputPath());
        if (job.resourceConfig() != null) {
            compare(out, "instanceType", job.resourceConfig().instanceTypeAsString(), spec.getInstanceType());
            compare(out, "instanceCount", job.resourceConfig().instanceCount(), spec.getInstanceCount());
            compare(out, "volumeSizeGb", job.resourceConfig().volumeSizeInGB(), spec.getVolumeSizeGb());
        }
        if (job.stoppingCondition() != null) {
            compare(out, "maxRuntime", job.stoppingCondition().maxRuntimeInSeconds(),
                    seconds(spec.getMaxRuntime()));
            if (spec.isSpot()) {
                compare(out, "maxWait", job.stoppingCondition().maxWaitTimeInSeconds(),
                        seconds(Objects.requireNonNull(spec.getMaxWait())));
            }
        }
        compare(out, "spot", Boolean.TRUE.equals(job.enableManagedSpotTraining()), spec.isSpot());
        List<String> jobChannels = new ArrayList<>();
        if (job.hasInputDataConfig()) {
            for (Channel channel : job.inputDataConfig()) {
                String uri = channel.dataSource() == null || channel.dataSource().s3DataSource() == null ? null
                        : channel.dataSource().s3DataSource().s3Uri();
                jobChannels.add(InputChannel.of(channel.channelName(), String.valueOf(uri))
                        .withContentType(channel.contentType()).toString());
            }
        }
        compare(out, "inputChannels", jobChannels, spec.getInputChannels().stream().map(Object::toString).toList());
        compareMaps(out, "hyperparameters", job.hasHyperParameters() ? job.hyperParameters() : Map.of(),
                spec.getHyperparameters());
        compareMaps(out, "environment", job.hasEnvironment() ? job.environment() : Map.of(), spec.getEnvironment());
        List<String> subnets = job.vpcConfig() == null ? List.of() : job.vpcConfig().subnets();
        List<String> groups = job.vpcConfig() == null ? List.of() : job.vpcConfig().securityGroupIds();
        compare(out, "vpcConfig.subnets", new TreeSet<>(subnets), new TreeSet<>(spec.getVpcConfig().getSubnets()));
        compare(out, "vpcConfig.securityGroupIds", new TreeSet<>(groups),
                new TreeSet<>(spec.getVpcConfig().getSecurityGroupIds()));
        return out;
    }

    private static void compare(final List<String> out, final String field, final Object job, final Object spec) {
        if (!Objects.equals(job, spec)) {
            out.add(field + ": the job has " + show(job) + ", the spec has " + show(spec));
        }
    }

    private static void compareMaps(final List<String> out, final String field, final Map<String, String> job,
            final Map<String, String> spec) {
        TreeSet<String> keys = new TreeSet<>(job.keySet());
        keys.addAll(spec.keySet());
        for (String key : keys) {
            compare(out, field + "." + key, job.get(key), spec.get(key));
        }
    }

    private static String show(final Object value) {
        return value == null ? "nothing" : value instanceof String ? "'" + value + "'" : value.toString();
    }
}
