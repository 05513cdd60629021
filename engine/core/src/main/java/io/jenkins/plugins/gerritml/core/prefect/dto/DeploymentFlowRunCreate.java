package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /deployments/{id}/create_flow_run}. Prefect forbids unknown fields here, so this carries only
 * fields its {@code DeploymentFlowRunCreate} declares. A repeated {@code idempotency_key} returns the existing run.
 */
public class DeploymentFlowRunCreate {
    @CheckForNull public String name;
    @CheckForNull public Map<String, Object> parameters;
    @CheckForNull public List<String> tags;
    @CheckForNull public String idempotencyKey;
    @CheckForNull public String workQueueName;
    @CheckForNull public Map<String, Object> jobVariables;
}
