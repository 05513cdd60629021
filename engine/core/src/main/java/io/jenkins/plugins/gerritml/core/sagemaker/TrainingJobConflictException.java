package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;

/**
 * A training job with this build's deterministic name exists but was started from a different spec: adopting it
 * would report the wrong model, starting another is impossible. The message lists the differing fields.
 */
public final class TrainingJobConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String jobName;
    private final List<String> differences;

    public TrainingJobConflictException(final String jobName, final List<String> differences) {
        super("SageMaker training job '" + jobName + "' already exists for this change, patch set and build, but "
                + "with a different spec, so it cannot be adopted:\n  - " + String.join("\n  - ", differences)
                + "\nRun a new build (a new build number gives a new job name) or restore the spec.");
        this.jobName = jobName;
        this.differences = List.copyOf(differences);
    }

    public String getJobName() {
        return jobName;
    }

    public List<String> getDifferences() {
        return differences;
    }
}
