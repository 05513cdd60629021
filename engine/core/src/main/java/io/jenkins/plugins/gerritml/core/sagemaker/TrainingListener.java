package io.jenkins.plugins.gerritml.core.sagemaker;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * What a training run tells its build as it goes. Called on the shared watcher's thread: keep it short.
 * Nothing passed here contains credentials.
 */
public interface TrainingListener {
    /** A step worth a line in the build log: created, adopted, stopping, read failures. */
    default void onMessage(final String message) {
    }

    /** The job's status changed. */
    default void onStatus(final String jobName, final TrainingJobStatus status) {
    }

    /** One line of the job's CloudWatch log, prefixed with its host's stream name. */
    default void onLog(final String line) {
    }

    /** Everything to {@code out}, e.g. a Jenkins build's console. */
    static TrainingListener printingTo(final PrintStream out) {
        return lines(out::println);
    }

    /** Everything as lines: messages and statuses with a {@code [sagemaker]} prefix, the job's log as it is. */
    static TrainingListener lines(final Consumer<String> log) {
        return new TrainingListener() {
            @Override
            public void onMessage(final String message) {
                log.accept("[sagemaker] " + message);
            }

            @Override
            public void onStatus(final String jobName, final TrainingJobStatus status) {
                log.accept("[sagemaker] " + jobName + ": " + status);
            }

            @Override
            public void onLog(final String line) {
                log.accept(line);
            }
        };
    }

    /** Ignores everything. */
    static TrainingListener silent() {
        return new TrainingListener() {
        };
    }
}
