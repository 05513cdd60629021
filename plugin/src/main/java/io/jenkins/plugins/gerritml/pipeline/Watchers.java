package io.jenkins.plugins.gerritml.pipeline;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import jenkins.util.Timer;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * The one {@link JobWatcher} of this controller. It runs on Jenkins' shared {@link Timer} pool, so waiting on any
 * number of SageMaker jobs and Prefect runs holds no executor and no thread of its own.
 */
public final class Watchers {
    private static volatile JobWatcher shared;
    private static volatile RemoteJobRuntime runtime;
    /** Blocking remote calls of every step (create, status reads, stop, Gerrit posts): never on Timer (review 2.3). */
    private static final int REMOTE_CALL_THREADS = 10;

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

    /**
     * The lifecycle runtime of this controller: Timer ticks, a bounded pool of named daemon threads for the remote
     * calls, one watcher and the shared status sources.
     */
    public static RemoteJobRuntime runtime() {
        RemoteJobRuntime current = runtime;
        if (current == null) {
            synchronized (Watchers.class) {
                current = runtime;
                if (current == null) {
                    ExecutorService remoteCalls = RemoteJobRuntime.boundedExecutor("gerrit-ml remote calls",
                            REMOTE_CALL_THREADS);
                    current = RemoteJobRuntime.on(Timer.get(), remoteCalls, JobWatcher.DEFAULT_BACKOFF,
                            Clock.systemUTC());
                    runtime = current;
                }
            }
        }
        return current;
    }
}
