package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The engine's answer before any remote work: the approval gate's decision plus the repository policy's (dataset
 * access and risky paths), read from the change's target branch. Proceed only when {@link #isAllowed()}.
 */
public final class GateResult {
    private final ApprovalDecision approval;
    private final RepositoryPolicy policy;
    private final List<String> datasets;
    private final List<String> policyRefusals;
    private final List<String> riskyFiles;
    private final GerritAccount uploader;

    GateResult(final ApprovalDecision approval, final RepositoryPolicy policy, final List<String> datasets,
            final List<String> policyRefusals, final List<String> riskyFiles, final GerritAccount uploader) {
        this.uploader = uploader;
        this.approval = approval;
        this.policy = policy;
        this.datasets = List.copyOf(datasets);
        this.policyRefusals = List.copyOf(policyRefusals);
        this.riskyFiles = List.copyOf(riskyFiles);
    }

    public boolean isAllowed() {
        return approval.isApproved() && policyRefusals.isEmpty();
    }

    public ApprovalDecision getApproval() {
        return approval;
    }

    /** The policy as read from the target branch (or {@link RepositoryPolicy#none()}). */
    public RepositoryPolicy getPolicy() {
        return policy;
    }

    /** The dataset URIs that were checked. */
    public List<String> getDatasets() {
        return datasets;
    }

    /** Refusals of the repository policy (datasets, risky paths); empty when it allows the run. */
    public List<String> getPolicyRefusals() {
        return policyRefusals;
    }

    /** Changed files that some risky rule covers. */
    public List<String> getRiskyFiles() {
        return riskyFiles;
    }

    /** The patch set's uploader as Gerrit recorded it (unknown when the change could not be read). */
    public GerritAccount getUploader() {
        return uploader;
    }

    /** Every refusal: the approval gate's, then the policy's. */
    public List<String> getRefusals() {
        List<String> all = new ArrayList<>(approval.getRefusals());
        all.addAll(policyRefusals);
        return all;
    }

    /** One paragraph for a log. */
    public String summary() {
        if (isAllowed()) {
            return approval.summary() + ". Policy (" + policy.getSource() + ") allows it"
                    + (datasets.isEmpty() ? "" : " for " + String.join(", ", datasets)) + ".";
        }
        return "Refused for " + approval.getChange().getRestId() + " patch set "
                + approval.getChange().getPatchSetNumber() + ": " + String.join("; ", getRefusals());
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GateResult)) {
            return false;
        }
        GateResult other = (GateResult) o;
        return approval.equals(other.approval) && policy.equals(other.policy) && datasets.equals(other.datasets)
                && policyRefusals.equals(other.policyRefusals) && riskyFiles.equals(other.riskyFiles)
                && uploader.equals(other.uploader);
    }

    @Override
    public int hashCode() {
        return Objects.hash(approval, policy, datasets, policyRefusals, riskyFiles, uploader);
    }

    @Override
    public String toString() {
        return summary();
    }
}
