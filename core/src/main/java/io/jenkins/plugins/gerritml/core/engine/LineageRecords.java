package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.LineageAccount;
import io.jenkins.plugins.gerritml.core.pipeline.LineageApproval;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;

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
        GerritChange change = gate.getApproval().getChange();
        GerritAccount uploader = gate.getUploader().isKnown() ? gate.getUploader() : change.getUploader();
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
                .withEventSource(change.isVerified() ? "gerrit-event" : "build-parameters")
                .withTime("approved", gate.getApproval().getCheckedAt());
        for (Approval approval : gate.getApproval().getApprovals()) {
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
