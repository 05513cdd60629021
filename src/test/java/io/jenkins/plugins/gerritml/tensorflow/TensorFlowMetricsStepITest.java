package io.jenkins.plugins.gerritml.tensorflow;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.FilePath;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Link;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.TensorFlowLab;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tensorflowMetrics in a real Jenkins on event files real TensorFlow wrote (the examples' fixture run), voting on
 * the lab's Gerrit.
 */
@WithJenkins
@ExtendWith(GerritLab.class)
class TensorFlowMetricsStepITest {
    private static final String SCRIPT = "node {\n"
            + "  def m = tensorflowMetrics(runDirectory: 'logs', gates: %s, propagate: %s,\n"
            + "      links: ['TensorBoard logs': 'https://ci.example.com/logs/'])\n"
            + "  echo \"passed=${m.passed} vote=${m.vote} accuracy=${m.metrics['validation/epoch_accuracy'].last}\"\n"
            + "}";

    @Test
    void shouldPassTheGatesAndVoteWithTheMetricsTable(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Train more", "model/params.yaml", "epochs: 3");
        WorkflowJob job = LabJenkins.job(r, "pass", String.format(SCRIPT,
                "['validation/epoch_accuracy.last >= 0.1', 'validation/epoch_loss.last <= baseline * 1.05']", "true"));
        copyFixtureRun(r, job);

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));

        r.assertLogContains("passed=true vote=1", run);
        JsonNode messages = gerrit.readChange(change).get("messages");
        assertThat(messages.get(messages.size() - 1).get("message").asText()).contains("Verified+1",
                "TensorFlow metrics: passed", "validation/epoch_accuracy.last", "no baseline",
                "* TensorBoard logs: https://ci.example.com/logs/");
        CheckBlock check = CheckBlock.find(messages.get(messages.size() - 1).get("message").asText()).orElseThrow();
        assertThat(check.getCheck()).isEqualTo("TensorBoard metrics Verified");
        assertThat(check.getResult()).contains(CheckBlock.Result.SUCCESS);
        assertThat(check.getLinks()).extracting(Link::getTitle).contains("TensorBoard logs", "Build");
        assertThat(r.jenkins.getWorkspaceFor(job).child("tensorflow-metrics.json").exists()).isTrue();
    }

    @Test
    void shouldVoteMinusOneAndFailTheBuildWhenAGateFails(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Train less", "model/params.yaml", "epochs: 1");
        WorkflowJob job = LabJenkins.job(r, "fail", String.format(SCRIPT, "'validation/epoch_accuracy.last >= 0.999'",
                "true"));
        copyFixtureRun(r, job);

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("tensorflowMetrics: gates failed in logs", run);
        JsonNode messages = gerrit.readChange(change).get("messages");
        assertThat(messages.get(messages.size() - 1).get("message").asText()).contains("Verified-1", "FAIL");
    }

    @Test
    void shouldNameTheUnknownMetricAndListTheOnesFound(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Typo", "model/params.yaml", "epochs: 2");
        WorkflowJob job = LabJenkins.job(r, "typo", String.format(SCRIPT, "'validation/epoch_acuracy.last >= 0.5'",
                "true"));
        copyFixtureRun(r, job);

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("validation/epoch_acuracy", run);
        r.assertLogContains("validation/epoch_accuracy", run);
    }

    private static void copyFixtureRun(final JenkinsRule r, final WorkflowJob job) throws Exception {
        FilePath logs = r.jenkins.getWorkspaceFor(job).child("logs");
        new FilePath(TensorFlowLab.projectRoot().resolve("examples/tensorflow/fixture-run").toFile()).copyRecursiveTo(logs);
    }
}
