package io.jenkins.plugins.gerritml.prefect;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectEndpoint;
import io.jenkins.plugins.gerritml.core.prefect.StateType;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import jenkins.model.queue.QueueIdStrategy;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * prefectFlowRun in a real Jenkins against the lab's real Prefect server and Gerrit: a completed run votes, an
 * aborted build cancels the run in Prefect, and a Jenkins restart in the middle of the wait resumes it.
 */
@ExtendWith({GerritLab.class, PrefectServerExtension.class})
class PrefectFlowRunStepITest {
    private static final Pattern FLOW_RUN_ID = Pattern.compile("flow-run/([0-9a-f-]{36})");

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void shouldRunTheDeploymentAndVoteWithALinkToTheRun(final GerritServer gerrit, final PrefectServer prefect)
            throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Train", "model/params.yaml", "epochs: 2");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "train", "def run = prefectFlowRun(deployment: "
                    + "'train-model/gerrit-ml', parameters: [epochs: 2])\necho \"outcome=${run.outcome} "
                    + "state=${run.state}\"");
            WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));
            r.assertLogContains("outcome=SUCCEEDED state=Completed", run);
            r.assertLogNotContains(prefect.authString(), run);
            assertThat(lastMessage(gerrit, change)).contains("Verified+1", "Prefect flow run", prefect.uiUrl());
        });
    }

    @Test
    void shouldCancelTheFlowRunWhenTheBuildIsAborted(final GerritServer gerrit, final PrefectServer prefect)
            throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Long", "model/params.yaml", "epochs: 200");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "long", "prefectFlowRun(deployment: 'sleeping-flow/gerrit-ml', "
                    + "parameters: [seconds: 120])");
            WorkflowRun run = LabJenkins.start(job, change);
            r.waitForMessage("is Running", run);
            String id = flowRunId(run);

            run.doStop();

            r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
            r.assertLogContains("Asked Prefect to cancel flow run", run);
            assertThat(awaitState(prefect, id, StateType.CANCELLED)).isEqualTo(StateType.CANCELLED);
        });
    }

    @Test
    void shouldResumeTheWaitAfterAJenkinsRestart(final GerritServer gerrit, final PrefectServer prefect)
            throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Restart", "model/params.yaml", "epochs: 20");
        String[] id = new String[1];
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "restart", "def run = prefectFlowRun(deployment: "
                    + "'sleeping-flow/gerrit-ml', parameters: [seconds: 15])\necho \"outcome=${run.outcome}\"");
            WorkflowRun run = LabJenkins.start(job, change);
            r.waitForMessage("is Running", run);
            id[0] = flowRunId(run);
            assertThat(run.getExecution().getCurrentExecutions(false).get()).singleElement()
                    .satisfies(e -> assertThat(e.getStatus()).contains("waiting for Prefect flow run", id[0]));
        });
        sessions.then(r -> {
            WorkflowRun run = r.jenkins.getItemByFullName("restart", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            r.assertLogContains("After a restart: following Prefect flow run", run);
            r.assertLogContains("outcome=SUCCEEDED", run);
            assertThat(awaitState(prefect, id[0], StateType.COMPLETED)).isEqualTo(StateType.COMPLETED);
            assertThat(lastMessage(gerrit, change)).contains("Verified+1");
        });
    }

    /**
     * Jenkins killed before it saved its queue starts the same queue item again as a new build, while the earlier
     * build resumes: the replay starts nothing, so the trigger's work is done and reviewed once.
     */
    @Test
    void shouldStartNothingInABuildThatReplaysAQueueItemAnEarlierBuildRan(final GerritServer gerrit,
            final PrefectServer prefect) throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Replay", "model/params.yaml", "epochs: 21");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "replay", "prefectFlowRun(deployment: 'sleeping-flow/gerrit-ml', "
                    + "parameters: [seconds: 60])");
            WorkflowRun first = LabJenkins.start(job, change);
            r.waitForMessage("is Running", first);
            ReplayingQueueIds.next = first.getQueueId();

            WorkflowRun replay = r.waitForCompletion(LabJenkins.start(job, change));

            r.assertBuildStatus(Result.NOT_BUILT, replay);
            assertThat(replay.getQueueId()).isEqualTo(first.getQueueId());
            r.assertLogContains("this build replays the queue item that replay #1 already ran", replay);
            r.assertLogNotContains("Started Prefect flow run", replay);
            first.doStop();
            r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(first));
        });
    }

    /** Hands out the id of an item Jenkins already ran, as a queue loaded from an old queue.xml does. */
    @TestExtension("shouldStartNothingInABuildThatReplaysAQueueItemAnEarlierBuildRan")
    public static final class ReplayingQueueIds extends QueueIdStrategy {
        static volatile long next = -1;
        private final AtomicLong ids = new AtomicLong(1000);

        @Override
        public long generateIdFor(final hudson.model.Queue.Task project,
                final java.util.List<hudson.model.Action> actions) {
            long replayed = next;
            next = -1;
            return replayed > 0 ? replayed : ids.incrementAndGet();
        }
    }

    private static String flowRunId(final WorkflowRun run) throws Exception {
        Matcher matcher = FLOW_RUN_ID.matcher(run.getLog());
        assertThat(matcher.find()).as("flow run id in the log").isTrue();
        return matcher.group(1);
    }

    private static StateType awaitState(final PrefectServer prefect, final String id, final StateType wanted)
            throws InterruptedException {
        String auth = prefect.authString();
        PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl(prefect.apiUrl())
                .withBasicAuth(auth).build());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        StateType state = client.readFlowRun(id).getState().getType();
        while (state != wanted && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            state = client.readFlowRun(id).getState().getType();
        }
        return state;
    }

    private static String lastMessage(final GerritServer gerrit, final LabChange change) {
        JsonNode messages = gerrit.readChange(change).get("messages");
        return messages.get(messages.size() - 1).get("message").asText();
    }
}
