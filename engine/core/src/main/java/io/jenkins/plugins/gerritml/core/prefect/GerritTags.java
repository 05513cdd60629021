package io.jenkins.plugins.gerritml.core.prefect;

import java.util.ArrayList;
import java.util.List;

/**
 * Prefect tags that trace a flow run back to the review that started it: {@code gerrit}, {@code gerrit-project:P},
 * {@code gerrit-change:N}, {@code gerrit-patchset:N}, {@code gerrit-approver:USER} per approver. Tags, not
 * parameters, so any flow can be filtered by them in Prefect's UI without declaring anything.
 */
public final class GerritTags {
    public static final String MARKER = "gerrit";

    private GerritTags() {
    }

    public static List<String> of(final String project, final int change, final int patchSet,
            final List<String> approvers) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("Gerrit project: required for the flow run's tags");
        }
        if (change <= 0 || patchSet <= 0) {
            throw new IllegalArgumentException("Gerrit change and patch set: must be positive, were " + change + "/"
                    + patchSet);
        }
        List<String> tags = new ArrayList<>();
        tags.add(MARKER);
        tags.add("gerrit-project:" + project.trim());
        tags.add("gerrit-change:" + change);
        tags.add("gerrit-patchset:" + patchSet);
        for (String approver : approvers) {
            if (approver != null && !approver.isBlank()) {
                tags.add("gerrit-approver:" + approver.trim());
            }
        }
        return tags;
    }
}
