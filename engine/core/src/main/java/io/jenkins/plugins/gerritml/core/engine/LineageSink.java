package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;

/**
 * Somewhere signed lineage is kept where reviewers and auditors look: the Gerrit change, next to the model in S3, the
 * Prefect run, the Jenkins build's archive. The Jenkins layer archives {@link SignedLineage#toJsonText()} itself.
 */
@FunctionalInterface
public interface LineageSink {
    /**
     * Publishes {@code lineage}.
     *
     * @return where it went, for the log, e.g. {@code s3://models/run-1/lineage.json}
     */
    String publish(SignedLineage lineage);
}
