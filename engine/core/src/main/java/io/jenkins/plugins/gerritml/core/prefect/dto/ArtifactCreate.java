package io.jenkins.plugins.gerritml.core.prefect.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Map;

/**
 * Body of {@code POST /artifacts/}: Prefect's {@code ArtifactCreate}. A {@code markdown} artifact's data is the
 * markdown text; {@code metadata_} holds string pairs only.
 */
public class ArtifactCreate {
    @CheckForNull public String key;
    @CheckForNull public String type;
    @CheckForNull public String description;
    @CheckForNull public Object data;
    @JsonProperty("metadata_")
    @CheckForNull public Map<String, String> metadata;
    @CheckForNull public String flowRunId;
}
