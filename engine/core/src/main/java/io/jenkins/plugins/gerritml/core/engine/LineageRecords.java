package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.LineageAccount;
import io.jenkins.plugins.gerritml.core.pipeline.LineageApproval;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;

import java.time.Instant;
import java.util.List;

/** Maps what the gate established (change, patch set, approvals, event) onto a lineage record. */
public final class LineageRecords {
    private LineageRecords() {
    }

    /**
     * A training record builder holding the change, the approvals that passed the gate and the triggering event;
     * the caller adds the build, job, outputs, metrics and times.
     *
     * @param gerritUrl the Gerrit front-end URL, recorded as the server
     * @throws IllegalArgumentException when the gate did not allow the run: lineage records only approved work
     */
    public static LineageRecord.Builder training(final GateResult gate, final String gerritUrl) {
        if (!gate.isAllowed()) {
            throw new IllegalArgumentException("no lineage for a refused run: " + gate.summary());
        }
        GerritAccount uploader = gate.getUploader().isKnown() ? gate.getUploader()
                : gate.getApproval().getChange().getUploader();
        return training(gate.getApproval().getChange(), uploader, gate.getApproval().getApprovals(),
                gate.getApproval().getCheckedAt(), gerritUrl);
    }

    /**
     * As {@link #training(GateResult, String)} from what a caller kept of an allowed run (a Jenkins build keeps the
     * approvals of its gate step): the change, who uploaded it, the approvals and when they were checked.
     */
    public static LineageRecord.Builder training(final GerritChange change, final GerritAccount uploader,
            final List<Approval> approvals, final Instant approvedAt, final String gerritUrl) {
        LineageRecord.Builder builder = LineageRecord.builder()
                .withServer(gerritUrl)
                .withProject(change.getProject())
                .withBranch(change.getBranch())
                .withChange(change.getChangeNumber())
                .withChangeId(change.getChangeId())
                .withPatchSet(change.getPatchSetNumber())
                .withRevision(change.getRevision())
                .withUploader(account(uploader))
                .withEventType(change.getEventType())
                .withEventAccount(account(change.getEventAccount()))
                .withEventSource(change.isVerified() ? "gerrit-event" : "build-parameters");
        if (!approvals.isEmpty()) {
            builder.withTime("approved", approvedAt); // when the gate found them; no approvals, no approval time
        }
        for (Approval approval : approvals) {
            builder.withApproval(LineageApproval.valueOf(account(approval.getAccount()), approval.getLabel(),
                    approval.getValue(), approval.getDate(), approval.getPatchSet()));
        }
        return builder;
    }

    static LineageAccount account(final GerritAccount account) {
        return LineageAccount.valueOf(account.getAccountId(), account.getUsername(), account.getName(),
                account.getEmail());
    }
}
