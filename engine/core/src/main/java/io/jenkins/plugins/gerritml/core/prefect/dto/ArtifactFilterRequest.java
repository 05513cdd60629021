package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.List;

/** Body of {@code POST /artifacts/filter} by flow run. */
public class ArtifactFilterRequest {
    @CheckForNull public ArtifactFilter artifacts;
    @CheckForNull public String sort;
    @CheckForNull public Integer limit;

    /** {@code artifacts.flow_run_id.any_}. */
    public static class ArtifactFilter {
        @CheckForNull public AnyFilter flowRunId;
    }

    public static ArtifactFilterRequest forFlowRun(final String flowRunId, final int limit) {
        ArtifactFilterRequest request = new ArtifactFilterRequest();
        request.artifacts = new ArtifactFilter();
        request.artifacts.flowRunId = AnyFilter.of(List.of(flowRunId));
        request.sort = "ID_DESC";
        request.limit = limit;
        return request;
    }
}
