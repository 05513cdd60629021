package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gerrit's FileInfo. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class FileInfo {
    public String status;
    public String old_path;
    public Boolean binary;
    public Integer lines_inserted;
    public Integer lines_deleted;
}
