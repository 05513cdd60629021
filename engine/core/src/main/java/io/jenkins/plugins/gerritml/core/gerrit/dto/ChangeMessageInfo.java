package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gerrit's ChangeMessageInfo. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class ChangeMessageInfo {
    public String id;
    public AccountInfo author;
    public String date;
    public String message;
    public String tag;
    public Integer _revision_number;
}
