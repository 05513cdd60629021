package io.jenkins.plugins.gerritml.gerrit;

import com.sonyericsson.hudson.plugins.gerrit.trigger.config.IGerritHudsonTriggerConfig;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritTrigger;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.data.SkipVote;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.gerritml.core.gerrit.TriggerVoting;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * Refuses, before a step does anything, to vote a label that the job's own Gerrit Trigger votes too (core's
 * {@link TriggerVoting}): the trigger's vote would replace the step's, so a -1 could silently become +1.
 */
public final class TriggerVotes {
    private TriggerVotes() {
    }

    /** Fails the step when {@code label} (null: the step does not vote) collides with the trigger's vote. */
    public static void check(final StepContext context, final String step, @CheckForNull final String label)
            throws IOException, InterruptedException {
        if (label != null) {
            check(context.get(Run.class), step, java.util.List.of(label));
        }
    }

    /** Fails when one of {@code labels} collides with the vote of the Gerrit Trigger that started {@code run}. */
    public static void check(@CheckForNull final Run<?, ?> run, final String step, final Collection<String> labels)
            throws AbortException {
        GerritCause cause = run == null ? null : run.getCause(GerritCause.class);
        if (cause == null || cause.isSilentMode() || labels.isEmpty()) {
            return; // not started by Gerrit Trigger, or started silently: it does not report on this build
        }
        GerritTrigger trigger = GerritTrigger.getTrigger(run.getParent());
        if (trigger == null) {
            return;
        }
        TriggerVoting voting = of(trigger, GerritContexts.triggerConfig(cause.getEvent() == null
                || cause.getEvent().getProvider() == null ? null : cause.getEvent().getProvider().getName()));
        for (String label : labels) {
            Optional<String> conflict = voting.conflictWith(step, label);
            if (conflict.isPresent()) {
                throw new AbortException(conflict.get());
            }
        }
    }

    static TriggerVoting of(final GerritTrigger trigger, @CheckForNull final IGerritHudsonTriggerConfig server) {
        SkipVote skip = trigger.getSkipVote();
        TriggerVoting.Builder voting = TriggerVoting.builder().withSilentMode(trigger.isSilentMode())
                .withSilentStartMode(trigger.isSilentStartMode())
                .withRestReporting(server != null && server.isUseRestApi(), server == null || server.isRestVerified());
        if (skip != null) {
            voting.withSkipVote(skip.isOnSuccessful(), skip.isOnFailed(), skip.isOnUnstable(), skip.isOnNotBuilt(),
                    skip.isOnAborted());
        }
        return voting.build();
    }
}
