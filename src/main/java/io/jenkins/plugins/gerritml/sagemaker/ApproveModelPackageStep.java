package io.jenkins.plugins.gerritml.sagemaker;

import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelRegistry;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelVersion;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.RepositoryPolicyChecks;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code approveModelPackage(modelPackageGroup: 'churn')}: mirrors the review into the Model Registry after the model
 * was trained, as the engine's {@link ModelRegistry#mirrorReview} decides: after {@code requireGerritApproval} passed
 * for the build's patch set, the version trained from that patch set is approved (in the session of the role to
 * assume, whose SourceIdentity is the approver); on an abandoned change, the change's versions are rejected.
 */
public class ApproveModelPackageStep extends AwsStep {
    private static final long serialVersionUID = 1L;

    private String modelPackageGroup = "";

    @DataBoundConstructor
    public ApproveModelPackageStep() {
        // the group defaults to the repository policy's modelPackageGroup
    }

    public String getModelPackageGroup() {
        return modelPackageGroup;
    }

    /** The Model Package Group; empty uses {@code modelPackageGroup} of the repository policy. */
    @DataBoundSetter
    public void setModelPackageGroup(final String modelPackageGroup) {
        this.modelPackageGroup = Util.fixNull(modelPackageGroup).trim();
    }

    @Override
    public StepExecution start(final StepContext context) throws Exception {
        return new Execution(this, context, awsSettings());
    }

    /** A few AWS and Gerrit calls: short, so synchronous. */
    static class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String group;
        private final String gerritCredentialsId;
        private final AwsSettings aws;

        Execution(final ApproveModelPackageStep step, final StepContext context, final AwsSettings aws) {
            super(context);
            this.group = step.getModelPackageGroup();
            this.gerritCredentialsId = step.getGerritCredentialsId();
            this.aws = aws;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            GerritChange change = GerritContexts.of(getContext());
            String named = RepositoryPolicyChecks.modelPackageGroup(run, change, gerritCredentialsId, group);
            if (named.isEmpty()) {
                throw new AbortException("approveModelPackage: no Model Package Group: pass modelPackageGroup: "
                        + "'churn' or name it as modelPackageGroup in .gerrit-ml.yaml on the target branch");
            }
            TrainingContext context = SageMakerTrainExecution.context(run, change);
            LiveChange.Status status = new GerritRestClient(GerritContexts.restConfig(run, change,
                    gerritCredentialsId)).getChange(change.getRestId()).getStatus();
            ApprovalAction approval = run.getAction(ApprovalAction.class);
            String approvedAs = approval == null ? "" : ModelRegistry.approvedAs(context, approval.getPatchSet(),
                    approval.getCoreApprovals());
            ModelRegistry.Mirrored mirrored;
            try (AwsClients clients = AwsClients.create(aws.connect(run, context))) {
                mirrored = new ModelRegistry(clients.sageMaker()).mirrorReview(named, context, status, approvedAs);
            }
            mirrored.describe().forEach(line -> listener.getLogger().println("[gerrit-ml] " + line));
            if (!mirrored.isMirrored()) {
                throw new AbortException(String.join("; ", mirrored.describe()));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("approved", mirrored.getApproved().map(ModelVersion::getArn).orElse(""));
            result.put("rejected", mirrored.getRejected().stream().map(ModelVersion::getArn)
                    .collect(Collectors.toList()));
            return result;
        }
    }

    /** The {@code approveModelPackage} symbol. */
    @Extension
    @Symbol("approveModelPackage")
    public static class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "approveModelPackage";
        }

        @Override
        public String getDisplayName() {
            return "Mirror the Gerrit review into the SageMaker Model Registry";
        }
    }
}
