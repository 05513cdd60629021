package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchListener;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.jenkins.plugins.gerritml.core.sagemaker.ScriptedSageMaker.failed;
import static io.jenkins.plugins.gerritml.core.sagemaker.ScriptedSageMaker.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The SageMaker code against a scripted fake, for what moto cannot show: jobs that run for a while, stop, time out,
 * throttling, 5xx and slow replies, and the STS parameters that carry the review's identity.
 */
class SageMakerScriptedITest {
    private static final String SECRET = "scripted-base-secret-0123456789abcdefghij";
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(50));

    private ScriptedSageMaker fake;
    private AwsClients clients;
    private SageMakerTrainer trainer;

    @BeforeEach
    void startFake() throws Exception {
        fake = new ScriptedSageMaker();
        clients = clients(SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys("AKIASCRIPTEDBASE0001", SECRET)).withEndpointOverride(fake.endpoint())
                .build());
        trainer = trainer(clients);
    }

    @AfterEach
    void stopFake() {
        trainer.close();
        clients.close();
        fake.close();
    }

    private static AwsClients clients(final AwsConnectionConfig config) {
        return AwsClients.builder(config).withAttemptTimeout(Duration.ofMillis(700)).withMaxAttempts(3)
                .withRetryBaseDelay(Duration.ofMillis(10)).build();
    }

    private static SageMakerTrainer trainer(final AwsClients aws) {
        return SageMakerTrainer.builder(aws.sageMaker(), null, aws.region()).withBackoff(FAST).build();
    }

    private static String jobName(final int build) {
        return SageMakerNames.trainingJobName(Fixtures.context(build).build());
    }

    @Test
    void shouldReportEachStatusOnceAndTheCompletedResult() throws Exception {
        fake.script(jobName(1), step("InProgress", "Starting", 300), step("InProgress", "Training", 300),
                step("InProgress", "Uploading", 200), step("Completed", "Completed", 0));
        Recorder recorder = new Recorder();

        TrainingResult result = trainer.train(Fixtures.spec().build(), Fixtures.context(1).build(), recorder);

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(result.isCompleted()).isTrue();
            softly.assertThat(result.getModelArtifact())
                    .isEqualTo("s3://ml-models/fraud/ml-fraud-model-c1234-p2-b1/output/model.tar.gz");
            softly.assertThat(result.getFinalMetrics()).containsEntry("validation:accuracy", 0.93);
            softly.assertThat(result.getBillableSeconds()).isEqualTo(42);
            softly.assertThat(result.getConsoleUrl()).isEqualTo("https://eu-west-1.console.aws.amazon.com/sagemaker/"
                    + "home?region=eu-west-1#/jobs/ml-fraud-model-c1234-p2-b1");
            softly.assertThat(recorder.statuses).containsSubsequence("InProgress (Starting)", "InProgress (Training)",
                    "InProgress (Uploading)", "Completed").doesNotHaveDuplicates();
            softly.assertThat(recorder.messages.get(0)).startsWith("Started training job ml-fraud-model-c1234-p2-b1");
            softly.assertThat(fake.count("CreateTrainingJob")).isEqualTo(1);
        });
    }

    @Test
    void shouldReportTheFailureReason() throws Exception {
        fake.script(jobName(2), step("InProgress", "Training", 200), failed("AlgorithmError: CUDA out of memory"));

        TrainingResult result = trainer.train(Fixtures.spec().build(), Fixtures.context(2).build(), new Recorder());

        assertThat(result.getStatus().getStatus()).isEqualTo("Failed");
        assertThat(result.getFailureReason()).isEqualTo("AlgorithmError: CUDA out of memory");
        assertThat(result.getModelArtifact()).isNull();
        assertThat(result.summary()).contains("Failure reason: AlgorithmError: CUDA out of memory");
    }

    @Test
    void shouldStopTheJobOnAbortAndReportStopped() throws Exception {
        fake.script(jobName(3), step("InProgress", "Training", 60_000), step("Completed", "Completed", 0));
        Recorder recorder = new Recorder();
        TrainingRun run = trainer.start(Fixtures.spec().build(), Fixtures.context(3).build(), recorder);
        Recorder.waitFor(() -> recorder.statuses.contains("InProgress (Training)"));

        run.abort("aborted by alice");
        TrainingResult result = run.result().get(20, TimeUnit.SECONDS);

        assertThat(result.getStatus().getStatus()).isEqualTo("Stopped");
        assertThat(recorder.statuses).containsSubsequence("InProgress (Training)", "Stopped");
        assertThat(recorder.messages).anySatisfy(m -> assertThat(m).startsWith(
                "Aborting training job ml-fraud-model-c1234-p2-b3: aborted by alice. The job was asked to stop."));
        assertThat(fake.count("StopTrainingJob")).isEqualTo(1);
    }

    @Test
    void shouldStopTheJobAndFailWithTheElapsedTimeOnTimeout() {
        fake.script(jobName(4), step("InProgress", "Training", 60_000), step("Completed", "Completed", 0));

        Throwable failure = catchThrowable(() -> trainer.train(Fixtures.spec().withTimeout(Duration.ofMillis(400))
                .build(), Fixtures.context(4).build(), new Recorder()));

        assertThat(failure).isInstanceOf(TrainingTimeoutException.class)
                .hasMessageMatching("(?s)SageMaker training job 'ml-fraud-model-c1234-p2-b4' did not finish within "
                        + "the timeout: \\d+\\.\\d s elapsed\\. The job was asked to stop\\.");
        assertThat(((TrainingTimeoutException) failure).getElapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(fake.count("StopTrainingJob")).isEqualTo(1);
    }

    @Test
    void shouldRideOutThrottlingServerErrorsAndSlowReplies() throws Exception {
        fake.script(jobName(5), step("InProgress", "Training", 1500), step("Completed", "Completed", 0))
                .fault("DescribeTrainingJob", ScriptedSageMaker.FaultKind.THROTTLE, 2)
                .slow("CreateTrainingJob", Duration.ofMillis(1500), 1)
                .fault("ListTrainingJobs", ScriptedSageMaker.FaultKind.SERVER_ERROR, 7);
        Recorder recorder = new Recorder();

        TrainingResult result = trainer.train(Fixtures.spec().build(), Fixtures.context(5).build(), recorder);

        assertThat(result.isCompleted()).isTrue();
        // The SDK retried the throttled describes and the slow create (each within one call)...
        assertThat(fake.count("DescribeTrainingJob")).isGreaterThanOrEqualTo(4);
        assertThat(fake.count("CreateTrainingJob")).isEqualTo(2);
        // ...and the watcher kept going through status reads that failed after all retries.
        assertThat(recorder.messages).anySatisfy(m -> assertThat(m).startsWith(
                "Reading the status of ml-fraud-model-c1234-p2-b5 failed (1 in a row, retrying until the deadline): "
                        + "InternalFailure"));
        assertThat(fake.jobCount()).isEqualTo(1);
    }

    @Test
    void shouldRejectBadInputBeforeAnyCall() {
        assertThatThrownBy(() -> trainer.start(Fixtures.spec().withTag("aws:cost-center", "x").build(),
                Fixtures.context(6).build(), new Recorder())).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tags.aws:cost-center: keys starting with 'aws:' are reserved by AWS");
        assertThatThrownBy(() -> trainer.start(Fixtures.spec().withInstanceCount(0).build(),
                Fixtures.context(6).build(), new Recorder())).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("instanceCount: must be at least 1, was 0");

        assertThat(fake.operations()).isEmpty();
    }

    @Test
    void shouldAdoptTheJobAfterARestartInsteadOfStartingASecondOne() throws Exception {
        fake.script(jobName(7), step("InProgress", "Training", 1500), step("Completed", "Completed", 0));
        TrainingRun first = trainer.start(Fixtures.spec().build(), Fixtures.context(7).build(), new Recorder());
        WatchedJob saved = first.getWatchedJob();
        trainer.close(); // Jenkins goes down: its watcher and thread are gone, the job runs on

        Recorder afterRestart = new Recorder();
        try (SageMakerTrainer restarted = trainer(clients); SageMakerTrainer resumed = trainer(clients)) {
            TrainingRun second = restarted.start(Fixtures.spec().build(), Fixtures.context(7).build(), afterRestart);
            TrainingRun third = resumed.resume(saved, new Recorder());

            assertThat(second.result().get(20, TimeUnit.SECONDS).isCompleted()).isTrue();
            assertThat(third.result().get(20, TimeUnit.SECONDS).isCompleted()).isTrue();
            assertThat(second.getWatchedJob()).isEqualTo(saved);
        }
        assertThat(afterRestart.messages.get(0)).isEqualTo("Training job ml-fraud-model-c1234-p2-b7 already exists "
                + "with the same spec (status InProgress): following it instead of starting a second one");
        assertThat(fake.count("CreateTrainingJob")).isEqualTo(1);
        assertThat(fake.jobCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToAdoptAJobStartedFromAnotherSpec() throws Exception {
        trainer.train(Fixtures.spec().build(), Fixtures.context(8).build(), new Recorder());

        TrainingJobConflictException conflict = org.assertj.core.api.Assertions.catchThrowableOfType(
                TrainingJobConflictException.class, () -> trainer.start(Fixtures.spec()
                        .withHyperparameter("epochs", 20).withInstanceCount(2).build(), Fixtures.context(8).build(),
                        new Recorder()));

        assertThat(conflict.getDifferences()).containsExactly(
                "instanceCount: the job has 1, the spec has 2",
                "hyperparameters.epochs: the job has '10', the spec has '20'");
        assertThat(conflict).hasMessageContaining("Run a new build");
        assertThat(fake.count("CreateTrainingJob")).isEqualTo(1);
    }

    @Test
    void shouldFollowManyJobsWithAboutOneListCallPerInterval() throws Exception {
        int jobs = 250;
        ScriptedSageMaker.Step[] script = {step("InProgress", "Training", 1200), step("Completed", "Completed", 0)};
        Map<String, String> finished = new ConcurrentHashMap<>();
        // No overlap: the fake's timestamps are exact, so every page counted here is one the design needs.
        TrainingJobStatusSource source = new TrainingJobStatusSource(clients.sageMaker(), "eu-west-1",
                Clock.systemUTC(), Duration.ofMinutes(5), Duration.ZERO);
        try (JobWatcher watcher = new JobWatcher(Backoff.of(Duration.ofMillis(100), Duration.ofMillis(100)),
                Clock.systemUTC())) {
            com.fasterxml.jackson.databind.node.ObjectNode request = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("RoleArn", Fixtures.ROLE);
            for (int i = 0; i < jobs; i++) {
                fake.existingJob("batch-job-" + i, request, script);
            }
            long before = fake.operations().size();
            for (int i = 0; i < jobs; i++) {
                watcher.watch(source, WatchedJob.startingNow("batch-job-" + i, Instant.now(), Duration.ofMinutes(1)),
                        new WatchListener<TrainingJobStatus>() {
                            @Override
                            public void onStatus(final String id, final TrainingJobStatus status) {
                            }

                            @Override
                            public void onFinished(final String id, final TrainingJobStatus status) {
                                finished.put(id, status.getStatus());
                            }

                            @Override
                            public void onTimeout(final String id, final Duration elapsed) {
                                finished.put(id, "timeout");
                            }
                        });
            }
            Recorder.waitFor(() -> finished.size() == jobs);
            long calls = fake.operations().size() - before;

            assertThat(Set.copyOf(finished.values())).containsExactly("Completed");
            assertThat(fake.count("DescribeTrainingJob")).isZero();
            // One full list (3 pages) to learn the jobs, then one call per tick, plus pages when many change at once.
            assertThat(calls).isEqualTo(source.callCount()).isLessThanOrEqualTo(watcher.readCount() + 6);
            assertThat(watcher.readCount()).isLessThan(40);
        }
    }

    @Test
    void shouldAssumeTheRoleWithTheReviewersIdentityAndSignWithTheSessionKeys() throws Exception {
        TrainingContext context = TrainingContext.builder().withProject("ml/fraud model").withChange(1234, 2)
                .withRevision("abc").withApprover("José Müller").withBuild(9, null).build();
        AwsConnectionConfig config = SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys("AKIASCRIPTEDBASE0001", SECRET)).withEndpointOverride(fake.endpoint())
                .withAssumeRole(AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/Trainer")
                        .withSessionName("jenkins build 9").withExternalId("ext-id-42")
                        .withDuration(Duration.ofMinutes(30)).forReview(context).build())
                .build();
        try (AwsClients assumed = clients(config); SageMakerTrainer roleTrainer = trainer(assumed)) {
            roleTrainer.train(Fixtures.spec().build(), context, new Recorder());
        }

        Map<String, String> call = fake.stsCalls().get(0);
        assertThat(call).containsEntry("Action", "AssumeRole")
                .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/Trainer")
                .containsEntry("RoleSessionName", "jenkins-build-9")
                .containsEntry("ExternalId", "ext-id-42")
                .containsEntry("DurationSeconds", "1800")
                .containsEntry("SourceIdentity", "Jos--M-ller")
                .containsEntry("Tags.member.1.Key", "gerrit-project").containsEntry("Tags.member.1.Value", "ml/fraud model")
                .containsEntry("Tags.member.2.Key", "gerrit-change").containsEntry("Tags.member.2.Value", "1234");
        assertThat(fake.count("STS.AssumeRole")).isEqualTo(1);
        List<String> keys = fake.accessKeys();
        assertThat(keys.get(0)).isEqualTo("AKIASCRIPTEDBASE0001"); // STS is called with the base keys
        assertThat(keys.subList(1, keys.size())).isNotEmpty().containsOnly("ASIASCRIPTEDFAKE0001");
    }

    @Test
    void shouldAssumeARoleWithAWebIdentityToken() throws Exception {
        AwsConnectionConfig config = SimpleAwsConnectionConfig.builder("eu-west-1", BaseCredentials.defaultChain())
                .withEndpointOverride(fake.endpoint())
                .withWebIdentityRole(WebIdentityRoleSettings.of("arn:aws:iam::123456789012:role/Oidc", "build-10",
                        Duration.ofHours(1), () -> "eyJhbGciOiJSUzI1NiJ9.payload.signature"))
                .build();
        try (AwsClients oidc = clients(config); SageMakerTrainer oidcTrainer = trainer(oidc)) {
            oidcTrainer.train(Fixtures.spec().build(), Fixtures.context(10).build(), new Recorder());
        }

        assertThat(fake.stsCalls().get(0)).containsEntry("Action", "AssumeRoleWithWebIdentity")
                .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/Oidc")
                .containsEntry("WebIdentityToken", "eyJhbGciOiJSUzI1NiJ9.payload.signature")
                .containsEntry("DurationSeconds", "3600");
        assertThat(fake.accessKeys()).containsOnly("ASIASCRIPTEDFAKE0001");
    }

    @Test
    void shouldNotShowSecretsWhenAssumingTheRoleFails() {
        fake.denyAssumeRole();
        AwsConnectionConfig config = SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.session("AKIASCRIPTEDBASE0001", SECRET, "base-session-token-xyz"))
                .withEndpointOverride(fake.endpoint())
                .withAssumeRole(AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/Trainer")
                        .withExternalId("ext-id-secretish").build())
                .build();
        Recorder recorder = new Recorder();
        Throwable failure;
        try (AwsClients denied = clients(config); SageMakerTrainer deniedTrainer = trainer(denied)) {
            failure = catchThrowable(() -> deniedTrainer.start(Fixtures.spec().build(), Fixtures.context(11).build(),
                    recorder));
            assertThat(denied.toString()).doesNotContain(SECRET);
        }

        assertThat(failure).isInstanceOf(SdkException.class)
                .hasMessageContaining("not authorized to perform: sts:AssumeRole").hasMessageContaining("403");
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertThat(chain.toString() + recorder.everything()).doesNotContain(SECRET)
                .doesNotContain("base-session-token-xyz").doesNotContain("ext-id-secretish");
        assertThat(fake.count("CreateTrainingJob")).isZero();
    }

    @Test
    void shouldReportSageMakersRollbackWhenAnUpdateFails() throws Exception {
        fake.existingEndpoint("fraud-prod", "fraud-prod-c1000-p1-b1").failNextUpdateOf("fraud-prod");
        DeploySpec spec = DeploySpec.builder().withEndpointName("fraud-prod")
                .withModelArtifact("s3://ml-models/fraud/job/output/model.tar.gz")
                .withInferenceImage(Fixtures.IMAGE).withExecutionRoleArn(Fixtures.ROLE).build();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            SageMakerDeployer deployer = new SageMakerDeployer(clients.sageMaker(), "eu-west-1", watcher,
                    Clock.systemUTC());
            PromotionGate approve = (s, c) -> GateDecision.approved("Code-Review+2 by alice", List.of("alice"));
            Recorder recorder = new Recorder();

            DeployResult rolledBack = deployer.deploy(spec, Fixtures.context(12).build(), approve, recorder);
            DeployResult deployed = deployer.deploy(spec, Fixtures.context(13).build(), approve, new Recorder());

            assertThat(rolledBack.isDeployed()).isFalse();
            assertThat(rolledBack.isRolledBack()).isTrue();
            assertThat(rolledBack.getState().getEndpointConfigName()).isEqualTo("fraud-prod-c1000-p1-b1");
            assertThat(rolledBack.summary()).contains("update FAILED and was rolled back; still serves "
                    + "fraud-prod-c1000-p1-b1").contains("did not pass the ping health check");
            assertThat(recorder.messages).contains("Updating endpoint fraud-prod from config fraud-prod-c1000-p1-b1 "
                    + "to fraud-prod-c1234-p2-b12");
            assertThat(deployed.isDeployed()).isTrue();
            assertThat(deployed.getState().getEndpointConfigName()).isEqualTo("fraud-prod-c1234-p2-b13");
            assertThat(deployed.getApprovers()).containsExactly("alice");
        }
    }

    @Test
    void shouldCallNothingInAwsWhenTheGateRefuses() throws InterruptedException {
        DeploySpec spec = DeploySpec.builder().withEndpointName("fraud-prod")
                .withModelArtifact("s3://ml-models/fraud/job/output/model.tar.gz")
                .withInferenceImage(Fixtures.IMAGE).withExecutionRoleArn(Fixtures.ROLE).build();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            SageMakerDeployer deployer = new SageMakerDeployer(clients.sageMaker(), "eu-west-1", watcher,
                    Clock.systemUTC());

            assertThatThrownBy(() -> deployer.deploy(spec, Fixtures.context(14).build(),
                    (s, c) -> GateDecision.refused("change 1234 is not merged"), new Recorder()))
                    .isInstanceOf(DeploymentRefusedException.class)
                    .hasMessage("Deployment of ml/fraud-model change 1234 patch set 2 (4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d),"
                            + " build 14 to endpoint 'fraud-prod' refused by the approval gate: change 1234 is not merged");
        }
        assertThat(fake.operations()).isEmpty();
    }
}
