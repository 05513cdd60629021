package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.Optional;

/**
 * A check of the run itself that a {@link RemoteJobLifecycle} makes before its create call, on its executor (it may
 * ask Gerrit): the repository's policy on datasets and risky paths, who may start what. A refusal ends the run with
 * nothing created.
 */
@FunctionalInterface
public interface RunCheck {
    /** Why the run must not start, saying what to fix; empty when it may. */
    Optional<String> refusal() throws Exception;
}
