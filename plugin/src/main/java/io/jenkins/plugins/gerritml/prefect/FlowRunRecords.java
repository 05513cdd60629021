package io.jenkins.plugins.gerritml.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.CanonicalJson;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunArtifact;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finished flow run on the build page and, for a reviewed change with signing configured, in signed lineage. */
final class FlowRunRecords {
    private FlowRunRecords() {
    }

    static void record(final Run<?, ?> run, final TaskListener listener, @CheckForNull final GerritChange change,
            final String deployment, final Map<String, String> facts, @CheckForNull final FlowRunRequest request,
            final FlowRunResult result) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("Prefect flow run", result.getUiUrl());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("deployment", deployment);
        details.put("duration", result.getDuration().toSeconds() + " s");
        List<String> outputs = new ArrayList<>();
        for (FlowRunArtifact artifact : result.getArtifacts()) {
            if (!artifact.getLink().isEmpty()) {
                links.put(artifact.getTitle(), artifact.getLink());
            } else {
                details.put("artifact " + artifact.getKey(), artifact.getType());
            }
            if (artifact.isLink()) {
                outputs.add(artifact.getLink());
            }
        }
        LineageAction.of(run).record(new LineageAction.Entry("Prefect flow run", result.getFlowRunName() + " ("
                + result.getFlowRunId() + ")", result.getState().getName(), links, details));
        if (!result.isSuccess() || change == null) {
            return; // lineage records describe reviewed changes whose run succeeded
        }
        try {
            SignedLineageArchiver.archiveIfConfigured(run, listener, change, lineageJob(deployment, facts, request,
                    result), outputs, Map.of());
        } catch (RuntimeException e) {
            listener.error("[gerrit-ml] No signed lineage record: " + e.getMessage());
        }
    }

    /** What docs/lineage.md promises: the flow-run id, the deployment (and its id), parameters as JSON text. */
    static LineageJob lineageJob(final String deployment, final Map<String, String> facts,
            @CheckForNull final FlowRunRequest request, final FlowRunResult result) {
        LineageJob.Builder job = LineageJob.builder().withBackend("prefect").withId(result.getFlowRunId())
                .withImage(deployment).withParameter("deployment", deployment);
        String deploymentId = facts.get("deploymentId");
        if (deploymentId != null) {
            job.withParameter("deploymentId", deploymentId);
        }
        if (request != null) {
            request.getParameters().forEach((name, value) -> job.withParameter(name,
                    value instanceof String ? (String) value : CanonicalJson.write(value)));
        }
        return job.build();
    }
}
