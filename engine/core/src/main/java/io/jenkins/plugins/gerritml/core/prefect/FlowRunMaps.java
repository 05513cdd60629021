package io.jenkins.plugins.gerritml.core.prefect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finished flow run as the plain map a Pipeline script gets back (and the CLI prints as JSON). */
public final class FlowRunMaps {
    private FlowRunMaps() {
    }

    /**
     * {@code flowRunId, flowRunName, deployment, state, stateType, outcome, success, url, durationSeconds, message,
     * artifacts} (each artifact: {@code key, type, title, link, description}). Only strings, numbers, booleans, lists
     * and maps, so the result can be saved with a build.
     */
    public static Map<String, Object> asMap(final FlowRunResult result, final String deployment) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("flowRunId", result.getFlowRunId());
        map.put("flowRunName", result.getFlowRunName());
        map.put("deployment", deployment);
        map.put("state", result.getState().getName());
        map.put("stateType", result.getState().getType().name());
        map.put("outcome", result.getOutcome().name());
        map.put("success", result.isSuccess());
        map.put("url", result.getUiUrl());
        map.put("durationSeconds", result.getDuration().toSeconds());
        map.put("message", result.getMessage());
        List<Map<String, Object>> artifacts = new ArrayList<>();
        for (FlowRunArtifact artifact : result.getArtifacts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", artifact.getKey());
            entry.put("type", artifact.getType());
            entry.put("title", artifact.getTitle());
            entry.put("link", artifact.getLink());
            entry.put("description", artifact.getDescription());
            artifacts.add(entry);
        }
        map.put("artifacts", artifacts);
        return map;
    }
}
