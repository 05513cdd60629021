package io.jenkins.plugins.gerritml.gerrit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.engine.RepositoryPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.pipeline.RunCheck;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;

import java.util.List;

/**
 * The engine's repository-policy check for a step's run, with Jenkins' parts: the build's change, its Gerrit REST
 * access, and the approvals its {@code requireGerritApproval} found. Called off the CPS thread (it looks up
 * credentials); the check itself runs in the lifecycle, before anything is created.
 */
public final class RepositoryPolicyChecks {
    private RepositoryPolicyChecks() {
    }

    /**
     * @param change        the build's change, or null when the build has none
     * @param credentialsId the step's Gerrit HTTP credentials (blank: as {@link GerritContexts#restConfig} chooses)
     * @param datasets      the data the run reads
     */
    public static List<RunCheck> of(final Run<?, ?> run, @CheckForNull final GerritChange change,
            final String credentialsId, final List<String> datasets) throws AbortException {
        if (change == null) {
            return List.of(PolicyGate.withoutChange(datasets));
        }
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        List<Approval> approvals = approval == null ? List.of() : approval.getCoreApprovals();
        PolicyGate.validateDatasets(datasets);
        // The credentials are read now; the REST client (and its HTTP selector thread) lives only while the check
        // runs, not for the whole wait on the remote job.
        GerritRestConfig config = GerritContexts.restConfig(run, change, credentialsId == null ? "" : credentialsId);
        return List.of(() -> new PolicyGate(new GerritRestClient(config)).asRunCheck(change, approvals, datasets)
                .refusal());
    }

    /**
     * The Model Package Group a run registers in: {@code named}, else the one the repository policy on the change's
     * target branch names (none for a build without a change).
     */
    public static String modelPackageGroup(final Run<?, ?> run, @CheckForNull final GerritChange change,
            final String credentialsId, final String named) throws AbortException {
        return change == null ? RepositoryPolicy.none().modelPackageGroupFor(named)
                : gate(run, change, credentialsId).modelPackageGroup(change, named);
    }

    private static PolicyGate gate(final Run<?, ?> run, final GerritChange change, final String credentialsId)
            throws AbortException {
        return new PolicyGate(new GerritRestClient(GerritContexts.restConfig(run, change,
                credentialsId == null ? "" : credentialsId)));
    }
}
