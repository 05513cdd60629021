package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.List;
import java.util.Map;

/** {@code GET /deployments/{id}}, {@code GET /deployments/name/{flow}/{deployment}}, {@code POST /deployments/filter}. */
public class DeploymentResponse {
    @CheckForNull public String id;
    @CheckForNull public String name;
    @CheckForNull public String flowId;
    @CheckForNull public List<String> tags;
    @CheckForNull public Map<String, Object> parameters;
    /** JSON schema of the flow's parameters: {@code properties}, {@code required}, {@code definitions}. */
    @CheckForNull public Map<String, Object> parameterOpenapiSchema;
    @CheckForNull public Boolean enforceParameterSchema;
    @CheckForNull public String workQueueName;
    @CheckForNull public String workPoolName;
    @CheckForNull public Boolean paused;
    @CheckForNull public String status;
}
