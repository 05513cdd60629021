package io.jenkins.plugins.gerritml.lab;

/**
 * A change created on the lab Gerrit, as Gerrit reported it back.
 *
 * @param project the project
 * @param branch the target branch
 * @param number the change number
 * @param changeId the {@code I...} Change-Id
 * @param patchSet the current patch set number
 * @param revision the current patch set's commit SHA-1
 * @param ref the patch set's ref, {@code refs/changes/NN/N/P}
 * @param subject the first line of the commit message
 */
public record LabChange(String project, String branch, int number, String changeId, int patchSet, String revision,
        String ref, String subject) {
}
