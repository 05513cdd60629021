package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.CanonicalJson;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunArtifact;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.sagemaker.DeployResult;
import io.jenkins.plugins.gerritml.core.sagemaker.DeploySpec;
import io.jenkins.plugins.gerritml.core.sagemaker.InputChannel;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelVersion;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lineage record says about the job, its outputs and its metrics, written once for every front end: a record
 * signed by the CLI and one signed in Jenkins for the same run must differ only where the runs differ.
 */
public final class LineageJobs {
    private LineageJobs() {
    }

    /**
     * A SageMaker training job: its ARN (its name when AWS has not reported an ARN), the image or built-in
     * algorithm, the input channels' URIs, and the hyperparameters.
     */
    public static LineageJob training(final TrainingSpec spec, final TrainingResult result) {
        String arn = result.getJobArn();
        String image = spec.getTrainingImage();
        List<String> inputs = new ArrayList<>();
        for (InputChannel channel : spec.getInputChannels()) {
            inputs.add(channel.getS3Uri());
        }
        return LineageJob.builder().withBackend("sagemaker")
                .withId(arn == null || arn.isEmpty() ? result.getJobName() : arn)
                .withImage(image == null || image.isEmpty() ? String.valueOf(spec.getAlgorithmName()) : image)
                .withInputs(inputs).withParameters(spec.getHyperparameters()).build();
    }

    /** The model artifact a completed training job wrote, if any. */
    public static List<String> trainingOutputs(final TrainingResult result) {
        String model = result.getModelArtifact();
        return model == null || model.isBlank() ? List.of() : List.of(model);
    }

    /** The job's final metrics that are numbers, and its billable seconds. */
    public static Map<String, BigDecimal> trainingMetrics(final TrainingResult result) {
        Map<String, BigDecimal> metrics = new LinkedHashMap<>();
        result.getFinalMetrics().forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                metrics.put(name, BigDecimal.valueOf(value));
            }
        });
        if (result.getBillableSeconds() != null) {
            metrics.put("billable_seconds", BigDecimal.valueOf(result.getBillableSeconds()));
        }
        return metrics;
    }

    /**
     * A Prefect flow run: its id, the deployment as the image, the datasets the policy checked as inputs, and the
     * flow's own parameters (text as is, anything else as canonical JSON). The deployment is recorded as the image
     * only: a flow parameter named {@code deployment} must not be overwritten by it.
     */
    public static LineageJob flowRun(final String deployment, final FlowRunRequest request,
            final FlowRunResult result, final List<String> datasets) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.getParameters().forEach((name, value) -> parameters.put(name,
                value instanceof String ? (String) value : CanonicalJson.write(exact(value))));
        return LineageJob.builder().withBackend("prefect").withId(result.getFlowRunId()).withImage(deployment)
                .withInputs(datasets).withParameters(parameters).build();
    }

    /**
     * A parameter as canonical JSON takes it: a binary float (a CLI's parsed {@code 0.5}) as the decimal it prints
     * as, inside maps and lists too.
     */
    private static Object exact(final Object value) {
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isFinite(number) ? new BigDecimal(value.toString()) : value.toString();
        }
        if (value instanceof Map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((key, item) -> copy.put(key, exact(item)));
            return copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<?>) value).forEach(item -> copy.add(exact(item)));
            return copy;
        }
        return value;
    }

    /** What a flow run produced: the links of its link artifacts, then the outputs its caller declared. */
    public static List<String> flowRunOutputs(final FlowRunResult result, final List<String> declared) {
        List<String> outputs = new ArrayList<>();
        for (FlowRunArtifact artifact : result.getArtifacts()) {
            if (artifact.isLink() && !outputs.contains(artifact.getLink())) {
                outputs.add(artifact.getLink());
            }
        }
        for (String output : declared) {
            if (!outputs.contains(output)) {
                outputs.add(output);
            }
        }
        return outputs;
    }

    /**
     * An endpoint promotion: the endpoint and its new config as the id, the inference image, the model artifact as
     * the input, and the endpoint and config names as parameters.
     */
    public static LineageJob promotion(final DeploySpec spec, final DeployResult result) {
        return promotion(spec, result, null);
    }

    /** As {@link #promotion(DeploySpec, DeployResult)}, of a model package version: its ARN and version too. */
    public static LineageJob promotion(final DeploySpec spec, final DeployResult result,
            @edu.umd.cs.findbugs.annotations.CheckForNull final ModelVersion modelPackage) {
        String config = String.valueOf(result.getState().getEndpointConfigName());
        LineageJob.Builder job = LineageJob.builder().withBackend("sagemaker")
                .withId(result.getEndpointName() + "/" + config).withImage(spec.getInferenceImage())
                .withInput(spec.getModelArtifact()).withParameter("endpoint", result.getEndpointName())
                .withParameter("endpointConfig", config);
        if (modelPackage != null) {
            job.withParameter("modelPackage", modelPackage.getArn())
                    .withParameter("modelPackageVersion", Integer.toString(modelPackage.getVersion()));
        }
        return job.build();
    }

    /**
     * The digest of the signed training record, among {@code signedRecords} (lineage.json texts), that lists
     * {@code artifact} among its outputs: the record a promotion of that model chains to. Empty when none does.
     */
    public static java.util.Optional<String> trainingDigestOf(final List<String> signedRecords,
            final String artifact) {
        for (String text : signedRecords) {
            Object envelope;
            try {
                envelope = CanonicalJson.parse(text);
            } catch (IllegalArgumentException e) {
                continue; // not a lineage.json: nothing to chain to
            }
            if (!(envelope instanceof Map)) {
                continue;
            }
            Object record = ((Map<?, ?>) envelope).get("record");
            Object outputs = record instanceof Map ? ((Map<?, ?>) record).get("outputs") : null;
            Object kind = record instanceof Map ? ((Map<?, ?>) record).get("kind") : null;
            if (!"training".equals(kind) || !(outputs instanceof List)) {
                continue;
            }
            for (Object output : (List<?>) outputs) {
                if (output instanceof Map && artifact.equals(((Map<?, ?>) output).get("uri"))) {
                    return java.util.Optional.of(String.valueOf(((Map<?, ?>) envelope).get("digest")));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The build's id as every front end records it: {@code <full job name>#<number>} (what Jenkins calls the
     * externalizable id), so that two jobs' builds with the same number are told apart; {@code fallback} when the
     * job or number is not known (a CLI run outside CI).
     */
    public static String buildId(final String jobName, final String buildNumber, final String fallback) {
        return jobName == null || jobName.isBlank() || buildNumber == null || buildNumber.isBlank() ? fallback
                : jobName + "#" + buildNumber;
    }
}
