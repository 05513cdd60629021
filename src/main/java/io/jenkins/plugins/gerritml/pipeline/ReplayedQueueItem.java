package io.jenkins.plugins.gerritml.pipeline;

import hudson.model.Run;
import jenkins.model.CauseOfInterruption;

import java.util.Optional;

/**
 * Why a step started nothing in a build that replays a queue item an earlier build already ran. Jenkins saves its
 * queue some time after it changes; when the controller dies in between, it loads the item again after the restart
 * and starts it as a new build, while the earlier build resumes too. Both would create the trigger's remote job
 * under their own build number, and both would review it. The earlier build keeps the job; the replay ends
 * {@code NOT_BUILT}, as Gerrit Trigger reads a build that was not needed.
 */
public final class ReplayedQueueItem extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;
    /** How many earlier builds are looked at: a replay comes right after the build it repeats. */
    private static final int LOOK_BACK = 20;

    private final String description;

    ReplayedQueueItem(final String description) {
        this.description = description;
    }

    /** The earlier build of {@code run}'s job that ran the same queue item, if {@code run} replays one. */
    static Optional<Run<?, ?>> earlierRunOf(final Run<?, ?> run) {
        long queueId = run.getQueueId();
        if (queueId <= 0) {
            return Optional.empty(); // not started from the queue
        }
        int looked = 0;
        for (Run<?, ?> other = run.getPreviousBuild(); other != null && looked < LOOK_BACK;
                other = other.getPreviousBuild(), looked++) {
            if (other.getQueueId() == queueId) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    /** The cause for {@code step} in a replay of {@code earlier}. */
    static ReplayedQueueItem of(final String step, final Run<?, ?> earlier) {
        return new ReplayedQueueItem(step + ": this build replays the queue item that " + earlier.getFullDisplayName()
                + " already ran (Jenkins restarted before it saved its queue); that build follows the job, so nothing "
                + "was started here");
    }

    @Override
    public String getShortDescription() {
        return description;
    }
}
