package io.jenkins.plugins.gerritml.prefect;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.core.prefect.DeploymentRef;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.util.FormChecks;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code def run = prefectFlowRun(deployment: 'train-model/gerrit-ml', parameters: [epochs: 3])}: runs a Prefect
 * deployment for the build's patch set and waits for the flow run without holding an executor, across controller
 * restarts; an aborted build cancels the run.
 */
public class PrefectFlowRunStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String deployment;
    private String server = "";
    private Map<String, Object> parameters = new LinkedHashMap<>();
    private List<String> tags = new ArrayList<>();
    private List<String> datasets = new ArrayList<>();
    private String runName = "";
    private String workQueue = "";
    private Map<String, Object> jobVariables = new LinkedHashMap<>();
    private int timeoutMinutes = 60;
    private boolean review = true;
    private String label = "Verified";
    private boolean propagate = true;
    private boolean cancelOnNewPatchSet = true;
    private String credentialsId = "";

    @DataBoundConstructor
    public PrefectFlowRunStep(final String deployment) {
        this.deployment = Util.fixNull(deployment).trim();
    }

    public String getDeployment() {
        return deployment;
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(final String server) {
        this.server = Util.fixNull(server).trim();
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    @DataBoundSetter
    public void setParameters(final Map<String, Object> parameters) {
        this.parameters = parameters == null ? new LinkedHashMap<>() : new LinkedHashMap<>(parameters);
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(final List<String> tags) {
        this.tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
    }

    public List<String> getDatasets() {
        return datasets;
    }

    /** The data the flow reads, checked against the repository policy before the run is created. */
    @DataBoundSetter
    public void setDatasets(final List<String> datasets) {
        this.datasets = datasets == null ? new ArrayList<>() : new ArrayList<>(datasets);
    }

    public String getRunName() {
        return runName;
    }

    @DataBoundSetter
    public void setRunName(final String runName) {
        this.runName = Util.fixNull(runName).trim();
    }

    public String getWorkQueue() {
        return workQueue;
    }

    @DataBoundSetter
    public void setWorkQueue(final String workQueue) {
        this.workQueue = Util.fixNull(workQueue).trim();
    }

    public Map<String, Object> getJobVariables() {
        return jobVariables;
    }

    @DataBoundSetter
    public void setJobVariables(final Map<String, Object> jobVariables) {
        this.jobVariables = jobVariables == null ? new LinkedHashMap<>() : new LinkedHashMap<>(jobVariables);
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

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(final String label) {
        this.label = Util.fixEmptyAndTrim(label) == null ? "Verified" : label.trim();
    }

    public boolean isPropagate() {
        return propagate;
    }

    @DataBoundSetter
    public void setPropagate(final boolean propagate) {
        this.propagate = propagate;
    }

    public boolean isCancelOnNewPatchSet() {
        return cancelOnNewPatchSet;
    }

    /** Stop the remote job when its patch set is superseded or its change abandoned (default true). */
    @DataBoundSetter
    public void setCancelOnNewPatchSet(final boolean cancelOnNewPatchSet) {
        this.cancelOnNewPatchSet = cancelOnNewPatchSet;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId);
    }

    /** The configured server this step names, or the only one configured. */
    PrefectServer resolveServer() throws AbortException {
        List<PrefectServer> servers = GerritMlConfiguration.get().getPrefectServers();
        if (server.isEmpty()) {
            if (servers.size() == 1) {
                return servers.get(0);
            }
            throw new AbortException("prefectFlowRun: name the Prefect server with server: '...' ("
                    + (servers.isEmpty() ? "none is configured: add one in Manage Jenkins → System → Gerrit ML "
                    + "Pipelines" : "configured: " + names(servers)) + ")");
        }
        return GerritMlConfiguration.get().findPrefectServer(server).orElseThrow(() -> new AbortException(
                "prefectFlowRun: no Prefect server named '" + server + "' (configured: " + names(servers) + ")"));
    }

    private static String names(final List<PrefectServer> servers) {
        List<String> names = new ArrayList<>();
        servers.forEach(s -> names.add(s.getName()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** The request as core checks it, before any call to Prefect. */
    FlowRunRequest toRequest(final int change, final int patchSet, final String project, final List<String> approvers,
            final String idempotencyKey) {
        if (timeoutMinutes <= 0) {
            throw new IllegalArgumentException("timeoutMinutes: must be positive, was " + timeoutMinutes);
        }
        FlowRunRequest.Builder request = FlowRunRequest.builder().withDeployment(deployment)
                .withParameters(parameters).withTags(tags).withName(runName).withWorkQueue(workQueue)
                .withJobVariables(jobVariables).withTimeout(Duration.ofMinutes(timeoutMinutes))
                .withIdempotencyKey(idempotencyKey);
        if (change > 0) {
            request.withGerritContext(project, change, patchSet, approvers);
        }
        return request.build();
    }

    @Override
    public StepExecution start(final StepContext context) throws Exception {
        JenkinsPrefectConnection.checkFolder(resolveServer(), context.get(Run.class));
        io.jenkins.plugins.gerritml.gerrit.TriggerVotes.check(context, "prefectFlowRun", review ? label : null);
        return new PrefectFlowRunExecution(this, context);
    }

    /** The {@code prefectFlowRun} symbol. */
    @Extension
    @Symbol("prefectFlowRun")
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class, FlowNode.class);
        }

        @Override
        public String getFunctionName() {
            return "prefectFlowRun";
        }

        @Override
        public String getDisplayName() {
            return "Run a Prefect deployment and wait for the flow run";
        }

        @org.kohsuke.stapler.verb.POST
        public hudson.util.ListBoxModel doFillCredentialsIdItems(
                @org.kohsuke.stapler.AncestorInPath final hudson.model.Item item,
                @QueryParameter final String credentialsId) {
            return io.jenkins.plugins.gerritml.util.CredentialsListBoxes.gerrit(item, credentialsId);
        }

        @POST
        public FormValidation doCheckDeployment(@AncestorInPath final Item item, @QueryParameter final String value) {
            if (!FormChecks.mayConfigure(item)) {
                return FormValidation.ok();
            }
            try {
                DeploymentRef.valueOf(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        @SuppressWarnings("lgtm[jenkins/no-permission-check]") // a number's format only: nothing is read or changed
        public FormValidation doCheckTimeoutMinutes(@QueryParameter final String value) {
            try {
                return Integer.parseInt(Util.fixNull(value).trim()) > 0 ? FormValidation.ok()
                        : FormValidation.error("A positive number of minutes");
            } catch (NumberFormatException e) {
                return FormValidation.error("A positive number of minutes");
            }
        }

        @POST
        public FormValidation doCheckLabel(@AncestorInPath final Item item, @QueryParameter final String value) {
            return FormChecks.label(value, true, FormChecks.mayConfigure(item));
        }

        @POST
        public ListBoxModel doFillServerItems(@AncestorInPath final Item item) {
            ListBoxModel items = new ListBoxModel();
            items.add("(the only configured server)", "");
            if (!FormChecks.mayConfigure(item)) {
                return items;
            }
            for (PrefectServer server : GerritMlConfiguration.get().getPrefectServers()) {
                items.add(server.getName() + " (" + server.getApiUrl() + ")", server.getName());
            }
            return items;
        }
    }
}
