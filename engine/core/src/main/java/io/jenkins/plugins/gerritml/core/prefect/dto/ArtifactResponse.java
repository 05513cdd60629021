package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** One element of {@code POST /artifacts/filter}. A link artifact is {@code type=markdown}, data {@code [text](url)}. */
public class ArtifactResponse {
    @CheckForNull public String id;
    @CheckForNull public String key;
    @CheckForNull public String type;
    @CheckForNull public String description;
    /** A string for markdown/link/table artifacts, JSON for others. */
    @CheckForNull public Object data;
    @CheckForNull public String flowRunId;
    @CheckForNull public String created;
}
