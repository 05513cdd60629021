package io.jenkins.plugins.gerritml.tensorflow;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Link;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.tensorboard.GateExpression;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsCheck;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsResult;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.util.FormChecks;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tensorflowMetrics(runDirectory: 'logs', gates: ['validation/epoch_accuracy.last >= 0.9'])}: reads the
 * TensorBoard event files the build wrote (on the agent that has them), evaluates the gates against the baseline,
 * votes with the metrics table, and returns the metrics. Reading files is short: synchronous, off the CPS thread.
 */
public class TensorFlowMetricsStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String runDirectory;
    private Object gates;
    private String baselineFile = "";
    private String metricsFile = "tensorflow-metrics.json";
    private String label = "Verified";
    private Map<String, Object> links = new LinkedHashMap<>();
    private boolean review = true;
    private boolean propagate = true;
    private String credentialsId = "";

    @DataBoundConstructor
    public TensorFlowMetricsStep(final String runDirectory) {
        this.runDirectory = Util.fixNull(runDirectory).trim();
    }

    public String getRunDirectory() {
        return runDirectory;
    }

    public Object getGates() {
        return gates;
    }

    /** One gate per line, or a list of gates. */
    @DataBoundSetter
    public void setGates(final Object gates) {
        this.gates = gates instanceof List ? new ArrayList<>((List<?>) gates) : gates;
    }

    public String getBaselineFile() {
        return baselineFile;
    }

    @DataBoundSetter
    public void setBaselineFile(final String baselineFile) {
        this.baselineFile = Util.fixNull(baselineFile).trim();
    }

    public String getMetricsFile() {
        return metricsFile;
    }

    @DataBoundSetter
    public void setMetricsFile(final String metricsFile) {
        this.metricsFile = Util.fixNull(metricsFile).trim();
    }

    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(final String label) {
        this.label = Util.fixEmptyAndTrim(label) == null ? "Verified" : label.trim();
    }

    public Map<String, Object> getLinks() {
        return links;
    }

    @DataBoundSetter
    public void setLinks(final Map<String, Object> links) {
        this.links = links == null ? new LinkedHashMap<>() : new LinkedHashMap<>(links);
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

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId);
    }

    /** The gates as core's one-per-line text (also what the form's text area shows). */
    public String gateLines() {
        if (gates instanceof List) {
            List<String> lines = new ArrayList<>();
            ((List<?>) gates).forEach(g -> lines.add(String.valueOf(g)));
            return String.join("\n", lines);
        }
        return gates == null ? "" : String.valueOf(gates);
    }

    /** Everything core can check before a file is read: gates, label, links. */
    CheckSettings settings() {
        Map<String, String> linkMap = new LinkedHashMap<>();
        links.forEach((title, url) -> linkMap.put(title, String.valueOf(url)));
        if (runDirectory.isEmpty()) {
            throw new IllegalArgumentException("runDirectory is required: the TensorBoard log directory, relative to "
                    + "the workspace, e.g. 'logs'");
        }
        CheckSettings settings = new CheckSettings(runDirectory, gateLines(), baselineFile, metricsFile, label,
                linkMap);
        settings.toCheck(Path.of(".")); // throws naming the bad gate, label or link
        return settings;
    }

    @Override
    public StepExecution start(final StepContext context) throws Exception {
        io.jenkins.plugins.gerritml.gerrit.TriggerVotes.check(context, "tensorflowMetrics", review ? label : null);
        return new Execution(this, context);
    }

    /** What the agent needs to run the check: plain strings only. */
    static final class CheckSettings implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String runDirectory;
        private final String gateLines;
        private final String baselineFile;
        private final String metricsFile;
        private final String label;
        private final LinkedHashMap<String, String> links;

        CheckSettings(final String runDirectory, final String gateLines, final String baselineFile,
                final String metricsFile, final String label, final Map<String, String> links) {
            this.runDirectory = runDirectory;
            this.gateLines = gateLines;
            this.baselineFile = baselineFile;
            this.metricsFile = metricsFile;
            this.label = label;
            this.links = new LinkedHashMap<>(links);
        }

        TensorFlowMetricsCheck toCheck(final Path workspace) {
            TensorFlowMetricsCheck.Builder check = TensorFlowMetricsCheck.builder()
                    .withRunDirectory(workspace.resolve(runDirectory)).withGateLines(gateLines).withLabel(label);
            if (!baselineFile.isEmpty()) {
                check.withBaselineFile(workspace.resolve(baselineFile));
            }
            if (!metricsFile.isEmpty()) {
                check.withMetricsFile(workspace.resolve(metricsFile));
            }
            links.forEach(check::withLink);
            return check.build();
        }
    }

    /** The check's answer as it crosses back from the agent: the review's parts and the result map. */
    static final class Outcome implements Serializable {
        private static final long serialVersionUID = 1L;
        private final boolean passed;
        private final LinkedHashMap<String, Integer> labels;
        private final String message;
        private final String context;
        private final ArrayList<String[]> links = new ArrayList<>();
        /** The Checks tab's line, as rendered (null in an outcome saved before the tab existed). */
        private final String check;
        private final LinkedHashMap<String, Object> result;

        Outcome(final TensorFlowMetricsResult checked) {
            Review review = checked.toReview();
            this.passed = checked.isPassed();
            this.labels = new LinkedHashMap<>(review.getLabels());
            this.message = review.getMessage();
            this.context = review.getContext();
            for (Link link : review.getLinks()) {
                links.add(new String[] {link.getTitle(), link.getUrl()});
            }
            this.check = review.getCheck().map(CheckBlock::render).orElse(null);
            this.result = new LinkedHashMap<>(checked.asMap());
        }

        /** The same review, rebuilt on the controller. */
        Review review() {
            Review.Builder review = Review.builder().withLabels(labels).withMessage(message).withContext(context);
            links.forEach(link -> review.withLink(link[0], link[1]));
            CheckBlock.find(check).ifPresent(review::withCheck);
            return review.build();
        }
    }

    /** Runs on the agent that holds the workspace: event files are never copied. */
    static final class RunCheck extends MasterToSlaveFileCallable<Outcome> {
        private static final long serialVersionUID = 1L;
        private final CheckSettings settings;

        RunCheck(final CheckSettings settings) {
            this.settings = settings;
        }

        @Override
        public Outcome invoke(final File workspace, final VirtualChannel channel) throws IOException {
            return new Outcome(settings.toCheck(workspace.toPath()).run());
        }
    }

    /** Reading a few event files: short, so synchronous (on its own thread, not the CPS thread). */
    static class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
                justification = "Only read by run() in this JVM: a synchronous execution does not resume after a "
                        + "restart (SynchronousResumeNotSupportedException), so nothing reads it deserialized.")
        private final transient TensorFlowMetricsStep step;

        Execution(final TensorFlowMetricsStep step, final StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            CheckSettings settings;
            try {
                settings = step.settings();
            } catch (IllegalArgumentException e) {
                throw new AbortException("tensorflowMetrics: " + e.getMessage());
            }
            FilePath workspace = getContext().get(FilePath.class);
            Outcome outcome;
            try {
                outcome = workspace.act(new RunCheck(settings));
            } catch (IOException e) {
                throw new AbortException("tensorflowMetrics: " + e.getMessage());
            } catch (RuntimeException e) {
                // UnknownMetricException, EventFileFormatException: the message names the metric or the file
                throw new AbortException("tensorflowMetrics: " + e.getMessage());
            }
            listener.getLogger().println("[tensorflow] " + outcome.message.strip().replace("\n", "\n[tensorflow] "));
            Map<String, String> links = new LinkedHashMap<>();
            outcome.links.forEach(link -> links.put(link[0], link[1]));
            Map<String, String> details = new LinkedHashMap<>();
            for (Object gate : (List<?>) outcome.result.get("gates")) {
                Map<?, ?> g = (Map<?, ?>) gate;
                details.put(String.valueOf(g.get("gate")), g.get("status") + " (value " + g.get("value") + ")");
            }
            LineageAction.of(run).record(new LineageAction.Entry("TensorFlow metrics", step.runDirectory,
                    outcome.passed ? "passed" : "FAILED", links, details));
            ReviewDelivery review = step.review ? GerritReviews.deliver(run, getContext().get(EnvVars.class),
                    listener, outcome.review(), step.credentialsId) : ReviewDelivery.notRequested();
            signLineage(run, listener, outcome);
            if (!outcome.passed && step.propagate) {
                throw new AbortException("tensorflowMetrics: gates failed in " + step.runDirectory + " (see the "
                        + "table above)" + (review.isLost() ? "; the review could not be posted: "
                        + review.getMessage() : ""));
            }
            // A review reviewers never saw fails the step or marks the build unstable, as the administrator chose.
            switch (GerritMlConfiguration.get().lostReviewPolicy().statusFor(review)) {
                case FAILURE:
                    throw new AbortException("tensorflowMetrics: the review could not be posted: "
                            + review.getMessage());
                case UNSTABLE:
                    listener.error("[tensorflow] The review could not be posted: " + review.getMessage() + ". The "
                            + "build is marked unstable, as the global configuration says for a review that cannot "
                            + "be posted.");
                    run.setResult(hudson.model.Result.UNSTABLE);
                    break;
                default:
                    break;
            }
            Map<String, Object> result = new LinkedHashMap<>(outcome.result);
            result.putAll(review.asFields());
            return result;
        }

        /**
         * A signed lineage record when a key is configured. It names the change, so it needs a Gerrit context; a
         * build without one (review: false outside Gerrit) just says why nothing was signed.
         */
        private void signLineage(final Run<?, ?> run, final TaskListener listener, final Outcome outcome)
                throws IOException, InterruptedException {
            if (Util.fixEmptyAndTrim(io.jenkins.plugins.gerritml.config.GerritMlConfiguration.get()
                    .getLineageKeyCredentialsId()) == null) {
                return;
            }
            io.jenkins.plugins.gerritml.core.gerrit.GerritChange change;
            try {
                change = io.jenkins.plugins.gerritml.gerrit.GerritContexts.of(run, getContext().get(EnvVars.class));
            } catch (AbortException e) {
                listener.getLogger().println("[tensorflow] no signed lineage record: this build has no Gerrit change ("
                        + e.getMessage() + ")");
                return;
            }
            Map<String, Double> lastValues = new LinkedHashMap<>();
            ((Map<?, ?>) outcome.result.get("metrics")).forEach((name, values) -> {
                Object last = ((Map<?, ?>) values).get("last");
                lastValues.put(String.valueOf(name), last instanceof Number ? ((Number) last).doubleValue() : null);
            });
            io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver.archiveIfConfigured(run, listener, change,
                    io.jenkins.plugins.gerritml.core.pipeline.LineageJob.builder().withBackend("tensorflow")
                            .withId(run.getExternalizableId() + "/" + step.runDirectory).build(), List.of(), lastValues);
        }
    }

    /** The {@code tensorflowMetrics} symbol. */
    @Extension
    @Symbol("tensorflowMetrics")
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class, FilePath.class);
        }

        @Override
        public String getFunctionName() {
            return "tensorflowMetrics";
        }

        @Override
        public String getDisplayName() {
            return "Gate a change on TensorFlow metrics (TensorBoard event files)";
        }

        @org.kohsuke.stapler.verb.POST
        public hudson.util.ListBoxModel doFillCredentialsIdItems(
                @org.kohsuke.stapler.AncestorInPath final hudson.model.Item item,
                @QueryParameter final String credentialsId) {
            return io.jenkins.plugins.gerritml.util.CredentialsListBoxes.gerrit(item, credentialsId);
        }

        @POST
        public FormValidation doCheckGates(@AncestorInPath final Item item, @QueryParameter final String value) {
            if (!FormChecks.mayConfigure(item)) {
                return FormValidation.ok();
            }
            try {
                GateExpression.parseLines(Util.fixNull(value));
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckRunDirectory(@QueryParameter final String value) {
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("The TensorBoard log directory, relative "
                    + "to the workspace, e.g. logs") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLabel(@AncestorInPath final Item item, @QueryParameter final String value) {
            return FormChecks.label(value, false, FormChecks.mayConfigure(item));
        }
    }
}
