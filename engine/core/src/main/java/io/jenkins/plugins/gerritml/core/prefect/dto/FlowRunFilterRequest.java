package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Collection;

/** Body of {@code POST /flow_runs/filter}: many runs by id in one call. */
public class FlowRunFilterRequest {
    @CheckForNull public FlowRunFilter flowRuns;
    @CheckForNull public Integer limit;
    @CheckForNull public Integer offset;
    @CheckForNull public String sort;

    /** {@code flow_runs.id.any_}, {@code flow_runs.idempotency_key.any_}. */
    public static class FlowRunFilter {
        @CheckForNull public AnyFilter id;
        @CheckForNull public AnyFilter idempotencyKey;
    }

    /** The runs created with one idempotency key (one per flow; Prefect keeps the key unique per flow). */
    public static FlowRunFilterRequest byIdempotencyKey(final String key, final int limit) {
        FlowRunFilterRequest request = new FlowRunFilterRequest();
        request.flowRuns = new FlowRunFilter();
        request.flowRuns.idempotencyKey = AnyFilter.of(java.util.List.of(key));
        request.limit = limit;
        return request;
    }

    public static FlowRunFilterRequest byIds(final Collection<String> ids, final int limit) {
        FlowRunFilterRequest request = new FlowRunFilterRequest();
        request.flowRuns = new FlowRunFilter();
        request.flowRuns.id = AnyFilter.of(ids);
        request.limit = limit;
        return request;
    }
}
