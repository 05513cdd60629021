package io.jenkins.plugins.gerritml.core.pipeline;

import java.time.Duration;

/**
 * Receives what a {@link JobWatcher} sees of one job. Called on the watcher's thread: keep it short.
 *
 * @param <S> the backend's status type
 */
public interface WatchListener<S> {
    /** The status changed (also called once for the first status read). */
    void onStatus(String id, S status);

    /** The job reached a terminal status; no further calls follow. */
    void onFinished(String id, S status);

    /** The deadline passed before a terminal status; no further calls follow. The caller decides to stop the job. */
    void onTimeout(String id, Duration elapsed);

    /** A status read failed; the watcher keeps trying until the deadline. */
    default void onReadFailure(final String id, final Exception failure, final int consecutiveFailures) {
    }

    /** The job was not in the remote answer; the watcher keeps trying until the deadline. */
    default void onNotFound(final String id, final int consecutiveMisses) {
    }
}
