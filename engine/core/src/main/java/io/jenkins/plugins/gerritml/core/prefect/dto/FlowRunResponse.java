package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.List;
import java.util.Map;

/** Prefect's {@code FlowRunResponse} (create_flow_run, {@code GET /flow_runs/{id}}, {@code POST /flow_runs/filter}). */
public class FlowRunResponse {
    @CheckForNull public String id;
    @CheckForNull public String name;
    @CheckForNull public String flowId;
    @CheckForNull public String deploymentId;
    @CheckForNull public Map<String, Object> parameters;
    @CheckForNull public String idempotencyKey;
    @CheckForNull public List<String> tags;
    @CheckForNull public String stateType;
    @CheckForNull public String stateName;
    @CheckForNull public StateDto state;
    @CheckForNull public String created;
    @CheckForNull public String startTime;
    @CheckForNull public String endTime;
    /** Seconds. */
    @CheckForNull public Double totalRunTime;
    @CheckForNull public String workQueueName;
    @CheckForNull public Map<String, Object> jobVariables;
}
