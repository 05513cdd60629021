package io.jenkins.plugins.gerritml.sagemaker;

import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.sagemaker.DeploySpec;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sagemakerDeploy(endpointName: 'churn-prod', modelArtifact: model.modelArtifact, inferenceImage: '...',
 * roleArn: '...')}: promotes a model to an endpoint once the live Gerrit gate (read from Gerrit at deploy time, not
 * from build parameters) approves, and waits for the endpoint to settle without holding an executor.
 */
public class SageMakerDeployStep extends AwsStep {
    private static final long serialVersionUID = 1L;

    private final String endpointName;
    private String modelArtifact = "";
    private String inferenceImage = "";
    private String modelPackage = "";
    private String roleArn = "";
    private String instanceType = "ml.m5.large";
    private int initialInstanceCount = 1;
    private String variantName = "AllTraffic";
    private Map<String, Object> environment = new LinkedHashMap<>();
    private Map<String, Object> tags = new LinkedHashMap<>();
    private String approvalLabel = "Code-Review";
    private int approvalValue = 2;
    private List<String> approvalGroups = new ArrayList<>();
    private boolean requireMerged = true;

    @DataBoundConstructor
    public SageMakerDeployStep(final String endpointName) {
        this.endpointName = Util.fixNull(endpointName).trim();
    }

    public String getEndpointName() {
        return endpointName;
    }

    public String getModelArtifact() {
        return modelArtifact;
    }

    @DataBoundSetter
    public void setModelArtifact(final String modelArtifact) {
        this.modelArtifact = Util.fixNull(modelArtifact).trim();
    }

    public String getModelPackage() {
        return modelPackage;
    }

    /**
     * A SageMaker model package version (ARN) the model artifact must be the approved version of: refused before
     * anything is created unless it is Approved and holds that artifact; named in the signed promotion record.
     */
    @DataBoundSetter
    public void setModelPackage(final String modelPackage) {
        this.modelPackage = Util.fixNull(modelPackage).trim();
    }

    public String getInferenceImage() {
        return inferenceImage;
    }

    @DataBoundSetter
    public void setInferenceImage(final String inferenceImage) {
        this.inferenceImage = Util.fixNull(inferenceImage).trim();
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(final String roleArn) {
        this.roleArn = Util.fixNull(roleArn).trim();
    }

    public String getInstanceType() {
        return instanceType;
    }

    @DataBoundSetter
    public void setInstanceType(final String instanceType) {
        this.instanceType = Util.fixEmptyAndTrim(instanceType) == null ? "ml.m5.large" : instanceType.trim();
    }

    public int getInitialInstanceCount() {
        return initialInstanceCount;
    }

    @DataBoundSetter
    public void setInitialInstanceCount(final int initialInstanceCount) {
        this.initialInstanceCount = initialInstanceCount;
    }

    public String getVariantName() {
        return variantName;
    }

    @DataBoundSetter
    public void setVariantName(final String variantName) {
        this.variantName = Util.fixEmptyAndTrim(variantName) == null ? "AllTraffic" : variantName.trim();
    }

    public Map<String, Object> getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(final Map<String, Object> environment) {
        this.environment = environment == null ? new LinkedHashMap<>() : new LinkedHashMap<>(environment);
    }

    public Map<String, Object> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(final Map<String, Object> tags) {
        this.tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    public String getApprovalLabel() {
        return approvalLabel;
    }

    @DataBoundSetter
    public void setApprovalLabel(final String approvalLabel) {
        this.approvalLabel = Util.fixEmptyAndTrim(approvalLabel) == null ? "Code-Review" : approvalLabel.trim();
    }

    public int getApprovalValue() {
        return approvalValue;
    }

    @DataBoundSetter
    public void setApprovalValue(final int approvalValue) {
        this.approvalValue = approvalValue;
    }

    public List<String> getApprovalGroups() {
        return approvalGroups;
    }

    @DataBoundSetter
    public void setApprovalGroups(final List<String> approvalGroups) {
        this.approvalGroups = approvalGroups == null ? new ArrayList<>() : new ArrayList<>(approvalGroups);
    }

    public boolean isRequireMerged() {
        return requireMerged;
    }

    @DataBoundSetter
    public void setRequireMerged(final boolean requireMerged) {
        this.requireMerged = requireMerged;
    }

    /** The endpoint spec as core checks it, before any AWS call. */
    DeploySpec toSpec() {
        DeploySpec.Builder spec = DeploySpec.builder().withEndpointName(endpointName).withModelArtifact(modelArtifact)
                .withInferenceImage(inferenceImage).withExecutionRoleArn(roleArn).withInstanceType(instanceType)
                .withInitialInstanceCount(initialInstanceCount).withVariantName(variantName);
        if (getTimeoutMinutes() > 0) {
            spec.withTimeout(Duration.ofMinutes(getTimeoutMinutes()));
        }
        environment.forEach((key, value) -> spec.withEnvironment(key, String.valueOf(value)));
        tags.forEach((key, value) -> spec.withTag(key, String.valueOf(value)));
        return spec.build();
    }

    /** The promotion policy: by default Code-Review+2, merged, not self-approved, on the current patch set. */
    ApprovalPolicy toPolicy() {
        return ApprovalPolicy.builder().withLabel(approvalLabel).withMinimumValue(approvalValue)
                .withGroups(approvalGroups).withMergeRequired(requireMerged).build();
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new SageMakerDeployExecution(this, context);
    }

    /** The {@code sagemakerDeploy} symbol. */
    @Extension
    @Symbol("sagemakerDeploy")
    public static class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "sagemakerDeploy";
        }

        @Override
        public String getDisplayName() {
            return "Promote a model to a SageMaker endpoint behind the Gerrit approval gate";
        }

        /** {@code approvalGroups} comes from a text area, one group per line. */
        @Override
        public org.jenkinsci.plugins.workflow.steps.Step newInstance(final org.kohsuke.stapler.StaplerRequest2 req,
                final net.sf.json.JSONObject form) throws FormException {
            String groups = io.jenkins.plugins.gerritml.util.FormValues.take(form, "approvalGroups");
            SageMakerDeployStep step = (SageMakerDeployStep) super.newInstance(req, form);
            step.setApprovalGroups(io.jenkins.plugins.gerritml.util.FormValues.lines(groups));
            return step;
        }

        /** The form text of {@code approvalGroups}. */
        public String groupsText(final List<String> groups) {
            return io.jenkins.plugins.gerritml.util.FormValues.linesOf(groups);
        }

        @POST
        public FormValidation doCheckEndpointName(@AncestorInPath final Item item,
                @QueryParameter final String value) {
            if (!mayConfigure(item)) {
                return FormValidation.ok();
            }
            return Util.fixEmptyAndTrim(value) != null && value.trim().matches("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
                    ? FormValidation.ok()
                    : FormValidation.error("An endpoint name: letters, digits and dashes, at most 63 characters");
        }

        @POST
        public FormValidation doCheckModelArtifact(@AncestorInPath final Item item,
                @QueryParameter final String value) {
            if (!mayConfigure(item) || Util.fixEmptyAndTrim(value) == null || value.trim().matches("s3://[^/]+/.+")) {
                return FormValidation.ok();
            }
            return FormValidation.error("An S3 URI of the model archive, e.g. s3://ml-artifacts/models/job/output/"
                    + "model.tar.gz (sagemakerTrain returns it as modelArtifact)");
        }

        @POST
        public FormValidation doCheckRoleArn(@AncestorInPath final Item item, @QueryParameter final String value) {
            return checkRoleArn(item, value);
        }
    }
}
