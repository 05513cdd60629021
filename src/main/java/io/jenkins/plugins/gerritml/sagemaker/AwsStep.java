package io.jenkins.plugins.gerritml.sagemaker;

import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.EnvVars;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gerritml.util.CredentialsListBoxes;
import io.jenkins.plugins.gerritml.util.FormChecks;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.Serializable;
import java.util.Set;

/** What the SageMaker steps share: where AWS is, how to report to Gerrit, how long to wait. */
public abstract class AwsStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String region = "";
    private String awsCredentialsId = "";
    private String assumeRoleArn = "";
    private String endpointOverride = "";
    private int timeoutMinutes;
    private boolean review = true;
    private boolean propagate = true;
    private String gerritCredentialsId = "";

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(final String region) {
        this.region = Util.fixNull(region).trim();
    }

    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    @DataBoundSetter
    public void setAwsCredentialsId(final String awsCredentialsId) {
        this.awsCredentialsId = Util.fixNull(awsCredentialsId);
    }

    public String getAssumeRoleArn() {
        return assumeRoleArn;
    }

    @DataBoundSetter
    public void setAssumeRoleArn(final String assumeRoleArn) {
        this.assumeRoleArn = Util.fixNull(assumeRoleArn).trim();
    }

    public String getEndpointOverride() {
        return endpointOverride;
    }

    @DataBoundSetter
    public void setEndpointOverride(final String endpointOverride) {
        this.endpointOverride = Util.fixNull(endpointOverride).trim();
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(final int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    public boolean isReview() {
        return review;
    }

    @DataBoundSetter
    public void setReview(final boolean review) {
        this.review = review;
    }

    public boolean isPropagate() {
        return propagate;
    }

    @DataBoundSetter
    public void setPropagate(final boolean propagate) {
        this.propagate = propagate;
    }

    public String getGerritCredentialsId() {
        return gerritCredentialsId;
    }

    @DataBoundSetter
    public void setGerritCredentialsId(final String gerritCredentialsId) {
        this.gerritCredentialsId = Util.fixNull(gerritCredentialsId);
    }

    AwsSettings awsSettings() throws hudson.AbortException {
        return AwsSettings.resolve(region, awsCredentialsId, assumeRoleArn, endpointOverride);
    }

    /** Validation and credential lists shared by the SageMaker steps' forms. */
    public abstract static class AwsStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class, FlowNode.class);
        }

        static boolean mayConfigure(final Item item) {
            return FormChecks.mayConfigure(item);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath final Item item, @QueryParameter final String value) {
            return mayConfigure(item) ? FormChecks.region(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckAssumeRoleArn(@AncestorInPath final Item item,
                @QueryParameter final String value) {
            return checkRoleArn(item, value);
        }

        static FormValidation checkRoleArn(final Item item, final String value) {
            return mayConfigure(item) ? FormChecks.roleArn(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckEndpointOverride(@AncestorInPath final Item item,
                @QueryParameter final String value) {
            return mayConfigure(item) ? FormChecks.httpUrl(value, "an endpoint URL, e.g. "
                    + "https://vpce-1.api.sagemaker.eu-west-1.vpce.amazonaws.com") : FormValidation.ok();
        }

        @POST
        @SuppressWarnings("lgtm[jenkins/no-permission-check]") // a number's format only: nothing is read or changed
        public FormValidation doCheckTimeoutMinutes(@QueryParameter final String value) {
            try {
                return Util.fixEmptyAndTrim(value) == null || Integer.parseInt(value.trim()) >= 0
                        ? FormValidation.ok() : FormValidation.error("Minutes, 0 or more (0: the default)");
            } catch (NumberFormatException e) {
                return FormValidation.error("Minutes, 0 or more (0: the default)");
            }
        }

        @POST
        public ListBoxModel doFillAwsCredentialsIdItems(@AncestorInPath final Item item,
                @QueryParameter final String awsCredentialsId) {
            return CredentialsListBoxes.aws(item, awsCredentialsId);
        }

        @POST
        public ListBoxModel doFillGerritCredentialsIdItems(@AncestorInPath final Item item,
                @QueryParameter final String gerritCredentialsId) {
            return CredentialsListBoxes.gerrit(item, gerritCredentialsId);
        }
    }
}
