package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ContextSource;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.CanonicalJson;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.prefect.FlowRun;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunArtifact;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowRunResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.StateDto;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobStatus;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** One run signed by two front ends: the records agree field by field. */
class LineageJobsTest {
    private static final GerritAccount DANA = GerritAccount.valueOf(1000004, "Dana", "dana@example.com", "dana");
    private static final GerritChange CHANGE = GerritChange.builder().withSource(ContextSource.GERRIT_EVENT)
            .withProject("ml-demo").withBranch("master").withChangeNumber(42).withChangeId("I" + "1".repeat(40))
            .withPatchSetNumber(3).withRevision("a".repeat(40)).withEventType("comment-added").withUploader(DANA)
            .build();
    private static final Approval ALICE = Approval.valueOf(GerritAccount.valueOf(1000002, "Alice",
            "alice@example.com", "alice"), "Code-Review", 2, Instant.parse("2026-11-21T12:00:00Z"), 3);
    private static final Instant APPROVED = Instant.parse("2026-11-21T12:01:00Z");
    private static final Instant FINISHED = Instant.parse("2026-11-21T12:30:00Z");

    /** What a front end knows of its build: the CLI reads Jenkins' variables, the plugin asks the Run. */
    private static LineageRecord.Builder base(final String buildId) {
        return LineageRecords.training(CHANGE, DANA, List.of(ALICE), APPROVED, "https://review.example.com/")
                .withBuild("https://ci.example.com/job/churn/7/", buildId).withTime("finished", FINISHED);
    }

