package io.jenkins.plugins.gerritml.pipeline;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * The lifecycle runtime of this Jenkins: one {@link JobWatcher} ticking on Jenkins' shared {@link Timer} pool (so
 * waiting on any number of SageMaker jobs and Prefect runs holds no executor), a bounded pool of named daemon threads
 * for the blocking remote calls (create, status reads, stop, Gerrit posts: never on Timer), and the
 * status sources shared per account or server.
 *
 * <p>It belongs to the Jenkins instance (an extension), not to the JVM: {@code Jenkins.cleanUp()} shuts the Timer
 * down, and a runtime kept in a static would hand a later Jenkins in the same JVM (a restart, or the next test) a dead
 * pool. The terminator closes it; the remote jobs go on, and running steps re-arm when Jenkins starts again.
 */
@Extension
public final class Watchers {
    private static final Logger LOGGER = Logger.getLogger(Watchers.class.getName());
    private static final int REMOTE_CALL_THREADS = 10;

    private RemoteJobRuntime runtime;
    private ExecutorService remoteCalls;

    /** This Jenkins' runtime owner. */
    public static Watchers get() {
        return ExtensionList.lookupSingleton(Watchers.class);
    }

    /** This Jenkins' lifecycle runtime: the accessor the step executions use. */
    public static RemoteJobRuntime runtime() {
        return get().current();
    }

    /** This Jenkins' job watcher. */
    public static JobWatcher shared() {
        return runtime().watcher();
    }

    /** The runtime, made on first use on {@link Timer#get()}, and made again should Jenkins replace its Timer. */
    synchronized RemoteJobRuntime current() {
        ScheduledExecutorService timer = Timer.get();
        if (runtime == null || runtime.scheduler() != timer) {
            if (runtime != null) {
                runtime.close();
            }
            if (remoteCalls == null) {
                remoteCalls = RemoteJobRuntime.boundedExecutor("gerrit-ml remote calls", REMOTE_CALL_THREADS);
            }
            runtime = RemoteJobRuntime.on(timer, remoteCalls, JobWatcher.DEFAULT_BACKOFF, Clock.systemUTC());
        }
        return runtime;
    }

    /** When Jenkins stops: stop following (the remote jobs go on) and end this instance's remote-call threads. */
    @Terminator
    public static void closeAll() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins != null) {
            jenkins.getExtensionList(Watchers.class).forEach(Watchers::close);
        }
    }

    synchronized void close() {
        if (runtime != null) {
            LOGGER.fine(() -> "Closing the job watcher with " + runtime.watcher().activeCount() + " jobs followed");
            runtime.close();
            runtime = null;
        }
        if (remoteCalls != null) {
            remoteCalls.shutdownNow();
            remoteCalls = null;
        }
    }
}
