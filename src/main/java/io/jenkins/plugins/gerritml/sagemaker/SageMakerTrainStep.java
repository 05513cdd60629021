package io.jenkins.plugins.gerritml.sagemaker;

import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import io.jenkins.plugins.gerritml.util.FormChecks;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code def model = sagemakerTrain(trainingImage: '...', roleArn: '...', inputs: [train: 's3://...'],
 * outputPath: 's3://...')}: trains on SageMaker for the build's patch set and waits without holding an executor.
 * The job is named after change, patch set and build, so a restarted or retried build adopts its own job.
 */
public class SageMakerTrainStep extends AwsStep {
    private static final long serialVersionUID = 1L;

    private String trainingImage = "";
    private String algorithmName = "";
    private String roleArn = "";
    private Map<String, Object> inputs = new LinkedHashMap<>();
    private String outputPath = "";
    private String instanceType = "ml.m5.large";
    private int instanceCount = 1;
    private int volumeSizeGb = 30;
    private int maxRuntimeMinutes = 60;
    private int spotMaxWaitMinutes;
    private Map<String, Object> environment = new LinkedHashMap<>();
    private Map<String, Object> hyperparameters = new LinkedHashMap<>();
    private Map<String, Object> metricDefinitions = new LinkedHashMap<>();
    private Map<String, Object> tags = new LinkedHashMap<>();
    private String label = "Verified";
    private boolean cancelOnNewPatchSet = true;
    private String modelPackageGroup = "";
    private String inferenceImage = "";

    @DataBoundConstructor
    public SageMakerTrainStep() {
        // every field has a default or is checked by core's TrainingSpec, naming what is missing
    }

    public String getTrainingImage() {
        return trainingImage;
    }

    public String getModelPackageGroup() {
        return modelPackageGroup;
    }

    /** The SageMaker Model Package Group the trained model is registered in, pending the reviewers' approval. */
    @DataBoundSetter
    public void setModelPackageGroup(final String modelPackageGroup) {
        this.modelPackageGroup = Util.fixNull(modelPackageGroup).trim();
    }

    public String getInferenceImage() {
        return inferenceImage;
    }

    /** The image that serves the registered model (default: the training image). */
    @DataBoundSetter
    public void setInferenceImage(final String inferenceImage) {
        this.inferenceImage = Util.fixNull(inferenceImage).trim();
    }

    @DataBoundSetter
    public void setTrainingImage(final String trainingImage) {
        this.trainingImage = Util.fixNull(trainingImage).trim();
    }

    public String getAlgorithmName() {
        return algorithmName;
    }

