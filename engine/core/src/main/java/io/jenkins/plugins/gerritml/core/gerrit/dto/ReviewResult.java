package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Gerrit's ReviewResult. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class ReviewResult {
    public Map<String, Integer> labels;
    public Boolean ready;
    public String error;
}
