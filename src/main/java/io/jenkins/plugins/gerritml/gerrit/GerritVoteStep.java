package io.jenkins.plugins.gerritml.gerrit;

import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.pipeline.Watchers;
import io.jenkins.plugins.gerritml.util.BuildLinks;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * {@code gerritVote(labels: [Verified: 1], message: 'Trained', links: [Model: 's3://...'])}: posts a review on the
 * patch set this build belongs to, with a link back to the build.
 */
public class GerritVoteStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private Map<String, Object> labels = new LinkedHashMap<>();
    private String message = "";
    private Object links;
    private String context = "jenkins";
    private String notify = "";
    private String credentialsId = "";
    private boolean linkBuild = true;

    @DataBoundConstructor
    public GerritVoteStep() {
        // every argument is optional; core refuses an empty review
    }

    public Map<String, Object> getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(final Map<String, Object> labels) {
        this.labels = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
    }

    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(final String message) {
        this.message = Util.fixNull(message);
    }

    public Object getLinks() {
        return links;
    }

    @DataBoundSetter
    public void setLinks(final Object links) {
        this.links = links;
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(final String context) {
        this.context = Util.fixEmptyAndTrim(context) == null ? "jenkins" : context.trim();
    }

    public String getNotify() {
        return notify;
    }

    @DataBoundSetter
    public void setNotify(final String notify) {
        this.notify = Util.fixNull(notify).trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId);
    }

    public boolean isLinkBuild() {
        return linkBuild;
    }

    @DataBoundSetter
    public void setLinkBuild(final boolean linkBuild) {
        this.linkBuild = linkBuild;
    }

    /** The review as core checks it: bad labels, values or links fail here, before any call to Gerrit. */
    Review toReview(final String buildUrl) {
        Review.Builder review = Review.builder().withLabelsFrom(labels).withMessage(message).withLinksFrom(links)
                .withContext(context);
        if (!notify.isEmpty()) {
            review.withNotify(Review.Notify.valueOf(notify.toUpperCase(java.util.Locale.ROOT)));
        }
        Review asked = review.build(); // refuses a review that says nothing, before the build's link is added
        return linkBuild && buildUrl != null ? asked.withAppendedLink("Build", buildUrl) : asked;
    }

    @Override
    public StepExecution start(final StepContext context) throws Exception {
        TriggerVotes.check(context.get(Run.class), "gerritVote", labels.keySet());
        return new Execution(this, context);
    }

    /**
     * Posts through the build's outbox on the controller's executor, retrying while Gerrit is down, and holds no
     * thread of the build. After a controller restart it delivers the same outbox entry again: the vote lands once.
     */
    static class Execution extends AbstractStepExecutionImpl {
        private static final long serialVersionUID = 1L;
        /** Kept so that a resumed execution rebuilds the same review (null in builds saved by older versions). */
        private final GerritVoteStep step;
        private transient volatile Future<?> delivery;

        Execution(final GerritVoteStep step, final StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() {
            deliver();
            return false;
        }

        @Override
        public void onResume() {
            if (step == null) {
                getContext().onFailure(new hudson.AbortException("gerritVote: Jenkins restarted while an older "
                        + "version of this step posted; look at the change, and run the build again if no vote is there"));
                return;
            }
            deliver();
        }

        @Override
        public void stop(final Throwable cause) {
            Future<?> running = delivery;
            if (running != null) {
                running.cancel(true); // the outbox entry stays; nothing is posted after this
            }
            getContext().onFailure(cause);
        }

        @Override
        public String getStatus() {
            return "posting the review through the build's outbox (retried while Gerrit is unreachable)";
        }

        private void deliver() {
            FutureTask<Void> task = new FutureTask<>(() -> {
                try {
                    getContext().onSuccess(post());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stopped: stop() ended the step
                } catch (Exception e) {
                    getContext().onFailure(e);
                }
            }, null);
            delivery = task;
            try {
                Watchers.runtime().executor().execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                getContext().onFailure(new hudson.AbortException("gerritVote: cannot post now (Jenkins is shutting "
                        + "down?); the review stays owed in the build's outbox"));
            }
        }

        private Map<String, Integer> post() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            GerritChange change = GerritContexts.of(getContext());
            Review review;
            try {
                review = step.toReview(BuildLinks.of(run));
            } catch (IllegalArgumentException e) {
                throw new hudson.AbortException("gerritVote: " + e.getMessage());
            }
            io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry entry;
            try { // through the build's outbox: retried while Gerrit is down, never posted twice
                entry = GerritReviews.send(run, change, review, step.credentialsId, listener);
            } catch (hudson.AbortException e) {
                throw new hudson.AbortException("gerritVote: " + e.getMessage()); // e.g. a missing credential
            } catch (GerritRestException e) {
                throw new hudson.AbortException("gerritVote: " + e.getMessage());
            }
            if (entry.getState() != io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry.State.DONE) {
                throw new hudson.AbortException("gerritVote: " + entry.getOutcome());
            }
            listener.getLogger().println("[gerrit-ml] Posted " + review.describeVotes() + " to " + change.getRestId()
                    + " patch set " + change.getPatchSetNumber());
            return review.getLabels();
        }
    }

    /** The {@code gerritVote} symbol. */
    @Extension
    @Symbol("gerritVote")
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, EnvVars.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "gerritVote";
        }

        @Override
        public String getDisplayName() {
            return "Vote on the Gerrit change with a message and links";
        }

        /** {@code labels} comes from a text area, {@code Label=value} per line. */
        @Override
        public Step newInstance(final org.kohsuke.stapler.StaplerRequest2 req, final net.sf.json.JSONObject form)
                throws FormException {
            String labels = io.jenkins.plugins.gerritml.util.FormValues.take(form, "labels");
            GerritVoteStep step = (GerritVoteStep) super.newInstance(req, form);
            step.setLabels(io.jenkins.plugins.gerritml.util.FormValues.labels(labels));
            return step;
        }

        /** The form text of {@code labels}. */
        public String labelsText(final Map<String, Object> labels) {
            return io.jenkins.plugins.gerritml.util.FormValues.labelsOf(labels);
        }

        @org.kohsuke.stapler.verb.POST
        public hudson.util.ListBoxModel doFillCredentialsIdItems(
                @org.kohsuke.stapler.AncestorInPath final hudson.model.Item item,
                @QueryParameter final String credentialsId) {
            return io.jenkins.plugins.gerritml.util.CredentialsListBoxes.gerrit(item, credentialsId);
        }

        @org.kohsuke.stapler.verb.POST
        public FormValidation doCheckContext(@QueryParameter final String value) {
            return Util.fixEmptyAndTrim(value) == null || value.trim().matches("[a-z0-9][a-z0-9._-]*")
                    ? FormValidation.ok()
                    : FormValidation.error("Lower-case letters, digits, dots, dashes or underscores, e.g. sagemaker");
        }

        @org.kohsuke.stapler.verb.POST
        public hudson.util.ListBoxModel doFillNotifyItems() {
            hudson.util.ListBoxModel items = new hudson.util.ListBoxModel();
            items.add("Default (owner on negative votes, else nobody)", "");
            for (Review.Notify notify : Review.Notify.values()) {
                items.add(notify.name(), notify.name());
            }
            return items;
        }
    }
}
