package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gerrit's RevisionInfo. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class RevisionInfo {
    public String kind;
    public Integer _number;
    public String created;
    public AccountInfo uploader;
    public String ref;
    public CommitInfo commit;
}