    private static Map<String, Object> fields(final LineageRecord record) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) CanonicalJson.parse(record.toCanonicalJson());
        return new TreeMap<>(tree);
    }

    @Test
    void shouldSignTheSameTrainingRecordFromTheCliAndFromJenkins() {
        TrainingSpec spec = TrainingSpec.builder().withTrainingImage("123.dkr.ecr.eu-west-1.amazonaws.com/churn:1")
                .withRoleArn("arn:aws:iam::123456789012:role/sagemaker").withOutputPath("s3://ml-models/churn")
                .withInputChannel("train", "s3://ml-data/churn/train/", "text/csv")
                .withHyperparameter("epochs", 3).withMaxRuntime(Duration.ofHours(1)).build();
        TrainingResult result = TrainingResult.builder("ml-demo-c42-p3-b7",
                "arn:aws:sagemaker:eu-west-1:123456789012:training-job/ml-demo-c42-p3-b7", "eu-west-1")
                .withStatus(TrainingJobStatus.of("Completed", "Completed")).withModelArtifact("s3://m/model.tar.gz")
                .withMetric("validation:auc", 0.91).withMetric("nan", Double.NaN).withBillableSeconds(42).build();

        String fromCli = LineageJobs.buildId("churn", "7", "7"); // JOB_NAME, BUILD_NUMBER, BUILD_ID
        String fromJenkins = "churn#7"; // Run.getExternalizableId()
        LineageRecord cli = training(base(fromCli), spec, result);
        LineageRecord jenkins = training(base(fromJenkins), spec, result);

        assertThat(fields(cli)).isEqualTo(fields(jenkins));
        assertThat(cli.toCanonicalJson()).contains("\"id\":\"arn:aws:sagemaker:eu-west-1:123456789012:training-job/"
                + "ml-demo-c42-p3-b7\"").contains("\"billable_seconds\":42").contains("\"validation:auc\":0.91")
                .doesNotContain("nan").contains("\"inputs\":[\"s3://ml-data/churn/train/\"]");
    }

    @Test
    void shouldNameATrainingJobByItsNameWhileAwsHasNotGivenItsArn() {
        TrainingSpec spec = TrainingSpec.builder().withTrainingImage("img:1")
                .withRoleArn("arn:aws:iam::123456789012:role/sagemaker").withOutputPath("s3://ml-models/churn")
                .withMaxRuntime(Duration.ofHours(1)).build();
        TrainingResult result = TrainingResult.builder("ml-demo-c42-p3-b7", "", "eu-west-1")
                .withStatus(TrainingJobStatus.of("Completed", "Completed")).build();

        assertThat(LineageJobs.training(spec, result).getId()).isEqualTo("ml-demo-c42-p3-b7");
        assertThat(LineageJobs.trainingOutputs(result)).isEmpty();
    }

    @Test
    void shouldSignTheSameFlowRunRecordFromTheCliAndFromJenkins() {
        FlowRunResponse dto = new FlowRunResponse();
        dto.id = "r1";
        dto.name = "change-42-ps-3";
        dto.stateType = "COMPLETED";
        dto.state = StateDto.create("COMPLETED", "ok");
        FlowRunResult result = FlowRunResult.finished(FlowRun.valueOf(dto), Duration.ofSeconds(65),
                "http://prefect/runs/flow-run/r1", List.of(FlowRunArtifact.link("report", "model report",
                        "https://models.example/42")));
        // The CLI parses --parameter lr=0.5 as a binary double; a Jenkinsfile's 0.5 is a BigDecimal.
        FlowRunRequest fromCli = FlowRunRequest.builder().withDeployment("train/prod")
                .withParameters(Map.of("lr", 0.5, "deployment", "blue", "layers", List.of(64, 32))).build();
        FlowRunRequest fromJenkins = FlowRunRequest.builder().withDeployment("train/prod")
                .withParameters(Map.of("lr", new java.math.BigDecimal("0.5"), "deployment", "blue",
                        "layers", List.of(64, 32))).build();
        List<String> datasets = List.of("s3://ml-data/churn/");

        LineageRecord cli = flowRun(base("churn#7"), fromCli, result, datasets, List.of("s3://ml-models/42/"));
        LineageRecord jenkins = flowRun(base("churn#7"), fromJenkins, result, datasets,
                List.of("s3://ml-models/42/"));

        assertThat(fields(cli)).isEqualTo(fields(jenkins));
        assertThat(cli.getJob().getParameters()).containsEntry("lr", "0.5").containsEntry("layers", "[64,32]")
                .as("the flow's own parameter, not the deployment").containsEntry("deployment", "blue");
        assertThat(cli.getJob().getImage()).isEqualTo("train/prod");
        assertThat(cli.getOutputs()).extracting(LineageArtifact::getUri)
                .containsExactly("https://models.example/42", "s3://ml-models/42/");
    }

    @Test
    void shouldTellBuildsOfTwoJobsApartAndFallBackOutsideCi() {
        assertThat(LineageJobs.buildId("team/churn", "7", "7")).isEqualTo("team/churn#7");
        assertThat(LineageJobs.buildId(null, "7", "7")).isEqualTo("7");
        assertThat(LineageJobs.buildId("", null, "")).isEmpty();
    }

    @Test
    void shouldFindTheSignedTrainingRecordAPromotionChainsTo() {
        TrainingSpec spec = TrainingSpec.builder().withTrainingImage("img:1")
                .withRoleArn("arn:aws:iam::123456789012:role/sagemaker").withOutputPath("s3://ml-models/churn")
                .withMaxRuntime(Duration.ofHours(1)).build();
        TrainingResult result = TrainingResult.builder("job-1", "arn:aws:sagemaker:eu-west-1:1:training-job/job-1",
                "eu-west-1").withStatus(TrainingJobStatus.of("Completed", "Completed"))
                .withModelArtifact("s3://ml-models/churn/job-1/output/model.tar.gz").build();
        io.jenkins.plugins.gerritml.core.pipeline.SignedLineage signed = io.jenkins.plugins.gerritml.core.pipeline
                .SignedLineage.sign(training(base("churn#7"), spec, result), io.jenkins.plugins.gerritml.core
                        .pipeline.LineageKey.generateEd25519());

        assertThat(LineageJobs.trainingDigestOf(List.of("not json", signed.toJsonText()),
                "s3://ml-models/churn/job-1/output/model.tar.gz")).hasValue(signed.getDigest());
        assertThat(LineageJobs.trainingDigestOf(List.of(signed.toJsonText()), "s3://other/model.tar.gz")).isEmpty();
    }

    private static LineageRecord training(final LineageRecord.Builder record, final TrainingSpec spec,
            final TrainingResult result) {
        record.withJob(LineageJobs.training(spec, result));
        LineageJobs.trainingOutputs(result).forEach(uri -> record.withOutput(LineageArtifact.valueOf(uri, "", "")));
        LineageJobs.trainingMetrics(result).forEach(record::withMetric);
        return record.build();
    }

    private static LineageRecord flowRun(final LineageRecord.Builder record, final FlowRunRequest request,
            final FlowRunResult result, final List<String> datasets, final List<String> declared) {
        record.withJob(LineageJobs.flowRun("train/prod", request, result, datasets));
        LineageJobs.flowRunOutputs(result, declared).forEach(uri -> record.withOutput(LineageArtifact.valueOf(uri,
                "", "")));
        return record.build();
    }
}
