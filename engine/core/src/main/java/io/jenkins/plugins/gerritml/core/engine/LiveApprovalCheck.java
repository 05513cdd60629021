package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.pipeline.LineageAccount;
import io.jenkins.plugins.gerritml.core.pipeline.LineageApproval;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-checks a verified lineage record against Gerrit now: the patch set still has that revision, and every approval
 * the record cites is still on that patch set with at least that value. A signature proves what was recorded; this
 * says whether it still holds (a vote can be removed or turned into a veto after the model was trained).
 */
public final class LiveApprovalCheck {
    private final GerritRestClient client;

    public LiveApprovalCheck(final GerritRestClient client) {
        this.client = client;
    }

    /**
     * Every way the record no longer matches Gerrit; empty when it still does.
     *
     * @throws GerritRestException when Gerrit cannot be asked
     */
    public List<String> recheck(final LineageRecord record) {
        List<String> problems = new ArrayList<>();
        if (!record.getServer().isEmpty() && !sameServer(record.getServer(), client.getBaseUrl())) {
            problems.add("the record is from Gerrit " + record.getServer() + ", not " + client.getBaseUrl());
            return problems;
        }
        LiveChange live;
        try {
            live = client.getChange(record.getRestId());
        } catch (GerritRestException e) {
            if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                problems.add("change " + record.getRestId() + " does not exist (or is not visible) in Gerrit");
                return problems;
            }
            throw e;
        }
        Optional<String> revision = live.getRevision(record.getPatchSet());
        if (revision.isEmpty() || !revision.get().equals(record.getRevision())) {
            problems.add("patch set " + record.getPatchSet() + " of " + record.getRestId() + " is "
                    + revision.orElse("missing") + " in Gerrit, but the record says " + record.getRevision());
            return problems;
        }
        LiveChange review = client.getReview(record.getRestId(), record.getRevision(), record.getPatchSet());
        for (LineageApproval approval : record.getApprovals()) {
            List<Approval> votes = review.hasLabel(approval.getLabel()) ? review.getApprovals(approval.getLabel())
                    : List.of();
            Optional<Approval> now = votes.stream().filter(v -> samePerson(approval.getAccount(), v)).findFirst();
            if (now.isEmpty()) {
                problems.add("approval " + approval + " is no longer on patch set " + record.getPatchSet());
            } else if (now.get().getValue() < approval.getValue()) {
                problems.add("approval " + approval + " is now " + now.get().getAccount().getDisplayName() + " "
                        + approval.getLabel() + signed(now.get().getValue()) + " on patch set "
                        + record.getPatchSet());
            }
        }
        return problems;
    }

    private static boolean samePerson(final LineageAccount account, final Approval vote) {
        if (account.getAccountId() > 0 && vote.getAccount().getAccountId() > 0) {
            return account.getAccountId() == vote.getAccount().getAccountId();
        }
        return !account.getUsername().isEmpty() && account.getUsername().equals(vote.getAccount().getUsername());
    }

    private static boolean sameServer(final String recorded, final String base) {
        String a = recorded.endsWith("/") ? recorded : recorded + "/";
        return a.equals(base);
    }

    private static String signed(final int value) {
        return value > 0 ? "+" + value : Integer.toString(value);
    }
}
