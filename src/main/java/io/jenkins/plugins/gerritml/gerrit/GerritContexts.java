package io.jenkins.plugins.gerritml.gerrit;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.sonyericsson.hudson.plugins.gerrit.trigger.GerritServer;
import com.sonyericsson.hudson.plugins.gerrit.trigger.PluginImpl;
import com.sonyericsson.hudson.plugins.gerrit.trigger.config.IGerritHudsonTriggerConfig;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccessRefusedException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritCredentialPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritParameterException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.util.CredentialsLookup;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.IOException;

/**
 * Where a build's Gerrit context and REST connection come from. The only decisions here are Jenkins ones (which
 * cause, which credential); everything about Gerrit itself is in core.
 */
public final class GerritContexts {
    private static final String SETTINGS = "Manage Jenkins → System → Gerrit ML Pipelines";

    private GerritContexts() {
    }

    /**
     * The build's change: from Gerrit Trigger's cause when the build has one (trusted: it came from Gerrit's stream),
     * else from the {@code GERRIT_*} parameters (marked unverified).
     */
    public static GerritChange of(final Run<?, ?> run, final EnvVars env) throws AbortException {
        try {
            GerritCause cause = run.getCause(GerritCause.class);
            if (cause != null && cause.getEvent() != null) {
                return GerritChangeFactory.fromEvent(cause.getEvent());
            }
            return GerritChangeFactory.fromParameters(env);
        } catch (GerritParameterException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /**
     * The build's change as {@link #of(Run, EnvVars)} finds it, for a step that starts: when Gerrit's event started
     * the build and {@code GERRIT_*} variables name another change (a {@code withEnv}), the build log says they are
     * ignored.
     */
    public static GerritChange of(final StepContext context) throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        EnvVars env = context.get(EnvVars.class);
        GerritChange change = of(run, env);
        if (change.isVerified() && env != null) {
            GerritChangeFactory.ignoredParameters(change, env).ifPresent(line -> {
                try {
                    context.get(TaskListener.class).getLogger().println("[gerrit-ml] " + line);
                } catch (IOException | InterruptedException e) { // NOPMD: the notice is lost, the step goes on
                    // nothing to do
                }
            });
        }
        return change;
    }

    /**
     * REST access for {@code change}, as core's {@link GerritCredentialPolicy} decides: an explicit credentials id
     * wins; Gerrit Trigger's REST account only when the build's own {@code GerritCause} event is about this change
     * and patch set; else the plugin's default credential. Stored credentials are looked up as the build, tracked.
     */
    public static GerritRestConfig restConfig(final Run<?, ?> run, final GerritChange change,
            final String credentialsId) throws AbortException {
        GerritMlConfiguration global = GerritMlConfiguration.get();
        IGerritHudsonTriggerConfig trigger = triggerConfig(change.getServerName());
        String url = Util.fixEmptyAndTrim(global.getGerritUrl());
        if (url == null && trigger != null) {
            url = trigger.getGerritFrontEndUrl();
        }
        boolean triggerAccount = trigger != null && trigger.isUseRestApi()
                && Util.fixEmpty(trigger.getGerritHttpUserName()) != null;
        GerritCredentialPolicy.Choice choice;
        try {
            choice = GerritCredentialPolicy.choose(ownEvent(run), change, credentialsId,
                    global.getGerritCredentialsId(), triggerAccount);
        } catch (GerritAccessRefusedException e) {
            throw new AbortException(e.getMessage().replace("set default Gerrit HTTP credentials",
                    "set 'Gerrit HTTP credentials' in " + SETTINGS));
        }
        if (choice.isTriggerAccount()) {
            return GerritRestConfig.of(trigger.getGerritFrontEndUrl(), trigger.getGerritHttpUserName(),
                    Secret.of(hudson.util.Secret.toString(trigger.getGerritHttpSecretPassword())),
                    hudson.ProxyConfiguration::newHttpClientBuilder);
        }
        String id = choice.getCredentialsId();
        if (url == null) {
            throw new AbortException("No Gerrit URL for change " + change.getRestId() + ": set it in Manage Jenkins → "
                    + "System → Gerrit ML Pipelines, or configure Gerrit Trigger's server '" + change.getServerName()
                    + "'.");
        }
        StandardUsernamePasswordCredentials credentials = CredentialsLookup.find(run, id,
                StandardUsernamePasswordCredentials.class, "Gerrit REST at " + url);
        return GerritRestConfig.of(url, credentials.getUsername(),
                Secret.of(credentials.getPassword().getPlainText()),
                hudson.ProxyConfiguration::newHttpClientBuilder);
    }

    /**
     * Refuses {@code review} unless the administrator's vote allow-list for the change's Gerrit server allows every
     * label and value in it; call before posting.
     */
    public static void checkVote(final GerritChange change, final Review review) throws AbortException {
        try {
            GerritMlConfiguration.get().voteAllowList().check(change.getServerName(), review);
        } catch (GerritAccessRefusedException e) {
            throw new AbortException(e.getMessage().replace("in the vote allow-list", "in " + SETTINGS
                    + ": what builds may do → Votes the steps may post"));
        }
    }

    /** The change of the Gerrit event that started the build (trusted), or null. */
    private static GerritChange ownEvent(final Run<?, ?> run) {
        GerritCause cause = run.getCause(GerritCause.class);
        if (cause == null || cause.getEvent() == null) {
            return null;
        }
        try {
            return GerritChangeFactory.fromEvent(cause.getEvent());
        } catch (GerritParameterException e) {
            return null;
        }
    }

    /**
     * Who set the build off, for audit lines: the Gerrit account of the event (uploader, approver, submitter) when
     * Gerrit's stream started it, else the user who started the build ("user alice"), else the build ("build ml #3").
     */
    public static String triggeredBy(final Run<?, ?> run, final GerritChange change) {
        if (change.isVerified() && !change.getEventAccount().getDisplayName().isBlank()) {
            return change.getEventAccount().getDisplayName();
        }
        // The subject of "... started Prefect flow run ...": a user's name, else the build ("Started by user
        // anonymous started ..." read badly).
        hudson.model.Cause.UserIdCause user = run.getCause(hudson.model.Cause.UserIdCause.class);
        if (user != null && Util.fixEmptyAndTrim(user.getUserName()) != null) {
            return "user " + user.getUserName().trim();
        }
        return "build " + run.getFullDisplayName();
    }

    /** Gerrit Trigger's configuration of the server named {@code serverName}, or null. */
    @CheckForNull
    static IGerritHudsonTriggerConfig triggerConfig(@CheckForNull final String serverName) {
        if (Util.fixEmpty(serverName) == null) {
            return null;
        }
        GerritServer server = PluginImpl.getServer_(serverName);
        return server == null ? null : server.getConfig();
    }
}
