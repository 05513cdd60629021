package io.jenkins.plugins.gerritml.pipeline;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The one {@link JobWatcher} of this Jenkins. It runs on Jenkins' shared {@link Timer} pool, so waiting on any number
 * of SageMaker jobs and Prefect runs holds no executor and no thread of its own.
 *
 * <p>It belongs to the Jenkins instance (an extension), not to the JVM: {@code Jenkins.cleanUp()} shuts the Timer
 * down, and a watcher kept in a static would hand a later Jenkins in the same JVM (a restart in tests) a dead pool.
 * The terminator closes it; things built on it (per-server status sources) are kept here too, so they go with it.
 */
@Extension
public final class Watchers {
    private static final Logger LOGGER = Logger.getLogger(Watchers.class.getName());

    private JobWatcher watcher;
    private final Map<String, Object> perWatcher = new ConcurrentHashMap<>();

    /** This Jenkins' watchers. */
    public static Watchers get() {
        return ExtensionList.lookupSingleton(Watchers.class);
    }

    /** This Jenkins' job watcher: the accessor steps use. */
    public static JobWatcher shared() {
        return get().watcher();
    }

    /** The watcher, made on first use on {@link Timer#get()}. */
    public synchronized JobWatcher watcher() {
        if (watcher == null) {
            watcher = new JobWatcher(Timer.get(), JobWatcher.DEFAULT_BACKOFF, Clock.systemUTC());
        }
        return watcher;
    }

    /**
     * Something that lives as long as the watcher (e.g. one batched status source per Prefect server), made once per
     * key.
     */
    public <T> T perWatcher(final String key, final Class<T> type, final Function<String, T> create) {
        return type.cast(perWatcher.computeIfAbsent(key, create::apply));
    }

    /** When Jenkins stops: stop following (the remote jobs go on; running steps re-arm when Jenkins starts again). */
    @Terminator
    public static void closeAll() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins != null) {
            jenkins.getExtensionList(Watchers.class).forEach(Watchers::close);
        }
    }

    synchronized void close() {
        perWatcher.clear();
        if (watcher != null) {
            LOGGER.fine(() -> "Closing the job watcher with " + watcher.activeCount() + " jobs followed");
            watcher.close();
            watcher = null;
        }
    }
}
