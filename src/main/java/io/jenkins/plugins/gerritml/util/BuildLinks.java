package io.jenkins.plugins.gerritml.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import jenkins.model.Jenkins;

/** The address of a build as Gerrit reviewers and lineage records show it: a link read outside Jenkins. */
public final class BuildLinks {
    private BuildLinks() {
    }

    /**
     * The build's absolute URL, or null while Jenkins has no root URL configured (a relative link in Gerrit would
     * point nowhere).
     */
    @CheckForNull
    @SuppressWarnings("deprecation") // for clients outside Jenkins, which is what a review message is
    public static String of(final Run<?, ?> run) {
        return Jenkins.get().getRootUrl() == null ? null : run.getAbsoluteUrl();
    }
}
