package io.jenkins.plugins.gerritml.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunArtifact;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finished flow run on the build page and, for a reviewed change with signing configured, in signed lineage. */
final class FlowRunRecords {
    private FlowRunRecords() {
    }

    static void record(final Run<?, ?> run, final TaskListener listener, @CheckForNull final GerritChange change,
            final String deployment, @CheckForNull final FlowRunRequest request,
            final FlowRunResult result) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("Prefect flow run", result.getUiUrl());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("deployment", deployment);
        details.put("duration", result.getDuration().toSeconds() + " s");
        for (FlowRunArtifact artifact : result.getArtifacts()) {
            if (!artifact.getLink().isEmpty()) {
                links.put(artifact.getTitle(), artifact.getLink());
            } else {
                details.put("artifact " + artifact.getKey(), artifact.getType());
            }
        }
        LineageAction.of(run).record(new LineageAction.Entry("Prefect flow run", result.getFlowRunName() + " ("
                + result.getFlowRunId() + ")", result.getState().getName(), links, details));
        if (!result.isSuccess() || change == null) {
            return; // lineage records describe reviewed changes whose run succeeded
        }
        try {
            SignedLineageArchiver.archiveIfConfigured(run, listener, change, lineageJob(deployment, request, result),
                    LineageJobs.flowRunOutputs(result, List.of()), Map.of());
        } catch (RuntimeException e) {
            listener.error("[gerrit-ml] No signed lineage record: " + e.getMessage());
        }
    }

    /** The engine's description of the run; a build saved before plans kept their request knows only the run. */
    static LineageJob lineageJob(final String deployment, @CheckForNull final FlowRunRequest request,
            final FlowRunResult result) {
        return request == null ? LineageJob.builder().withBackend("prefect").withId(result.getFlowRunId())
                .withImage(deployment).build() : LineageJobs.flowRun(deployment, request, result, List.of());
    }
}
