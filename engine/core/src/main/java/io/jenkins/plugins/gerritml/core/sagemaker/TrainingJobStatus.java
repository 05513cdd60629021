package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;
import java.util.Set;

/** A training job's primary and secondary status, as the watcher compares them. Immutable. */
public final class TrainingJobStatus {
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Stopped");

    private final String status;
    @CheckForNull
    private final String secondaryStatus;

    private TrainingJobStatus(final String status, @CheckForNull final String secondaryStatus) {
        this.status = Objects.requireNonNull(status, "status");
        this.secondaryStatus = secondaryStatus;
    }

    public static TrainingJobStatus of(final String status, @CheckForNull final String secondaryStatus) {
        return new TrainingJobStatus(status, secondaryStatus);
    }

    /** InProgress, Completed, Failed, Stopping or Stopped. */
    public String getStatus() {
        return status;
    }

    /** Starting, Downloading, Training, Uploading, MaxRuntimeExceeded, Interrupted, ... (may be absent). */
    @CheckForNull
    public String getSecondaryStatus() {
        return secondaryStatus;
    }

    public boolean isTerminal() {
        return TERMINAL.contains(status);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingJobStatus)) {
            return false;
        }
        TrainingJobStatus other = (TrainingJobStatus) o;
        return status.equals(other.status) && Objects.equals(secondaryStatus, other.secondaryStatus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, secondaryStatus);
    }

    @Override
    public String toString() {
        return secondaryStatus == null || secondaryStatus.equals(status) ? status : status + " (" + secondaryStatus + ")";
    }
}
