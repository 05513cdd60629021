package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Gerrit's SubmitRequirementExpressionInfo: the expression and which of its atoms pass or fail. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class SubmitRequirementExpressionInfo {
    public String expression;
    public Boolean fulfilled;
    public String status;
    public List<String> passing_atoms;
    public List<String> failing_atoms;
    public String error_message;
}
