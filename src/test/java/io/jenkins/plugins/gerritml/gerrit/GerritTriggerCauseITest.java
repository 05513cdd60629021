package io.jenkins.plugins.gerritml.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritTrigger;
import com.sonymobile.tools.gerrit.gerritevents.GerritJsonEventFactory;
import com.sonymobile.tools.gerrit.gerritevents.dto.GerritJsonEvent;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Provider;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.PatchsetCreated;
import hudson.model.CauseAction;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Builds started the way Gerrit Trigger starts them: a {@link GerritCause} holding the patchset-created event read
 * from the lab Gerrit's real {@code stream-events}, parsed by Gerrit Trigger's gerrit-events; the job carries a
 * {@link GerritTrigger} whose settings decide whether it votes Verified itself.
 */
@WithJenkins
@ExtendWith(GerritLab.class)
class GerritTriggerCauseITest {
    private static final String SERVER = "lab";

    /** Uploads a change while listening to the stream and returns its patchset-created event, as Gerrit Trigger has it. */
    private static PatchsetCreated uploadAndReadTheEvent(final GerritServer gerrit, final String subject)
            throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        LabChange change;
        try (GerritEventStream stream = GerritEventStream.connect(gerrit.host(), gerrit.sshPort(),
                gerrit.jenkins().username(), gerrit.jenkinsSshKeyFile(), Secret.empty(), null, lines::add,
                e -> lines.add("{\"failure\":\"" + e + "\"}"))) {
            change = gerrit.createChange(gerrit.dana(), subject, "train/params.yaml", subject + "\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                assertThat(line).doesNotContain("\"failure\"");
                GerritJsonEvent event = GerritJsonEventFactory.getEvent(JSONObject.fromObject(line));
                // The lab uploads through a change edit: the event of the patch set the change ends at.
                if (event instanceof PatchsetCreated created
                        && created.getChange().getNumber().equals(String.valueOf(change.number()))
                        && created.getPatchSet().getNumber().equals(String.valueOf(change.patchSet()))) {
                    // Gerrit Trigger stamps every event with the server it came from.
                    created.setProvider(new Provider(SERVER, gerrit.host(), String.valueOf(gerrit.sshPort()),
                            "ssh", gerrit.url(), ""));
                    return created;
                }
            }
        }
        return fail("no patchset-created event for change " + change.number() + " on the stream");
    }

    private static WorkflowJob job(final JenkinsRule r, final String name, final String script,
            final boolean silentTrigger) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        GerritTrigger trigger = new GerritTrigger(new ArrayList<>());
        trigger.setSilentMode(silentTrigger);
        job.addTrigger(trigger);
        return job;
    }

    private static WorkflowRun start(final WorkflowJob job, final PatchsetCreated event, final boolean silent)
            throws Exception {
        return job.scheduleBuild2(0, new CauseAction(new GerritCause(event, silent))).waitForStart();
    }

    @Test
    void shouldTakeTheChangeFromTheEventAndVoteALabelOfItsOwn(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        gerrit.createLabel("Model-Verified");
        // The steps vote only what the administrator's allow-list names (default: Verified only).
        GerritMlConfiguration.get().setVoteAllowList("Model-Verified -1..+1");
        PatchsetCreated event = uploadAndReadTheEvent(gerrit, "Stream: tune dropout");
        WorkflowJob job = job(r, "from-stream", "def c = gerritChange()\n"
                + "echo \"verified=${c.verified} change=${c.changeNumber} ps=${c.patchSetNumber}\"\n"
                + "gerritVote(labels: ['Model-Verified': 1], message: 'Trained from the stream')", false);

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(start(job, event, false)));

        r.assertLogContains("verified=true change=" + event.getChange().getNumber() + " ps="
                + event.getPatchSet().getNumber(), run);
        JsonNode read = gerrit.rest(gerrit.admin(), "GET", "changes/" + event.getChange().getNumber()
                + "?o=DETAILED_LABELS&o=MESSAGES&o=DETAILED_ACCOUNTS", null);
        JsonNode last = read.get("messages").get(read.get("messages").size() - 1);
        assertThat(last.get("message").asText()).as(JenkinsRule.getLog(run))
                .contains("Model-Verified+1", "Trained from the stream");
        assertThat(read.at("/labels/Model-Verified/all")).as(read.toPrettyString())
                .anySatisfy(vote -> assertThat(vote.get("username").asText() + vote.get("value").asInt())
                        .isEqualTo("jenkins1"));
    }

    @Test
    void shouldRefuseVerifiedWhileTheJobsTriggerVotesItAndVoteOnceItIsSilent(final JenkinsRule r,
            final GerritServer gerrit) throws Exception {
        LabJenkins.gerrit(gerrit);
        PatchsetCreated event = uploadAndReadTheEvent(gerrit, "Stream: more epochs");
        String script = "gerritVote(labels: [Verified: 1], message: 'Checked')";

        WorkflowJob voting = job(r, "trigger-votes", script, false);
        WorkflowRun refused = r.waitForCompletion(start(voting, event, false));
        r.assertBuildStatus(Result.FAILURE, refused);
        r.assertLogContains("gerritVote: this job's Gerrit Trigger votes Verified itself (when the build starts and "
                + "when it ends)", refused);
        JsonNode before = gerrit.rest(gerrit.admin(), "GET", "changes/" + event.getChange().getNumber()
                + "?o=DETAILED_LABELS&o=DETAILED_ACCOUNTS", null);
        assertThat(before.at("/labels/Verified/all").findValuesAsText("value")).doesNotContain("1", "-1");

        WorkflowJob silent = job(r, "trigger-silent", script, true);
        r.assertBuildStatusSuccess(r.waitForCompletion(start(silent, event, true)));
        JsonNode after = gerrit.rest(gerrit.admin(), "GET", "changes/" + event.getChange().getNumber()
                + "?o=DETAILED_LABELS&o=DETAILED_ACCOUNTS", null);
        assertThat(after.at("/labels/Verified/all")).as(after.toPrettyString())
                .anySatisfy(vote -> assertThat(vote.get("username").asText() + vote.get("value").asInt())
                        .isEqualTo("jenkins1"));
    }
}
