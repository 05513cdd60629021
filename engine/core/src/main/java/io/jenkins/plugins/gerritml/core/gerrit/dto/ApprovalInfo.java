package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gerrit's ApprovalInfo: an AccountInfo with the vote. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class ApprovalInfo {
    public Integer _account_id;
    public String name;
    public String email;
    public String username;
    public Integer value;
    public String date;
    public String tag;
    public Boolean post_submit;
}
