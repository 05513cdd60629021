package io.jenkins.plugins.gerritml.pipeline;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import jenkins.util.Timer;

import java.time.Clock;

/**
 * The one {@link JobWatcher} of this controller. It runs on Jenkins' shared {@link Timer} pool, so waiting on any
 * number of SageMaker jobs and Prefect runs holds no executor and no thread of its own.
 */
public final class Watchers {
    private static volatile JobWatcher shared;

    private Watchers() {
    }

    public static JobWatcher shared() {
        JobWatcher watcher = shared;
        if (watcher == null) {
            synchronized (Watchers.class) {
                watcher = shared;
                if (watcher == null) {
                    watcher = new JobWatcher(Timer.get(), JobWatcher.DEFAULT_BACKOFF, Clock.systemUTC());
                    shared = watcher;
                }
            }
        }
        return watcher;
    }
}
