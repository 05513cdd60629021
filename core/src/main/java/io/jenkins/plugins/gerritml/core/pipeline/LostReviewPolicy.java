package io.jenkins.plugins.gerritml.core.pipeline;

/** What a review that could not be posted does to the step: a host setting (Jenkins: global configuration). */
public enum LostReviewPolicy {
    /** The step fails: reviewers must not miss a result. */
    FAIL,
    /** The step returns its result and the build is marked unstable. */
    UNSTABLE
}
