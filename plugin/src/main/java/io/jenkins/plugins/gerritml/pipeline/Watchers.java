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
    private static final ExecutorService REMOTE_CALLS = RemoteJobRuntime.boundedExecutor("gerrit-ml remote calls",
            10);

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
        java.util.concurrent.ScheduledExecutorService timer = Timer.get();
        RemoteJobRuntime current = runtime;
        if (current == null || current.scheduler() != timer) {
            synchronized (Watchers.class) {
                current = runtime;
                // Jenkins shuts its Timer down on cleanUp (and JenkinsRule does per test): follow the new one.
                if (current == null || current.scheduler() != timer) {
                    RemoteJobRuntime stale = current;
                    current = RemoteJobRuntime.on(timer, REMOTE_CALLS, JobWatcher.DEFAULT_BACKOFF, Clock.systemUTC());
                    runtime = current;
                    if (stale != null) {
                        stale.close();
                    }
                }
            }
        }
        return current;
    }
}
