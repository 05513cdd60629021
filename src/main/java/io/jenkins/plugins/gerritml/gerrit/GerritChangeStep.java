package io.jenkins.plugins.gerritml.gerrit;

import hudson.EnvVars;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * {@code def change = gerritChange()}: the build's Gerrit context as a map (project, change, patch set, revision,
 * owner, uploader, approvals, {@code verified}: whether Gerrit's event stream supplied it).
 */
public class GerritChangeStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public GerritChangeStep() {
        // no arguments: the context comes from the build
    }

    @Override
    public StepExecution start(final StepContext context) {
        return new Execution(context);
    }

    /** Reads the cause or the parameters: short, so synchronous. */
    static class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        Execution(final StepContext context) {
            super(context);
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            var change = GerritContexts.of(getContext());
            if (!change.isVerified()) {
                getContext().get(TaskListener.class).getLogger().println("[gerrit-ml] Gerrit context for "
                        + change.getRestId() + " comes from build parameters (unverified): gates re-check it "
                        + "against Gerrit.");
            }
            return change.asMap();
        }
    }

    /** The {@code gerritChange} symbol. */
    @Extension
    @Symbol("gerritChange")
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "gerritChange";
        }

        @Override
        public String getDisplayName() {
            return "Read the Gerrit change this build belongs to";
        }
    }
}
