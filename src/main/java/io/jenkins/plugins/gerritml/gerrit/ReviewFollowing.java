package io.jenkins.plugins.gerritml.gerrit;

import com.sonyericsson.hudson.plugins.gerrit.trigger.api.GerritTriggerApi;
import com.sonymobile.tools.gerrit.gerritevents.GerritEventListener;
import com.sonymobile.tools.gerrit.gerritevents.Handler;
import com.sonymobile.tools.gerrit.gerritevents.dto.GerritEvent;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.init.Terminator;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.ChangeEvent;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.RunningJob;
import io.jenkins.plugins.gerritml.core.gerrit.StopAuthority;
import io.jenkins.plugins.gerritml.core.gerrit.SupersedeListener;
import io.jenkins.plugins.gerritml.pipeline.Watchers;
import jenkins.model.Jenkins;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Jenkins' side of core's {@link SupersedeListener}: Gerrit Trigger's events in, the running {@code sagemakerTrain}
 * and {@code prefectFlowRun} executions registered by the steps themselves. The decisions (which event stops which
 * job, the neutral message) are core's; this class only maps Gerrit Trigger's event types and hands the work to the
 * remote-call pool, so Gerrit Trigger's event threads never wait on SageMaker, Prefect or Gerrit.
 *
 * <p>Events come from Gerrit Trigger's handler through its public API ({@link GerritTriggerApi#getHandler()}), which
 * every configured Gerrit server's stream feeds; nothing here opens a second stream.
 */
@Extension
public final class ReviewFollowing implements GerritEventListener {
    private static final Logger LOGGER = Logger.getLogger(ReviewFollowing.class.getName());

    private final SupersedeListener listener = new SupersedeListener(ReviewFollowing::keepOnTrivialRebase,
            (change, review) -> {
                throw new IllegalStateException("no poster for " + change.getRestId()); // each job brings its own
            }, Clock.systemUTC(), line -> LOGGER.info(line));
    private volatile Handler handler;

    public static ReviewFollowing get() {
        return ExtensionList.lookupSingleton(ReviewFollowing.class);
    }

    /**
     * The administrator's {@link GerritMlConfiguration#isKeepOnTrivialRebase()}, read at each event (not when this
     * extension is made, which is before the configuration may be). {@code false}, the default, when the
     * configuration cannot be read: a trivial rebase then stops older jobs like any new patch set.
     */
    static boolean keepOnTrivialRebase() {
        try {
            return GerritMlConfiguration.get().isKeepOnTrivialRebase();
        } catch (RuntimeException | LinkageError e) {
            LOGGER.log(Level.WARNING, "Cannot read the Gerrit ML Pipelines configuration; a trivial rebase stops "
                    + "older ML jobs like any new patch set: " + e, e);
            return false;
        }
    }

    /** Core's listener, which the running executions register with. */
    public SupersedeListener listener() {
        return listener;
    }

    /** Once Gerrit Trigger has made its handler (it does so before extensions are augmented). */
    @Initializer(after = InitMilestone.EXTENSIONS_AUGMENTED)
    public static void listen() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || jenkins.getPlugin("gerrit-trigger") == null) {
            return;
        }
        get().attach();
    }

    synchronized void attach() {
        try {
            Handler current = new GerritTriggerApi().getHandler();
            if (current != handler) {
                current.addListener(this);
                handler = current;
                LOGGER.fine("Following Gerrit Trigger's events: new patch sets and abandons stop older ML jobs");
            }
        } catch (Exception | LinkageError e) {
            LOGGER.log(Level.WARNING, "Cannot follow Gerrit Trigger's events; sagemakerTrain and prefectFlowRun "
                    + "will not stop when their patch set is superseded: " + e, e);
        }
    }

    @Terminator
    public static void stopListening() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins != null) {
            jenkins.getExtensionList(ReviewFollowing.class).forEach(ReviewFollowing::detach);
        }
    }

    synchronized void detach() {
        Handler current = handler;
        handler = null;
        if (current != null) {
            try {
                current.removeListener(this);
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Gerrit Trigger's handler is gone already", e);
            }
        }
    }

    /** Whether Gerrit Trigger's handler feeds this listener. */
    public boolean isListening() {
        return handler != null;
    }

    @Override
    public void gerritEvent(final GerritEvent event) {
        Optional<ChangeEvent> change = ChangeEvent.fromGerritEvent(event);
        if (change.isEmpty()) {
            return;
        }
        onEvent(change.get());
    }

    /** Hands {@code event} to core's listener on the remote-call pool. */
    public void onEvent(final ChangeEvent event) {
        try {
            Watchers.runtime().executor().execute(() -> {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Could not act on " + event, e);
                }
            });
        } catch (RejectedExecutionException | IllegalStateException e) {
            LOGGER.log(Level.WARNING, "Jenkins is shutting down: " + event + " is not acted on", e);
        }
    }

    /**
     * Who may stop a job of {@code run} from the review: the change owner, and members of the global configuration's
     * stop groups, read with the build's Gerrit credentials when someone else asks.
     */
    public static StopAuthority stopAuthority(final Run<?, ?> run, final GerritChange change,
            final String credentialsId, final TaskListener buildLog) {
        return (request, job) -> StopAuthority.changeOwnerOr(GerritMlConfiguration.get().stopGroupList(), group -> {
            try {
                return new GerritRestClient(GerritContexts.restConfig(run, change, credentialsId), 1,
                        GerritRestClient.DEFAULT_BACKOFF, line -> buildLog.getLogger().println("[gerrit-ml] " + line))
                        .getGroupMembers(group);
            } catch (hudson.AbortException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }).refusal(request, job);
    }

    /**
     * Reads {@code job}'s change once and stops the job if the review has moved past its patch set: for what no event
     * told Jenkins (Gerrit Trigger was disconnected, or Jenkins was down when the new patch set came). Called off the
     * CPS thread when an execution starts following, at start and after a restart; a failed read is only logged.
     */
    public void catchUp(final Run<?, ?> run, final RunningJob job, final String credentialsId,
            final TaskListener buildLog) {
        GerritChange change = job.getChange();
        try {
            GerritRestClient client = new GerritRestClient(GerritContexts.restConfig(run, change, credentialsId), 1,
                    GerritRestClient.DEFAULT_BACKOFF, line -> buildLog.getLogger().println("[gerrit-ml] " + line));
            listener.catchUp(job, client.getChange(change.getRestId()));
        } catch (hudson.AbortException e) {
            // no Gerrit access configured for this change: the step says so itself, in its own words
        } catch (RuntimeException e) {
            buildLog.getLogger().println("[gerrit-ml] Could not read " + change.getRestId() + " to see whether "
                    + job.getDescription() + " was superseded while no event reached Jenkins: " + e.getMessage());
        }
    }
}
