package io.jenkins.plugins.gerritml.forms;

import io.jenkins.plugins.gerritml.gerrit.GerritVoteStep;
import io.jenkins.plugins.gerritml.gerrit.RequireGerritApprovalStep;
import io.jenkins.plugins.gerritml.sagemaker.SageMakerDeployStep;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlOption;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.LogRecorder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps as the Snippet Generator shows and generates them: every form renders with its credentials list and its
 * numbers' defaults, list and map fields can be entered, and what the DSL says survives the step and back.
 */
@WithJenkins
class StepFormsTest {
    private static String thrown(final LogRecord record) {
        StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            text.append(" | ").append(t);
        }
        return text.toString();
    }

    private static String generate(final JenkinsRule r, final JSONObject form) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        WebRequest request = new WebRequest(new URL(r.getURL(), "pipeline-syntax/generateSnippet"), HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("json", form.toString())));
        wc.addCrumb(request);
        return wc.getPage(request).getWebResponse().getContentAsString().trim();
    }

    @Test
    void shouldRenderEveryStepWithItsCredentialsListAndTheNumbersDefaults(final JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "forms");
        try (LogRecorder log = new LogRecorder().record("", Level.WARNING).capture(200)) {
            JenkinsRule.WebClient wc = r.createWebClient();
            HtmlPage page = wc.goTo(job.getUrl() + "pipeline-syntax");
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);

            // The Snippet Generator renders a step's form when it is picked (lazily): pick each of ours.
            HtmlSelect steps = page.<HtmlSelect>getByXPath("//select").stream()
                    .filter(select -> select.getOptions().stream().anyMatch(o -> o.getText().startsWith("echo:")))
                    .findFirst().orElseThrow(() -> new AssertionError("no step list on " + page.getUrl()));
            for (String symbol : List.of("gerritChange", "gerritVote", "requireGerritApproval", "sagemakerTrain",
                    "sagemakerDeploy", "prefectFlowRun", "tensorflowMetrics")) {
                HtmlOption option = steps.getOptions().stream().filter(o -> o.getText().startsWith(symbol + ":"))
                        .findFirst().orElseThrow(() -> new AssertionError(symbol + " is not in the Snippet Generator"));
                steps.setSelectedAttribute(option, true);
                wc.waitForBackgroundJavaScript(10_000);
            }

            assertThat(log.getRecords()).extracting(StepFormsTest::thrown)
                    .noneMatch(text -> text.contains("doFillCredentialsIdItems") || text.contains("gerritml"));
            assertThat(page.getElementsByName("_.volumeSizeGb")).singleElement()
                    .satisfies(e -> assertThat(((HtmlInput) e).getValue()).isEqualTo("30"));
            assertThat(page.getElementsByName("_.maxRuntimeMinutes")).singleElement()
                    .satisfies(e -> assertThat(((HtmlInput) e).getValue()).isEqualTo("60"));
            assertThat(page.getElementsByName("_.approvalValue")).singleElement()
                    .satisfies(e -> assertThat(((HtmlInput) e).getValue()).isEqualTo("2"));
            assertThat(page.getElementsByName("_.labels")).hasSize(1);
            assertThat(page.getElementsByName("_.groups")).hasSize(1);
            assertThat(page.getElementsByName("_.approvalGroups")).hasSize(1);
            // Four steps name their Gerrit credential credentialsId; each is a drop-down now.
            assertThat(page.getElementsByName("_.credentialsId")).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(e -> assertThat(e.getTagName()).isEqualTo("select"));
        }
    }

    @Test
    void shouldGenerateLabelsAndGroupsEnteredOnePerLine(final JenkinsRule r) throws Exception {
        JSONObject vote = new JSONObject().element("stapler-class", GerritVoteStep.class.getName())
                .element("labels", "Verified=1\nModel-Verified: -1\n").element("message", "Trained")
                .element("context", "jenkins").element("notify", "").element("linkBuild", true)
                .element("credentialsId", "");
        assertThat(generate(r, vote)).startsWith("gerritVote").containsPattern("labels: \\[('?)Verified\\1: 1, "
                + "'Model-Verified': -1\\]").contains("message: 'Trained'");

        JSONObject gate = new JSONObject().element("stapler-class", RequireGerritApprovalStep.class.getName())
                .element("label", "Code-Review").element("value", "2").element("groups", "ML Approvers\n\nData\n")
                .element("merged", true).element("allowSelfApproval", false).element("currentPatchSet", true)
                .element("branch", "").element("credentialsId", "");
        assertThat(generate(r, gate)).contains("requireGerritApproval", "groups: ['ML Approvers', 'Data']",
                "merged: true");

        JSONObject bad = new JSONObject().element("stapler-class", GerritVoteStep.class.getName())
                .element("labels", "Verified plus one").element("message", "").element("context", "jenkins")
                .element("notify", "").element("linkBuild", true).element("credentialsId", "");
        assertThat(generate(r, bad)).contains("labels: not a label and a vote: 'Verified plus one'");
    }

    @Test
    void shouldRoundTripTheDslArgumentsThroughEachStep(final JenkinsRule r) throws Exception {
        assertThat(Snippetizer.object2Groovy(DescribableModel.of(GerritVoteStep.class).instantiate(Map.of(
                "labels", Map.of("Model-Verified", 1), "message", "Trained")))).isEqualTo(
                "gerritVote labels: ['Model-Verified': 1], message: 'Trained'");
        assertThat(Snippetizer.object2Groovy(DescribableModel.of(RequireGerritApprovalStep.class).instantiate(
                Map.of("groups", List.of("ML Approvers"), "merged", true)))).isEqualTo(
                "requireGerritApproval groups: ['ML Approvers'], merged: true");
        assertThat(Snippetizer.object2Groovy(DescribableModel.of(SageMakerDeployStep.class).instantiate(Map.of(
                "endpointName", "churn-prod", "modelArtifact", "s3://m/model.tar.gz", "inferenceImage", "img:1",
                "roleArn", "arn:aws:iam::123456789012:role/r", "instanceType", "ml.m5.large",
                "approvalGroups", List.of("ML Approvers")))))
                .contains("sagemakerDeploy", "approvalGroups: ['ML Approvers']", "endpointName: 'churn-prod'")
                .doesNotContain("initialInstanceCount", "approvalValue");
    }
}
