package io.jenkins.plugins.gerritml.gerrit;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.FileOutboxStore;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry;
import io.jenkins.plugins.gerritml.core.gerrit.OutboxGerrit;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.ReviewOutbox;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.util.BuildLinks;
import jenkins.util.SystemProperties;

import java.io.File;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Posts a review a backend worded to the build's change, with a link back to the build, through core's
 * {@link ReviewOutbox} kept with the build ({@value #OUTBOX_FOLDER} in the build's folder): written before it is
 * posted, marked done after, so a controller restart or a Gerrit outage neither loses nor doubles it.
 */
public final class GerritReviews {
    /** The build's outbox folder: one JSON file per review the build owes or owed. */
    public static final String OUTBOX_FOLDER = "gerrit-ml-outbox";
    /** How long (ISO-8601 duration) an owed review is retried while Gerrit is unreachable; default 10 minutes. */
    static final String PATIENCE_PROPERTY = "io.jenkins.plugins.gerritml.reviewPatience";
    private static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(10);

    private GerritReviews() {
    }

    /** The outbox of {@code run}: its entries survive a restart with the build. */
    public static FileOutboxStore outboxOf(final Run<?, ?> run) {
        return new FileOutboxStore(new File(run.getRootDir(), OUTBOX_FOLDER).toPath());
    }

    static Duration patience() {
        String value = SystemProperties.getString(PATIENCE_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_PATIENCE;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            return parsed.isNegative() || parsed.isZero() ? DEFAULT_PATIENCE : parsed;
        } catch (java.time.format.DateTimeParseException e) {
            return DEFAULT_PATIENCE;
        }
    }

    /**
     * Posts {@code review} through the build's outbox (retried while Gerrit is unreachable, for
     * {@value #PATIENCE_PROPERTY}, default 10 minutes; not posted again if it landed before a restart) and says
     * whether it arrived: a lost review is for the caller to
     * report (the lifecycle fails the step or marks it unstable), never only a log line.
     */
    public static ReviewDelivery deliver(final Run<?, ?> run, final EnvVars env, final TaskListener listener,
            final Review review, final String credentialsId) {
        try {
            GerritChange change = GerritContexts.of(run, env);
            Review withBuild = withBuildLink(run, review);
            OutboxEntry entry = send(run, change, withBuild, credentialsId, listener);
            if (entry.getState() != OutboxEntry.State.DONE) {
                return ReviewDelivery.lost(entry.getState() + ": " + entry.getOutcome());
            }
            listener.getLogger().println("[gerrit-ml] Posted " + withBuild.describeVotes() + " (" + withBuild.getTag()
                    + ") to " + change.getRestId() + " patch set " + change.getPatchSetNumber()
                    + (entry.getOutcome().equals("posted") ? "" : ": " + entry.getOutcome()));
            return ReviewDelivery.posted(withBuild.getLabels() + " to " + change.getRestId() + " patch set "
                    + change.getPatchSetNumber());
        } catch (AbortException | GerritRestException | IllegalArgumentException e) {
            return ReviewDelivery.lost(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReviewDelivery.lost("interrupted while posting; the review stays owed in the build's outbox");
        }
    }

    /** {@code review} with the build that posts it as its last link, as {@link #deliver} posts it. */
    public static Review withBuildLink(final Run<?, ?> run, final Review review) {
        String build = BuildLinks.of(run);
        return build == null ? review : review.withAppendedLink("Build", build);
    }

    /**
     * Posts a message without a vote (the neutral supersede message) on {@code change}, the patch set a job of
     * {@code run} worked on, through the build's outbox; throws when it did not land.
     */
    public static void postNeutral(final Run<?, ?> run, final GerritChange change, final Review review,
            final String credentialsId, final TaskListener listener) {
        if (!review.getLabels().isEmpty()) {
            throw new IllegalArgumentException("a neutral message carries no vote, got " + review.getLabels());
        }
        OutboxEntry entry;
        try {
            entry = send(run, change, review, credentialsId, listener);
        } catch (AbortException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted; the message stays owed in the build's outbox", e);
        }
        if (entry.getState() != OutboxEntry.State.DONE) {
            throw new IllegalStateException(entry.getState() + ": " + entry.getOutcome());
        }
    }

    /** Checks the vote against the allow-list, then delivers it through the build's outbox. */
    static OutboxEntry send(final Run<?, ?> run, final GerritChange change, final Review review,
            final String credentialsId, final TaskListener listener) throws AbortException, InterruptedException {
        GerritContexts.checkVote(change, review);
        Consumer<String> log = line -> listener.getLogger().println("[gerrit-ml] " + line);
        // One attempt per call: the outbox owns the retries, and checks the change before it posts again.
        GerritRestClient client = new GerritRestClient(GerritContexts.restConfig(run, change, credentialsId), 1,
                GerritRestClient.DEFAULT_BACKOFF, log);
        return new ReviewOutbox(outboxOf(run), OutboxGerrit.of(client), log).postOnce(change, review, patience());
    }
}
