package io.jenkins.plugins.gerritml.lineage;

import hudson.model.Run;
import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import jenkins.model.RunAction2;

import java.util.ArrayList;
import java.util.List;

/**
 * Who approved which patch set, as the gate found it, kept with the build: the first link of its lineage and what
 * the build page's lineage summary shows. Stores plain strings, so old builds stay readable.
 */
public class ApprovalAction implements RunAction2 {
    private final String change;
    private final int patchSet;
    private final String revision;
    private final String policy;
    private final List<String> approvals = new ArrayList<>();
    private final List<String> approvers = new ArrayList<>();
    private final List<StoredApproval> stored = new ArrayList<>();
    private final String checkedAt;
    private transient Run<?, ?> run;

    public ApprovalAction(final ApprovalDecision decision) {
        this.change = decision.getChange().getRestId();
        this.patchSet = decision.getChange().getPatchSetNumber();
        this.revision = decision.getChange().getRevision();
        this.policy = decision.getPolicy().describe();
        for (Approval approval : decision.getApprovals()) {
            approvals.add(approval.toString());
            approvers.add(approval.getAccount().getUsername());
            stored.add(new StoredApproval(approval));
        }
        this.checkedAt = decision.getCheckedAt().toString();
    }

    public String getChange() {
        return change;
    }

    public int getPatchSet() {
        return patchSet;
    }

    public String getRevision() {
        return revision;
    }

    public String getPolicy() {
        return policy;
    }

    public List<String> getApprovals() {
        return approvals;
    }

    /** The approvers' user names, for tags and lineage records. */
    public List<String> getApprovers() {
        return approvers == null ? List.of() : approvers;
    }

    /** The approvals as core objects again, for audit lines and lineage records (also after a restart). */
    public List<Approval> getCoreApprovals() {
        List<Approval> result = new ArrayList<>();
        if (stored != null) {
            stored.forEach(a -> result.add(a.toApproval()));
        }
        return result;
    }

    public String getCheckedAt() {
        return checkedAt;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(final Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(final Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return "symbol-checkmark-circle-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return "Gerrit approval";
    }

    @Override
    public String getUrlName() {
        return "gerrit-approval";
    }

    /** One approval in plain fields, so the build record does not depend on core's classes' shapes. */
    private static final class StoredApproval {
        private final int accountId;
        private final String name;
        private final String email;
        private final String username;
        private final String label;
        private final int value;
        private final String date;
        private final int patchSet;

        StoredApproval(final Approval approval) {
            this.accountId = approval.getAccount().getAccountId();
            this.name = approval.getAccount().getName();
            this.email = approval.getAccount().getEmail();
            this.username = approval.getAccount().getUsername();
            this.label = approval.getLabel();
            this.value = approval.getValue();
            this.date = approval.getDate().toString();
            this.patchSet = approval.getPatchSet();
        }

        Approval toApproval() {
            return Approval.valueOf(io.jenkins.plugins.gerritml.core.gerrit.GerritAccount.valueOf(accountId, name,
                    email, username), label, value, java.time.Instant.parse(date), patchSet);
        }
    }
}
