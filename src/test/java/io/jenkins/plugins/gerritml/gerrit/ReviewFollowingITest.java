package io.jenkins.plugins.gerritml.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sonyericsson.hudson.plugins.gerrit.trigger.PluginImpl;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.prefect.StateType;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static io.jenkins.plugins.gerritml.LabReview.await;
import static io.jenkins.plugins.gerritml.LabReview.awaitState;
import static io.jenkins.plugins.gerritml.LabReview.flowRunId;
import static io.jenkins.plugins.gerritml.LabReview.stream;
import static io.jenkins.plugins.gerritml.LabReview.votes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running prefectFlowRun follows the review in a real Jenkins: the lab Gerrit's own {@code patchset-created} (or
 * {@code change-abandoned}) line, read from its {@code stream-events} as Gerrit Trigger's connection reads it, is
 * handed to Gerrit Trigger's event handler; the plugin's listener stops the flow run in Prefect through the step's
 * abort path, the build ends NOT_BUILT, and the old patch set gets a neutral message and no vote.
 */
@ExtendWith({GerritLab.class, PrefectServerExtension.class})
class ReviewFollowingITest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void shouldCancelTheFlowRunOfTheOldPatchSetWhenGerritReportsANewOne(final GerritServer gerrit,
            final PrefectServer prefect) throws Throwable {
        LabChange first = gerrit.createChange(gerrit.dana(), "Follow: retrain", "model/params.yaml", "lr: 0.1");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            assertThat(ReviewFollowing.get().isListening()).as("registered with Gerrit Trigger's handler").isTrue();
            WorkflowJob job = LabJenkins.job(r, "follow", "prefectFlowRun(deployment: 'sleeping-flow/gerrit-ml', "
                    + "parameters: [seconds: 120])");
            WorkflowRun run = LabJenkins.start(job, first);
            r.waitForMessage("is Running", run);
            String id = flowRunId(run);

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            try (GerritEventStream stream = stream(gerrit, lines)) {
                LabChange second = gerrit.newPatchSet(gerrit.dana(), first, "model/params.yaml", "lr: 0.05");
                String line = await(lines, event -> "patchset-created".equals(event.path("type").asText())
                        && event.path("patchSet").path("number").asInt() == second.patchSet());
                Instant received = Instant.now();
                PluginImpl.getHandler_().post(line); // Gerrit Trigger's handler, as its stream connection does

                StateType cancelling = awaitState(prefect, id, s -> s == StateType.CANCELLING
                        || s == StateType.CANCELLED);
                Instant stopped = Instant.now();
                assertThat(awaitState(prefect, id, s -> s == StateType.CANCELLED)).isEqualTo(StateType.CANCELLED);
                Instant cancelled = Instant.now();
                r.assertBuildStatus(Result.NOT_BUILT, r.waitForCompletion(run));
                r.assertLogContains("Superseded by patch set " + second.patchSet() + " of " + first.project() + "~"
                        + first.number() + ": flow run ", run);
                r.assertLogContains("stopped", run);
                r.assertLogContains("Asked Prefect to cancel flow run " + id, run);
                List<JsonNode> neutral = awaitSupersedeMessages(gerrit, first);
                assertThat(neutral).singleElement().satisfies(m -> {
                    assertThat(m.get("_revision_number").asInt()).isEqualTo(first.patchSet());
                    assertThat(m.get("message").asText()).contains("Superseded by patch set " + second.patchSet()
                            + ": flow run ").contains("stopped");
                });
                assertThat(votes(gerrit, first)).as("no vote on any patch set").isEmpty();
                System.out.printf("[latency] patchset-created line -> Prefect %s: %d ms, -> CANCELLED: %d ms%n",
                        cancelling, Duration.between(received, stopped).toMillis(),
                        Duration.between(received, cancelled).toMillis());
            }
        });
    }

    @Test
    void shouldStopOnAbandonButLeaveOptedOutAndOtherChangesJobsRunning(final GerritServer gerrit,
            final PrefectServer prefect) throws Throwable {
        LabChange abandoned = gerrit.createChange(gerrit.dana(), "Follow: abandon me", "model/params.yaml", "a: 1");
        LabChange other = gerrit.createChange(gerrit.dana(), "Follow: other", "model/params.yaml", "b: 1");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "abandon", "prefectFlowRun(deployment: 'sleeping-flow/gerrit-ml', "
                    + "parameters: [seconds: 120])");
            WorkflowJob mustFinish = LabJenkins.job(r, "must-finish", "prefectFlowRun(deployment: "
                    + "'sleeping-flow/gerrit-ml', parameters: [seconds: 120], cancelOnNewPatchSet: false)");
            WorkflowJob otherJob = LabJenkins.job(r, "other", "prefectFlowRun(deployment: "
                    + "'sleeping-flow/gerrit-ml', parameters: [seconds: 120])");
            WorkflowRun run = LabJenkins.start(job, abandoned);
            WorkflowRun kept = LabJenkins.start(mustFinish, abandoned);
            WorkflowRun unrelated = LabJenkins.start(otherJob, other);
            r.waitForMessage("is Running", run);
            r.waitForMessage("is Running", kept);
            r.waitForMessage("is Running", unrelated);
            String id = flowRunId(run);

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            try (GerritEventStream stream = stream(gerrit, lines)) {
                gerrit.rest(gerrit.dana(), "POST", "changes/" + abandoned.project() + "~" + abandoned.number()
                        + "/abandon", Map.of("message", "not needed"));
                String line = await(lines, event -> "change-abandoned".equals(event.path("type").asText()));
                PluginImpl.getHandler_().post(line);

                assertThat(awaitState(prefect, id, s -> s == StateType.CANCELLED)).isEqualTo(StateType.CANCELLED);
                r.assertBuildStatus(Result.NOT_BUILT, r.waitForCompletion(run));
                r.assertLogContains("Change abandoned of " + abandoned.project() + "~" + abandoned.number()
                        + ": flow run ", run);
                assertThat(awaitSupersedeMessages(gerrit, abandoned)).singleElement().satisfies(m -> assertThat(
                        m.get("message").asText()).contains("Change abandoned: flow run ").contains("stopped"));
                Thread.sleep(2000);
                assertThat(kept.isBuilding()).as("cancelOnNewPatchSet: false").isTrue();
                assertThat(unrelated.isBuilding()).as("another change").isTrue();
                kept.doStop();
                unrelated.doStop();
                r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(kept));
                r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(unrelated));
                assertThat(votes(gerrit, abandoned)).isEmpty();
            }
        });
    }

    @Test
    void shouldStopAResumedJobWhosePatchSetWasSupersededWhileJenkinsWasDown(final GerritServer gerrit,
            final PrefectServer prefect) throws Throwable {
        LabChange first = gerrit.createChange(gerrit.dana(), "Follow: across a restart", "model/params.yaml", "e: 1");
        String[] id = new String[1];
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            WorkflowJob job = LabJenkins.job(r, "resume-follow", "prefectFlowRun(deployment: "
                    + "'sleeping-flow/gerrit-ml', parameters: [seconds: 900])");
            WorkflowRun run = LabJenkins.start(job, first);
            r.waitForMessage("is Running", run);
            id[0] = flowRunId(run);
        });
        // Jenkins is down: no event reaches it, and the listener's memory goes with the old controller.
        LabChange second = gerrit.newPatchSet(gerrit.dana(), first, "model/params.yaml", "e: 2");
        sessions.then(r -> {
            WorkflowRun run = r.jenkins.getItemByFullName("resume-follow", WorkflowJob.class).getBuildByNumber(1);

            r.assertBuildStatus(Result.NOT_BUILT, r.waitForCompletion(run));
            r.assertLogContains("Superseded by patch set " + second.patchSet() + " of " + first.project() + "~"
                    + first.number() + ": stopping flow run ", run);
            assertThat(awaitState(prefect, id[0], s -> s == StateType.CANCELLED)).isEqualTo(StateType.CANCELLED);
            assertThat(awaitSupersedeMessages(gerrit, first)).singleElement().satisfies(m -> {
                assertThat(m.get("_revision_number").asInt()).isEqualTo(first.patchSet());
                assertThat(m.get("message").asText()).contains("Superseded by patch set " + second.patchSet()
                        + ": flow run ").contains("stopped");
            });
            assertThat(votes(gerrit, first)).as("no vote on any patch set").isEmpty();
        });
    }

    @Test
    void shouldLeaveTheOldPatchSetsFlowRunRunningOnATrivialRebaseOnlyWhileTheSettingIsOn(final GerritServer gerrit,
            final PrefectServer prefect) throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Follow: rebase me", "model/params.yaml", "d: 1");
        LabChange base = gerrit.createChange(gerrit.dana(), "Follow: first base", "data/one.yaml", "e: 1");
        LabChange otherBase = gerrit.createChange(gerrit.dana(), "Follow: second base", "data/two.yaml", "f: 1");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            LabJenkins.prefect(prefect);
            GerritMlConfiguration.get().setKeepOnTrivialRebase(true);
            WorkflowJob job = LabJenkins.job(r, "rebase", "prefectFlowRun(deployment: 'sleeping-flow/gerrit-ml', "
                    + "parameters: [seconds: 120])");
            WorkflowRun run = LabJenkins.start(job, change);
            r.waitForMessage("is Running", run);
            String id = flowRunId(run);

            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            try (GerritEventStream stream = stream(gerrit, lines)) {
                PluginImpl.getHandler_().post(rebase(gerrit, lines, change, base));
                Thread.sleep(2000);
                assertThat(run.isBuilding()).as("kept on a trivial rebase").isTrue();
                assertThat(awaitState(prefect, id, s -> true)).isEqualTo(StateType.RUNNING);
                assertThat(supersedeMessages(gerrit, change)).isEmpty();

                GerritMlConfiguration.get().setKeepOnTrivialRebase(false); // read at the next event
                PluginImpl.getHandler_().post(rebase(gerrit, lines, change, otherBase));
                assertThat(awaitState(prefect, id, s -> s == StateType.CANCELLED)).isEqualTo(StateType.CANCELLED);
                r.assertBuildStatus(Result.NOT_BUILT, r.waitForCompletion(run));
                assertThat(awaitSupersedeMessages(gerrit, change)).singleElement().satisfies(m -> assertThat(
                        m.get("_revision_number").asInt()).isEqualTo(change.patchSet()));
            }
        });
    }

    @Test
    void shouldDeliverAVoteOwedWhileGerritIsDownOnceItIsBackAndKeepItWithTheBuild(final GerritServer gerrit)
            throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Follow: outage", "model/params.yaml", "c: 1");
        sessions.then(r -> {
            LabJenkins.gerrit(gerrit);
            WorkflowJob job = LabJenkins.job(r, "outage", "gerritVote(labels: [Verified: 1], message: 'Outage vote')");
            gerrit.stopDaemon();
            WorkflowRun run;
            Instant back;
            try {
                run = LabJenkins.start(job, change);
                r.waitForMessage("not delivered yet", run);
                Thread.sleep(5000); // a few attempts against the stopped Gerrit
            } finally {
                gerrit.startDaemon();
                back = Instant.now();
            }
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            Instant landed = Instant.now();
            long votes = 0;
            for (JsonNode message : gerrit.readChange(change).get("messages")) {
                if (message.get("message").asText().contains("Outage vote")) {
                    votes++;
                }
            }
            assertThat(votes).as("the vote landed once").isEqualTo(1);
            assertThat(GerritReviews.outboxOf(run).entries()).singleElement().satisfies(entry -> {
                assertThat(entry.getState()).isEqualTo(io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry.State.DONE);
                assertThat(entry.getAttempts()).isGreaterThan(1);
            });
            assertThat(new java.io.File(run.getRootDir(), GerritReviews.OUTBOX_FOLDER)).isDirectory();
            System.out.printf("[latency] Gerrit answering again -> build with its vote done: %d ms%n",
                    Duration.between(back, landed).toMillis());
        });
    }

    /**
     * gerritVote holds no thread and survives a controller restart: owed while Gerrit is down, it is delivered by
     * the restarted controller from the build's outbox, once.
     */
    @Test
    void shouldDeliverAVoteOwedAcrossAControllerRestartOnce(final GerritServer gerrit) throws Throwable {
        LabChange change = gerrit.createChange(gerrit.dana(), "Follow: vote across a restart", "model/params.yaml",
                "v: 1");
        gerrit.stopDaemon();
        try {
            sessions.then(r -> {
                LabJenkins.gerrit(gerrit);
                WorkflowJob job = LabJenkins.job(r, "restart-vote", "gerritVote(labels: [Verified: 1], message: "
                        + "'Restart vote')\necho 'vote step done'");
                WorkflowRun run = LabJenkins.start(job, change);
                r.waitForMessage("not delivered yet", run);
                assertThat(run.getExecution().getCurrentExecutions(false).get()).singleElement()
                        .satisfies(e -> assertThat(e.getStatus()).contains("posting the review through the build's "
                                + "outbox"));
            });
        } finally {
            gerrit.startDaemon();
        }
        sessions.then(r -> {
            WorkflowRun run = r.jenkins.getItemByFullName("restart-vote", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            r.assertLogContains("vote step done", run);
            long votes = 0;
            for (JsonNode message : gerrit.readChange(change).get("messages")) {
                if (message.get("message").asText().contains("Restart vote")) {
                    votes++;
                }
            }
            assertThat(votes).as("the vote landed once").isEqualTo(1);
            assertThat(GerritReviews.outboxOf(run).entries()).singleElement().satisfies(entry -> assertThat(
                    entry.getState()).isEqualTo(io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry.State.DONE));
        });
    }

    /** Rebases {@code change} onto the open change {@code base}: Gerrit's {@code patchset-created} line for it. */
    private static String rebase(final GerritServer gerrit, final BlockingQueue<String> lines, final LabChange change,
            final LabChange base) throws Exception {
        gerrit.rest(gerrit.dana(), "POST", "changes/" + change.project() + "~" + change.number() + "/rebase",
                Map.of("base", base.revision()));
        String line = await(lines, event -> "patchset-created".equals(event.path("type").asText())
                && event.path("change").path("number").asInt() == change.number());
        assertThat(JSON.readTree(line).path("patchSet").path("kind").asText()).isEqualTo("TRIVIAL_REBASE");
        return line;
    }

    private static List<JsonNode> awaitSupersedeMessages(final GerritServer gerrit, final LabChange change)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        List<JsonNode> found = supersedeMessages(gerrit, change);
        while (found.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            found = supersedeMessages(gerrit, change);
        }
        return found;
    }

    private static List<JsonNode> supersedeMessages(final GerritServer gerrit, final LabChange change) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode message : gerrit.readChange(change).get("messages")) {
            if ("autogenerated:gerrit-ml:supersede".equals(message.path("tag").asText())) {
                found.add(message);
            }
        }
        return found;
    }
}