    @DataBoundSetter
    public void setAlgorithmName(final String algorithmName) {
        this.algorithmName = Util.fixNull(algorithmName).trim();
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(final String roleArn) {
        this.roleArn = Util.fixNull(roleArn).trim();
    }

    public Map<String, Object> getInputs() {
        return inputs;
    }

    @DataBoundSetter
    public void setInputs(final Map<String, Object> inputs) {
        this.inputs = inputs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(inputs);
    }

    public String getOutputPath() {
        return outputPath;
    }

    @DataBoundSetter
    public void setOutputPath(final String outputPath) {
        this.outputPath = Util.fixNull(outputPath).trim();
    }

    public String getInstanceType() {
        return instanceType;
    }

    @DataBoundSetter
    public void setInstanceType(final String instanceType) {
        this.instanceType = Util.fixEmptyAndTrim(instanceType) == null ? "ml.m5.large" : instanceType.trim();
    }

    public int getInstanceCount() {
        return instanceCount;
    }

    @DataBoundSetter
    public void setInstanceCount(final int instanceCount) {
        this.instanceCount = instanceCount;
    }

    public int getVolumeSizeGb() {
        return volumeSizeGb;
    }

    @DataBoundSetter
    public void setVolumeSizeGb(final int volumeSizeGb) {
        this.volumeSizeGb = volumeSizeGb;
    }

    public int getMaxRuntimeMinutes() {
        return maxRuntimeMinutes;
    }

    @DataBoundSetter
    public void setMaxRuntimeMinutes(final int maxRuntimeMinutes) {
        this.maxRuntimeMinutes = maxRuntimeMinutes;
    }

    public int getSpotMaxWaitMinutes() {
        return spotMaxWaitMinutes;
    }

    @DataBoundSetter
    public void setSpotMaxWaitMinutes(final int spotMaxWaitMinutes) {
        this.spotMaxWaitMinutes = spotMaxWaitMinutes;
    }

    public Map<String, Object> getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(final Map<String, Object> environment) {
        this.environment = environment == null ? new LinkedHashMap<>() : new LinkedHashMap<>(environment);
    }

    public Map<String, Object> getHyperparameters() {
        return hyperparameters;
    }

    @DataBoundSetter
    public void setHyperparameters(final Map<String, Object> hyperparameters) {
        this.hyperparameters = hyperparameters == null ? new LinkedHashMap<>() : new LinkedHashMap<>(hyperparameters);
    }

    public Map<String, Object> getMetricDefinitions() {
        return metricDefinitions;
    }

    @DataBoundSetter
    public void setMetricDefinitions(final Map<String, Object> metricDefinitions) {
        this.metricDefinitions = metricDefinitions == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(metricDefinitions);
    }

    public Map<String, Object> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(final Map<String, Object> tags) {
        this.tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(final String label) {
        this.label = Util.fixEmptyAndTrim(label) == null ? "Verified" : label.trim();
    }

    public boolean isCancelOnNewPatchSet() {
        return cancelOnNewPatchSet;
    }

    /** Stop the training job when its patch set is superseded or its change abandoned (default true). */
    @DataBoundSetter
    public void setCancelOnNewPatchSet(final boolean cancelOnNewPatchSet) {
        this.cancelOnNewPatchSet = cancelOnNewPatchSet;
    }

    /** The spec as core checks it: every broken field is named before any AWS call. */
    TrainingSpec toSpec() {
        TrainingSpec.Builder spec = TrainingSpec.builder()
                .withTrainingImage(Util.fixEmpty(trainingImage)).withAlgorithmName(Util.fixEmpty(algorithmName))
                .withRoleArn(Util.fixEmpty(roleArn)).withOutputPath(Util.fixEmpty(outputPath))
                .withInstanceType(instanceType).withInstanceCount(instanceCount).withVolumeSizeGb(volumeSizeGb)
                .withMaxRuntime(Duration.ofMinutes(maxRuntimeMinutes)).withHyperparameters(hyperparameters)
                .withTimeout(getTimeoutMinutes() > 0 ? Duration.ofMinutes(getTimeoutMinutes()) : null);
        inputs.forEach((channel, value) -> {
            if (value instanceof Map) {
                Map<?, ?> input = (Map<?, ?>) value;
                spec.withInputChannel(channel, String.valueOf(input.get("s3Uri")),
                        input.get("contentType") == null ? null : String.valueOf(input.get("contentType")));
            } else {
                spec.withInputChannel(channel, String.valueOf(value), null);
            }
        });
        if (spotMaxWaitMinutes > 0) {
            spec.withSpot(Duration.ofMinutes(spotMaxWaitMinutes));
        }
        environment.forEach((key, value) -> spec.withEnvironment(key, String.valueOf(value)));
        metricDefinitions.forEach((name, regex) -> spec.withMetricDefinition(name, String.valueOf(regex)));
        tags.forEach((key, value) -> spec.withTag(key, String.valueOf(value)));
        return spec.build();
    }

    @Override
    public StepExecution start(final StepContext context) throws Exception {
        io.jenkins.plugins.gerritml.gerrit.TriggerVotes.check(context, "sagemakerTrain", isReview() ? label : null);
        return new SageMakerTrainExecution(this, context);
    }

    /** The {@code sagemakerTrain} symbol. */
    @Extension
    @Symbol("sagemakerTrain")
    public static class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "sagemakerTrain";
        }

        @Override
        public String getDisplayName() {
            return "Train a model on SageMaker for this patch set";
        }

        @POST
        public FormValidation doCheckRoleArn(@AncestorInPath final Item item, @QueryParameter final String value) {
            return checkRoleArn(item, value);
        }

        @POST
        public FormValidation doCheckOutputPath(@AncestorInPath final Item item, @QueryParameter final String value) {
            if (!mayConfigure(item) || Util.fixEmptyAndTrim(value) == null || value.trim().matches("s3://[^/]+(/.*)?")) {
                return FormValidation.ok();
            }
            return FormValidation.error("An S3 URI, e.g. s3://ml-artifacts/models/");
        }

        @POST
        public FormValidation doCheckInstanceType(@AncestorInPath final Item item,
                @QueryParameter final String value) {
            if (!mayConfigure(item) || Util.fixEmptyAndTrim(value) == null || value.trim().matches("ml\\.[a-z0-9]+\\.[a-z0-9]+")) {
                return FormValidation.ok();
            }
            return FormValidation.error("A SageMaker instance type, e.g. ml.m5.large or ml.g5.xlarge");
        }

        @POST
        public FormValidation doCheckLabel(@AncestorInPath final Item item, @QueryParameter final String value) {
            return FormChecks.label(value, false, FormChecks.mayConfigure(item));
        }
    }
}
