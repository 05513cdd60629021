package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Collection;

/** Body of {@code POST /flow_runs/filter}: many runs by id in one call. */
public class FlowRunFilterRequest {
    @CheckForNull public FlowRunFilter flowRuns;
    @CheckForNull public Integer limit;
    @CheckForNull public Integer offset;
    @CheckForNull public String sort;

    /** {@code flow_runs.id.any_}. */
    public static class FlowRunFilter {
        @CheckForNull public AnyFilter id;
    }

    public static FlowRunFilterRequest byIds(final Collection<String> ids, final int limit) {
        FlowRunFilterRequest request = new FlowRunFilterRequest();
        request.flowRuns = new FlowRunFilter();
        request.flowRuns.id = AnyFilter.of(ids);
        request.limit = limit;
        return request;
    }
}
