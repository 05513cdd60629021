package io.jenkins.plugins.gerritml.pipeline;

import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;

import java.util.ArrayList;
import java.util.List;

/** Why a step was stopped, in words a remote system's log can carry ("Aborted by alice"). */
public final class Interruptions {
    private Interruptions() {
    }

    public static String describe(final Throwable cause) {
        if (cause instanceof FlowInterruptedException) {
            List<String> why = new ArrayList<>();
            for (CauseOfInterruption c : ((FlowInterruptedException) cause).getCauses()) {
                why.add(c.getShortDescription());
            }
            if (!why.isEmpty()) {
                return String.join("; ", why);
            }
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
