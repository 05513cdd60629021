package io.jenkins.plugins.gerritml.core.sagemaker;

import java.time.Duration;

/** The build's timeout passed before the training job finished; the job was asked to stop. */
public final class TrainingTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String jobName;
    private final Duration elapsed;

    public TrainingTimeoutException(final String jobName, final Duration elapsed, final String stopOutcome) {
        super("SageMaker training job '" + jobName + "' did not finish within the timeout: " + format(elapsed)
                + " elapsed. " + stopOutcome);
        this.jobName = jobName;
        this.elapsed = elapsed;
    }

    public String getJobName() {
        return jobName;
    }

    public Duration getElapsed() {
        return elapsed;
    }

    static String format(final Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return String.format("%.1f s", duration.toMillis() / 1000.0);
        }
        return String.format("%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }
}
