package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Arrays;
import java.util.List;

/**
 * Which jobs may use something an administrator configured (e.g. a Prefect server and its key): job full names
 * under the listed folders ({@code ml/fraud} allows {@code ml/fraud} and {@code ml/fraud/train}, not
 * {@code ml/fraud-old}). An empty list allows every job. Immutable.
 */
public final class FolderRestriction {
    /** The rule's name in refusals. */
    public static final String RULE = "folder-restriction";

    private static final FolderRestriction ANY = new FolderRestriction(List.of());

    private final List<String> folders;

    private FolderRestriction(final List<String> folders) {
        this.folders = folders;
    }

    public static FolderRestriction any() {
        return ANY;
    }

    /** One folder a line or comma-separated; leading and trailing slashes are dropped. */
    public static FolderRestriction parse(@CheckForNull final String text) {
        if (text == null) {
            return ANY;
        }
        List<String> folders = Arrays.stream(text.split("[,\\n\\r]+")).map(String::trim)
                .map(f -> f.replaceAll("^/+|/+$", "")).filter(f -> !f.isEmpty()).distinct().toList();
        return folders.isEmpty() ? ANY : new FolderRestriction(folders);
    }

    public List<String> getFolders() {
        return folders;
    }

    public boolean isRestricted() {
        return !folders.isEmpty();
    }

    public boolean allows(final String jobFullName) {
        return folders.isEmpty() || folders.stream().anyMatch(f -> jobFullName.equals(f)
                || jobFullName.startsWith(f + "/"));
    }

    /**
     * @throws IllegalStateException naming the rule, the job, {@code what} and the folders allowed
     */
    public void check(final String jobFullName, final String what) {
        if (!allows(jobFullName)) {
            throw new IllegalStateException("Job '" + jobFullName + "' may not use " + what + ": an administrator "
                    + "limited it to jobs in " + folders + "; move the job there or ask for the folder to be added "
                    + "[rule: " + RULE + "]");
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof FolderRestriction && folders.equals(((FolderRestriction) o).folders);
    }

    @Override
    public int hashCode() {
        return folders.hashCode();
    }

    @Override
    public String toString() {
        return folders.isEmpty() ? "any job" : "jobs in " + folders;
    }
}
