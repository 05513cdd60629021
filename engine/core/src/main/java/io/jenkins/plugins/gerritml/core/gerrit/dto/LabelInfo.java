package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Gerrit's LabelInfo (DETAILED_LABELS). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class LabelInfo {
    public List<ApprovalInfo> all;
    public AccountInfo approved;
    public AccountInfo rejected;
    public Map<String, String> values;
    public Integer default_value;
    public Boolean optional;
}
