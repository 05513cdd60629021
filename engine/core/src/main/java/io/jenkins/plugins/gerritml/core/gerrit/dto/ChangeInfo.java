package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Gerrit's ChangeInfo. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class ChangeInfo {
    public String id;
    public String project;
    public String branch;
    public String topic;
    public String change_id;
    public String subject;
    public String status;
    public Integer _number;
    public AccountInfo owner;
    public String current_revision;
    public Map<String, RevisionInfo> revisions;
    public Map<String, LabelInfo> labels;
    public Boolean submittable;
    public List<ChangeMessageInfo> messages;
    public List<String> hashtags;
    public Boolean work_in_progress;
    public Map<String, List<String>> permitted_labels;
    public List<SubmitRequirementResultInfo> submit_requirements;
}
