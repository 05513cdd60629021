package io.jenkins.plugins.gerritml.gerrit;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.sonyericsson.hudson.plugins.gerrit.trigger.GerritServer;
import com.sonyericsson.hudson.plugins.gerrit.trigger.PluginImpl;
import com.sonyericsson.hudson.plugins.gerrit.trigger.config.IGerritHudsonTriggerConfig;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritParameterException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.util.CredentialsLookup;

/**
 * Where a build's Gerrit context and REST connection come from. The only decisions here are Jenkins ones (which
 * cause, which credential); everything about Gerrit itself is in core.
 */
public final class GerritContexts {
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
     * REST access for {@code change}: an explicit credentials id wins; else Gerrit Trigger's server configuration when
     * it has REST credentials; else the plugin's global defaults.
     */
    public static GerritRestConfig restConfig(final Run<?, ?> run, final GerritChange change,
            final String credentialsId) throws AbortException {
        GerritMlConfiguration global = GerritMlConfiguration.get();
        IGerritHudsonTriggerConfig trigger = triggerConfig(change.getServerName());
        String url = Util.fixEmptyAndTrim(global.getGerritUrl());
        if (url == null && trigger != null) {
            url = trigger.getGerritFrontEndUrl();
        }
        if (Util.fixEmptyAndTrim(credentialsId) == null && trigger != null && trigger.isUseRestApi()
                && Util.fixEmpty(trigger.getGerritHttpUserName()) != null) {
            return GerritRestConfig.of(trigger.getGerritFrontEndUrl(), trigger.getGerritHttpUserName(),
                    Secret.of(hudson.util.Secret.toString(trigger.getGerritHttpSecretPassword())),
                    hudson.ProxyConfiguration::newHttpClientBuilder);
        }
        String id = Util.fixEmptyAndTrim(credentialsId) != null ? credentialsId : global.getGerritCredentialsId();
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

    private static IGerritHudsonTriggerConfig triggerConfig(final String serverName) {
        if (Util.fixEmpty(serverName) == null) {
            return null;
        }
        GerritServer server = PluginImpl.getServer_(serverName);
        return server == null ? null : server.getConfig();
    }
}
