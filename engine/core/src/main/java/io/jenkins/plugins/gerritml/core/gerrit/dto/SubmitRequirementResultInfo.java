package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gerrit's SubmitRequirementResultInfo ({@code o=SUBMIT_REQUIREMENTS}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class SubmitRequirementResultInfo {
    public String name;
    public String description;
    public String status;
    public Boolean is_legacy;
    public SubmitRequirementExpressionInfo submittability_expression_result;
}
