package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ReviewResult;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;

import java.util.LinkedHashMap;
import java.util.Map;

/** Posts to Gerrit through the audit log: every vote and message is one audit entry with its outcome. */
public final class AuditedGerrit {
    private final GerritRestClient client;
    private final AuditLog audit;
    private final String actor;

    /**
     * @param actor who the engine acts as, e.g. the Gerrit HTTP user
     */
    public AuditedGerrit(final GerritRestClient client, final AuditLog audit, final String actor) {
        this.client = client;
        this.audit = audit;
        this.actor = actor;
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

    /** Posts {@code review} on the patch set of {@code change}, recording it. */
    public ReviewResult postReview(final GerritChange change, final Review review) {
        Map<String, String> details = new LinkedHashMap<>();
        review.getLabels().forEach((label, value) -> details.put("label." + label, (value > 0 ? "+" : "") + value));
        details.put("tag", review.getTag());
        details.put("message", review.renderMessage());
        details.put("revision", change.getRevision());
        return audit.call("gerrit.post-review", actor + "@" + client.getBaseUrl(), change.getRestId() + "/"
                + change.getPatchSetNumber(), details, () -> client.postReview(change, review));
    }
}
