package io.jenkins.plugins.gerritml.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sonyericsson.hudson.plugins.gerrit.trigger.PluginImpl;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.EventListener;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritTrigger;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.data.Branch;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.data.CompareType;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.data.GerritProject;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.events.PluginCommentAddedContainsEvent;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.events.PluginGerritEvent;
import com.sonymobile.tools.gerrit.gerritevents.GerritJsonEventFactory;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Provider;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.CommentAdded;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabUser;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;

import static io.jenkins.plugins.gerritml.LabReview.await;
import static io.jenkins.plugins.gerritml.LabReview.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Checks tab's Rerun, end to end up to Gerrit Trigger's scheduling: the comment the web plugin posts
 * ({@code gerrit-ml rerun <check>}, see {@code engine/checks/src/gerrit-ml-checks.js}) is posted over REST as a lab
 * user; Gerrit's own {@code comment-added} line, read from its {@code stream-events} as Gerrit Trigger's connection
 * reads it (so with Gerrit's {@code Patch Set N:} prefix and blank line), is handed to Gerrit Trigger's handler with
 * the provider its connection to the server {@code lab} stamps on it. Jobs carry the trigger the docs tell admins to
 * configure (docs/checks-tab.md, docs/admin-guide.md): one <em>Comment Added Contains Regular Expression</em> event
 * with {@code ^gerrit-ml rerun\b} (every check) or {@code ^gerrit-ml rerun Prefect train/prod$} (one check).
 */
@WithJenkins
@ExtendWith(GerritLab.class)
class RerunFromReviewITest {
    /** What docs/checks-tab.md and docs/admin-guide.md tell admins to configure. */
    static final String ANY_CHECK = "^gerrit-ml rerun\\b";
    static final String ONE_CHECK = "^gerrit-ml rerun Prefect train/prod$";
    /** The Checks tab's Stop comment: must never start a job configured for Stop, nor be taken for a rerun. */
    static final String STOP = "^gerrit-ml stop\\b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "echo \"rerun type=${env.GERRIT_EVENT_TYPE} change=${env.GERRIT_CHANGE_NUMBER}"
            + " ps=${env.GERRIT_PATCHSET_NUMBER} project=${env.GERRIT_PROJECT}\"";
    /** Long enough for Gerrit Trigger's worker and its build-schedule delay (3 s with no server config). */
    private static final Duration NOTHING_SCHEDULED_WITHIN = Duration.ofSeconds(8);

    @Test
    void shouldRerunTheDocumentedJobsFromTheCommentTheChecksTabPosts(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Rerun: retrain", "model/params.yaml", "lr: 0.4");
        WorkflowJob anyCheck = job(r, "rerun-any-check", change.project(), ANY_CHECK);
        WorkflowJob oneCheck = job(r, "rerun-prefect-train-prod", change.project(), ONE_CHECK);
        WorkflowJob stopOnly = job(r, "control-stop", change.project(), STOP);
        List<WorkflowJob> all = List.of(anyCheck, oneCheck, stopOnly);

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (GerritEventStream stream = stream(gerrit, lines)) {
            // Control comments: nothing may be scheduled.
            for (String text : List.of("looks good", "please gerrit-ml rerun Prefect train/prod",
                    "Why? gerrit-ml rerun", "gerrit-ml rerunPrefect train/prod")) {
                post(comment(gerrit, lines, gerrit.bob(), change, text));
                assertNothingScheduled(r, all, Duration.ofSeconds(1)); // quick check; the long one follows
            }
            assertNothingScheduled(r, all, NOTHING_SCHEDULED_WITHIN);

            // The Checks tab's Rerun of "Prefect train/prod", exactly as the web plugin words it.
            String rerun = "gerrit-ml rerun Prefect train/prod";
            JsonNode event = post(comment(gerrit, lines, gerrit.dana(), change, rerun));
            assertThat(event.path("comment").asText()).as("Gerrit prefixes the patch set")
                    .matches(Pattern.compile("Patch Set \\d+:\\n\\n" + Pattern.quote(rerun) + "\\n?", Pattern.DOTALL));
            System.out.printf("[rerun] Gerrit's comment-added comment: %s%n",
                    JSON.writeValueAsString(event.path("comment").asText()));
            WorkflowRun generic = awaitBuild(r, anyCheck, 1);
            WorkflowRun prefect = awaitBuild(r, oneCheck, 1);
            assertRerun(r, generic, change, rerun);
            assertRerun(r, prefect, change, rerun);
            assertNothingScheduled(r, List.of(stopOnly), NOTHING_SCHEDULED_WITHIN);
            assertThat(anyCheck.getBuilds()).as("one build per comment").hasSize(1);
            assertThat(oneCheck.getBuilds()).as("one build per comment").hasSize(1);

            // Rerun of another check: only the job configured for every check.
            String other = "gerrit-ml rerun SageMaker training x";
            post(comment(gerrit, lines, gerrit.alice(), change, other));
            WorkflowRun second = awaitBuild(r, anyCheck, 2);
            assertRerun(r, second, change, other);
            assertNothingScheduled(r, List.of(oneCheck, stopOnly), NOTHING_SCHEDULED_WITHIN);
            assertThat(oneCheck.getBuilds()).hasSize(1);
            assertThat(anyCheck.getBuilds()).hasSize(2);

            // The Stop comment starts the Stop job only (the control job is not dead).
            post(comment(gerrit, lines, gerrit.dana(), change, "gerrit-ml stop 0b6f0000-0000-0000-0000-000000000000"));
            r.assertBuildStatusSuccess(r.waitForCompletion(awaitBuild(r, stopOnly, 1)));
            assertNothingScheduled(r, List.of(anyCheck, oneCheck), NOTHING_SCHEDULED_WITHIN);
            assertThat(anyCheck.getBuilds()).hasSize(2);
            assertThat(oneCheck.getBuilds()).hasSize(1);
        }
    }

    /**
     * Gerrit Trigger's own matching (Pattern.DOTALL | Pattern.MULTILINE, find()) on the very comment texts Gerrit
     * reports, without Jenkins scheduling in the way: which documented regex takes which comment.
     */
    @Test
    void shouldMatchTheDocumentedRegexesAgainstGerritsCommentText(final GerritServer gerrit) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Rerun: regex", "model/params.yaml", "lr: 0.5");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (GerritEventStream stream = stream(gerrit, lines)) {
            Map<String, List<Boolean>> expected = Map.of(
                    "gerrit-ml rerun Prefect train/prod", List.of(true, true),
                    "gerrit-ml rerun SageMaker training x", List.of(true, false),
                    "gerrit-ml rerun Prefect train/prod-eu", List.of(true, false),
                    "looks good", List.of(false, false),
                    "please gerrit-ml rerun Prefect train/prod", List.of(false, false),
                    "gerrit-ml rerunPrefect train/prod", List.of(false, false),
                    "Flaky, once more:\ngerrit-ml rerun Prefect train/prod", List.of(true, true),
                    "gerrit-ml rerun Prefect train/prod\nthanks", List.of(true, true));
            for (Map.Entry<String, List<Boolean>> e : expected.entrySet()) {
                String line = comment(gerrit, lines, gerrit.bob(), change, e.getKey());
                CommentAdded event = (CommentAdded) GerritJsonEventFactory.getEvent(JSONObject.fromObject(line));
                assertThat(event.getComment()).startsWith("Patch Set ");
                assertThat(new PluginCommentAddedContainsEvent(ANY_CHECK).match(event)).as(ANY_CHECK + " on "
                        + JSON.writeValueAsString(event.getComment())).isEqualTo(e.getValue().get(0));
                assertThat(new PluginCommentAddedContainsEvent(ONE_CHECK).match(event)).as(ONE_CHECK + " on "
                        + JSON.writeValueAsString(event.getComment())).isEqualTo(e.getValue().get(1));
            }
        }
    }

    /** A Pipeline job triggered by Gerrit Trigger for {@code project} on any branch, on comments matching {@code regex}. */
    private static WorkflowJob job(final JenkinsRule r, final String name, final String project, final String regex)
            throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(SCRIPT, true));
        GerritProject gerritProject = new GerritProject(CompareType.PLAIN, project,
                List.of(new Branch(CompareType.ANT, "**")), null, null, null, false);
        GerritTrigger trigger = new GerritTrigger(new ArrayList<>(List.of(gerritProject)));
        trigger.setServerName(LabJenkins.SERVER);
        trigger.setTriggerOnEvents(new ArrayList<PluginGerritEvent>(List.of(
                new PluginCommentAddedContainsEvent(regex))));
        job.addTrigger(trigger);
        assertThat(PluginImpl.getHandler_().getGerritEventListenersView()).as("trigger started: listening")
                .anySatisfy(l -> assertThat(l).isInstanceOfSatisfying(EventListener.class,
                        e -> assertThat(e.getJob()).isEqualTo(name)));
        return job;
    }

    /** Posts {@code text} as {@code user} on the change's patch set; Gerrit's {@code comment-added} line for it. */
    private static String comment(final GerritServer gerrit, final BlockingQueue<String> lines, final LabUser user,
            final LabChange change, final String text) throws Exception {
        gerrit.rest(user, "POST", "changes/" + change.project() + "~" + change.number() + "/revisions/"
                + change.revision() + "/review", Map.of("message", text));
        String body = text.strip();
        return await(lines, event -> "comment-added".equals(event.path("type").asText())
                && event.path("change").path("number").asInt() == change.number()
                && user.username().equals(event.path("author").path("username").asText())
                && event.path("comment").asText().strip().replaceFirst("^Patch Set \\d+:[^\\n]*\\n+", "")
                        .equals(body));
    }

    /** Hands the line to Gerrit Trigger's handler as its connection to the server {@code lab} would. */
    private static JsonNode post(final String line) throws Exception {
        JsonNode event = JSON.readTree(line);
        PluginImpl.getHandler_().post(line, new Provider(LabJenkins.SERVER, "127.0.0.1", "29418", "ssh", "", ""));
        return event;
    }

    private static WorkflowRun awaitBuild(final JenkinsRule r, final WorkflowJob job, final int number)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (job.getBuildByNumber(number) == null) {
            assertThat(Instant.now()).as(job.getName() + " #" + number + " within 60 s").isBefore(deadline);
            Thread.sleep(100);
        }
        return r.waitForCompletion(job.getBuildByNumber(number));
    }

    private static void assertNothingScheduled(final JenkinsRule r, final List<WorkflowJob> jobs,
            final Duration during) throws Exception {
        List<Integer> before = jobs.stream().map(j -> j.getBuilds().size()).toList();
        Instant end = Instant.now().plus(during);
        while (Instant.now().isBefore(end)) {
            for (WorkflowJob job : jobs) {
                Queue.Item queued = r.jenkins.getQueue().getItem(job);
                assertThat(queued).as(job.getName() + " queued").isNull();
            }
            Thread.sleep(100);
        }
        assertThat(jobs.stream().map(j -> j.getBuilds().size()).toList()).as("builds of "
                + jobs.stream().map(WorkflowJob::getName).toList()).isEqualTo(before);
    }

    private static void assertRerun(final JenkinsRule r, final WorkflowRun run, final LabChange change,
            final String text) throws Exception {
        r.assertBuildStatusSuccess(run);
        r.assertLogContains("rerun type=comment-added change=" + change.number() + " ps=" + change.patchSet()
                + " project=" + change.project(), run);
        ParametersAction parameters = run.getAction(ParametersAction.class);
        assertThat(parameters).isNotNull();
        assertThat(value(parameters, "GERRIT_EVENT_TYPE")).isEqualTo("comment-added");
        assertThat(value(parameters, "GERRIT_CHANGE_NUMBER")).isEqualTo(String.valueOf(change.number()));
        assertThat(value(parameters, "GERRIT_PATCHSET_NUMBER")).isEqualTo(String.valueOf(change.patchSet()));
        assertThat(value(parameters, "GERRIT_PATCHSET_REVISION")).isEqualTo(change.revision());
        String comment = new String(Base64.getDecoder().decode(value(parameters, "GERRIT_EVENT_COMMENT_TEXT")),
                StandardCharsets.UTF_8);
        assertThat(comment).startsWith("Patch Set " + change.patchSet() + ":").contains("\n" + text);
        GerritCause cause = run.getCause(GerritCause.class);
        assertThat(cause).isNotNull();
        assertThat(cause.getEvent()).isInstanceOf(CommentAdded.class);
        assertThat(cause.getEvent().getProvider().getName()).isEqualTo(LabJenkins.SERVER);
    }

    private static String value(final ParametersAction parameters, final String name) {
        ParameterValue value = parameters.getParameter(name);
        assertThat(value).as(name).isNotNull();
        return String.valueOf(value.getValue());
    }
}
