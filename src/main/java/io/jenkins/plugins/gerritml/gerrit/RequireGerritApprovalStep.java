package io.jenkins.plugins.gerritml.gerrit;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code requireGerritApproval(label: 'Code-Review', value: 2, groups: ['ML Approvers'], merged: true)}: the live gate.
 * {@code submitRequirements: ['all']} (or names) also requires Gerrit's own submit requirements.
 * Reads the change from Gerrit (never trusting build parameters), fails the build with every refusal, and returns
 * the approvals that passed (who, label, value, date, patch set).
 */
public class RequireGerritApprovalStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String label = "Code-Review";
    private int value = 2;
    private List<String> groups = new ArrayList<>();
    private boolean merged;
    private boolean allowSelfApproval;
    private boolean currentPatchSet = true;
    private String branch = "";
    private String credentialsId = "";
    private List<String> submitRequirements = new ArrayList<>();

    @DataBoundConstructor
    public RequireGerritApprovalStep() {
        // defaults: Code-Review+2, not self-approved, on the current patch set
    }

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(final String label) {
        this.label = Util.fixEmptyAndTrim(label) == null ? "Code-Review" : label.trim();
    }

    public int getValue() {
        return value;
    }

    @DataBoundSetter
    public void setValue(final int value) {
        this.value = value;
    }

    public List<String> getGroups() {
        return groups;
    }

    @DataBoundSetter
    public void setGroups(final List<String> groups) {
        this.groups = groups == null ? new ArrayList<>() : new ArrayList<>(groups);
    }

    public boolean isMerged() {
        return merged;
    }

    @DataBoundSetter
    public void setMerged(final boolean merged) {
        this.merged = merged;
    }

    public boolean isAllowSelfApproval() {
        return allowSelfApproval;
    }

    @DataBoundSetter
    public void setAllowSelfApproval(final boolean allowSelfApproval) {
        this.allowSelfApproval = allowSelfApproval;
    }

    public boolean isCurrentPatchSet() {
        return currentPatchSet;
    }

    @DataBoundSetter
    public void setCurrentPatchSet(final boolean currentPatchSet) {
        this.currentPatchSet = currentPatchSet;
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(final String branch) {
        this.branch = Util.fixNull(branch).trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId);
    }

    public List<String> getSubmitRequirements() {
        return submitRequirements;
    }

    /** Gerrit submit requirements that must permit submit: their names, or {@code ['all']}; empty checks none. */
    @DataBoundSetter
    public void setSubmitRequirements(final List<String> submitRequirements) {
        this.submitRequirements = submitRequirements == null ? new ArrayList<>() : new ArrayList<>(submitRequirements);
    }

    /** The policy as core validates it: a bad label, value or branch glob fails before any call. */
    ApprovalPolicy toPolicy() {
        return ApprovalPolicy.builder().withLabel(label).withMinimumValue(value).withGroups(groups)
                .withMergeRequired(merged).withSelfApprovalAllowed(allowSelfApproval)
                .withCurrentPatchSetRequired(currentPatchSet).withBranchPattern(branch)
                .withSubmitRequirements(submitRequirements).build();
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new Execution(this, context);
    }

    /** Two or three REST reads: short, so synchronous. */
    static class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;
        @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
                justification = "Only read by run() in this JVM: a synchronous execution does not resume after a "
                        + "restart (SynchronousResumeNotSupportedException), so nothing reads it deserialized.")
        private final transient RequireGerritApprovalStep step;

        Execution(final RequireGerritApprovalStep step, final StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected List<Map<String, Object>> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            ApprovalPolicy policy;
            try {
                policy = step.toPolicy();
            } catch (IllegalArgumentException e) {
                throw new AbortException("requireGerritApproval: " + e.getMessage());
            }
            GerritChange change = GerritContexts.of(getContext());
            GerritRestClient client = new GerritRestClient(GerritContexts.restConfig(run, change, step.credentialsId),
                    GerritRestClient.DEFAULT_ATTEMPTS, GerritRestClient.DEFAULT_BACKOFF,
                    line -> listener.getLogger().println("[gerrit-ml] " + line));
            ApprovalDecision decision;
            try {
                decision = new ApprovalGate(client).check(change, policy);
            } catch (GerritRestException e) {
                throw new AbortException("requireGerritApproval: " + e.getMessage());
            }
            listener.getLogger().println("[gerrit-ml] " + decision.summary());
            if (!decision.isApproved()) {
                throw new AbortException(decision.summary());
            }
            run.addOrReplaceAction(new io.jenkins.plugins.gerritml.lineage.ApprovalAction(decision));
            List<Map<String, Object>> approvals = new ArrayList<>();
            for (Approval approval : decision.getApprovals()) {
                approvals.add(approval.asMap());
            }
            return approvals;
        }
    }

    /** The {@code requireGerritApproval} symbol. */
    @Extension
    @Symbol("requireGerritApproval")
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "requireGerritApproval";
        }

        @Override
        public String getDisplayName() {
            return "Require an approval on the Gerrit change (checked live)";
        }

        /** {@code groups} comes from a text area, one group per line. */
        @Override
        public org.jenkinsci.plugins.workflow.steps.Step newInstance(final org.kohsuke.stapler.StaplerRequest2 req,
                final net.sf.json.JSONObject form) throws FormException {
            String groups = io.jenkins.plugins.gerritml.util.FormValues.take(form, "groups");
            RequireGerritApprovalStep step = (RequireGerritApprovalStep) super.newInstance(req, form);
            step.setGroups(io.jenkins.plugins.gerritml.util.FormValues.lines(groups));
            return step;
        }

        /** The form text of {@code groups}. */
        public String groupsText(final List<String> groups) {
            return io.jenkins.plugins.gerritml.util.FormValues.linesOf(groups);
        }

        @org.kohsuke.stapler.verb.POST
        public hudson.util.ListBoxModel doFillCredentialsIdItems(
                @org.kohsuke.stapler.AncestorInPath final hudson.model.Item item,
                @QueryParameter final String credentialsId) {
            return io.jenkins.plugins.gerritml.util.CredentialsListBoxes.gerrit(item, credentialsId);
        }

        @org.kohsuke.stapler.verb.POST
        public FormValidation doCheckValue(@QueryParameter final int value) {
            return value == 1 || value == 2 ? FormValidation.ok()
                    : FormValidation.error("An approval is a positive vote: 1 or 2");
        }

        @org.kohsuke.stapler.verb.POST
        public FormValidation doCheckBranch(@QueryParameter final String value) {
            try {
                ApprovalPolicy.builder().withBranchPattern(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
