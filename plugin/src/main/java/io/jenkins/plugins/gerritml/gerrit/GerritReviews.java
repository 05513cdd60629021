package io.jenkins.plugins.gerritml.gerrit;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import jenkins.model.Jenkins;

/** Posts a review a backend worded to the build's change, with a link back to the build. */
public final class GerritReviews {
    private GerritReviews() {
    }

    /**
     * Posts {@code review} to the patch set the build belongs to. A failure to post is logged, not thrown: the remote
     * work is done and its result must still reach the script; the build log says why Gerrit did not get it.
     *
     * @return whether Gerrit accepted the review
     */
    public static boolean post(final Run<?, ?> run, final EnvVars env, final TaskListener listener,
            final Review review, final String credentialsId) {
        ReviewDelivery delivery = deliver(run, env, listener, review, credentialsId);
        if (delivery.isLost()) {
            listener.error("[gerrit-ml] Could not post the review to Gerrit: " + delivery.getMessage());
        }
        return !delivery.isLost();
    }

    /**
     * Posts {@code review} (with the client's retries) and says whether it arrived: a lost review is for the caller to
     * report (the lifecycle fails the step or marks it unstable), never only a log line.
     */
    public static ReviewDelivery deliver(final Run<?, ?> run, final EnvVars env, final TaskListener listener,
            final Review review, final String credentialsId) {
        try {
            GerritChange change = GerritContexts.of(run, env);
            Review withBuild = Jenkins.get().getRootUrl() == null ? review
                    : review.withAppendedLink("Build", run.getAbsoluteUrl());
            GerritContexts.checkVote(change, withBuild);
            GerritRestClient client = new GerritRestClient(GerritContexts.restConfig(run, change, credentialsId),
                    GerritRestClient.DEFAULT_ATTEMPTS, GerritRestClient.DEFAULT_BACKOFF,
                    line -> listener.getLogger().println("[gerrit-ml] " + line));
            client.postReview(change, withBuild);
            listener.getLogger().println("[gerrit-ml] Posted " + withBuild.getLabels() + " (" + withBuild.getTag()
                    + ") to " + change.getRestId() + " patch set " + change.getPatchSetNumber());
            return ReviewDelivery.posted(withBuild.getLabels() + " to " + change.getRestId() + " patch set "
                    + change.getPatchSetNumber());
        } catch (AbortException | GerritRestException | IllegalArgumentException e) {
            return ReviewDelivery.lost(String.valueOf(e.getMessage()));
        }
    }
}
