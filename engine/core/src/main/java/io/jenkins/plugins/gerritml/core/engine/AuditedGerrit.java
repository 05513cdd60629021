package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.GerritAccessRefusedException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.VoteAllowList;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ReviewResult;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Posts to Gerrit through the vote allow-list and the audit log: a vote outside the list is refused before anything
 * is sent, and every vote and message posted is one audit entry with its outcome.
 */
public final class AuditedGerrit {
    private final GerritRestClient client;
    private final AuditLog audit;
    private final String actor;
    private final VoteAllowList votes;
    private final String server;

    /** Allows only the default votes ({@code Verified -1..+1}). */
    public AuditedGerrit(final GerritRestClient client, final AuditLog audit, final String actor) {
        this(client, audit, actor, VoteAllowList.defaults(), "");
    }

    /**
     * @param actor  who the engine acts as, e.g. the Gerrit HTTP user
     * @param votes  the votes an administrator allows
     * @param server the Gerrit server's name the allow-list's per-server rules use ("" when there are none)
     */
    public AuditedGerrit(final GerritRestClient client, final AuditLog audit, final String actor,
            final VoteAllowList votes, final String server) {
        this.client = client;
        this.audit = audit;
        this.actor = actor;
        this.votes = Objects.requireNonNull(votes, "votes");
        this.server = Objects.requireNonNull(server, "server");
    }

    /**
     * Refuses, before any call, a vote on {@code label} the allow-list does not permit in both directions (a job's
     * result is voted +1 or -1).
     *
     * @throws GerritAccessRefusedException naming the rule and what an administrator can allow
     */
    public void requireVotable(final String label) {
        votes.check(server, Review.builder().withLabel(label, 1).build());
        votes.check(server, Review.builder().withLabel(label, -1).build());
    }

    /** Refuses {@code review} before any call when a label or value is outside the allow-list. */
    public void requireAllowed(final Review review) {
        votes.check(server, review);
    }

    public GerritRestClient getClient() {
        return client;
    }

    public AuditLog getAudit() {
        return audit;
    }

    public String getActor() {
        return actor;
    }

    /** Posts {@code review} on the patch set of {@code change}, recording it; refuses votes outside the list. */
    public ReviewResult postReview(final GerritChange change, final Review review) {
        votes.check(server, review);
        Map<String, String> details = new LinkedHashMap<>();
        review.getLabels().forEach((label, value) -> details.put("label." + label, (value > 0 ? "+" : "") + value));
        details.put("tag", review.getTag());
        details.put("message", review.renderMessage());
        details.put("revision", change.getRevision());
        return audit.call("gerrit.post-review", actor + "@" + client.getBaseUrl(), change.getRestId() + "/"
                + change.getPatchSetNumber(), details, () -> client.postReview(change, review));
    }
}
