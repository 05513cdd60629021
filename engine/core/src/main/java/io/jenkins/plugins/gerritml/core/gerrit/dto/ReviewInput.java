package io.jenkins.plugins.gerritml.core.gerrit.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Gerrit's ReviewInput, as gerrit-events' rest ReviewInput, with the fields we need. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SuppressWarnings("checkstyle:VisibilityModifier")
public class ReviewInput {
    public String message;
    public String tag;
    public Map<String, Integer> labels;
    public Map<String, List<CommentInput>> comments;
    public String notify;
    public Boolean omit_duplicate_comments;
    public Boolean ignore_automatic_attention_set_rules;
    public Boolean strict_labels;
}
