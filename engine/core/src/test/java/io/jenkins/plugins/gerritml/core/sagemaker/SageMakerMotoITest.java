package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AWS SDK calls against moto in server mode: the contract of SageMaker, STS, CloudWatch Logs and S3. */
@ExtendWith(MotoLab.class)
class SageMakerMotoITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100));

    private final MotoServer moto;
    private AwsClients clients;

    SageMakerMotoITest(final MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void connect() {
        moto.reset();
        clients = AwsClients.create(config().build());
    }

    @AfterEach
    void disconnect() {
        clients.close();
    }

    private SimpleAwsConnectionConfig.Builder config() {
        return SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint());
    }

    private SageMakerTrainer trainer() {
        return SageMakerTrainer.builder(clients).withBackoff(FAST).withLogInterval(Duration.ofMillis(100)).build();
    }

    /** A controller waits on hundreds of jobs, each with its own clients: their SDK timers must not add up. */
    @Test
    void shouldShareTheSdkTimerThreadsBetweenClients() {
        List<AwsClients> many = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                AwsClients each = AwsClients.create(config().build());
                many.add(each);
                each.sageMaker().listTrainingJobs(b -> b.maxResults(1));
                each.logs().describeLogGroups(b -> b.limit(1));
            }
            Set<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .collect(Collectors.toSet());

            assertThat(threads).as("no client starts timer threads of its own")
                    .noneMatch(name -> name.startsWith("sdk-ScheduledExecutor"));
            assertThat(threads.stream().filter(name -> name.startsWith("gerrit-ml-aws-timer"))).as("%s", threads)
                    .hasSizeBetween(1, 4);
        } finally {
            many.forEach(AwsClients::close);
        }
    }

    @Test
    void shouldTrainAndTagTheJobWithItsReview() throws Exception {
        TrainingResult result;
        try (SageMakerTrainer trainer = trainer()) {
            result = trainer.train(Fixtures.spec().build(), Fixtures.context(1).build(), new Recorder());
        }

        assertThat(result.isCompleted()).isTrue();
        assertThat(result.getModelArtifact())
                .isEqualTo("s3://ml-models/fraud/ml-fraud-model-c1234-p2-b1/output/model.tar.gz");
        List<Tag> tags = clients.sageMaker().listTags(b -> b.resourceArn(result.getJobArn())).tags();
        assertThat(tags.stream().collect(Collectors.toMap(Tag::key, Tag::value)))
                .containsEntry("gerrit:project", "ml/fraud-model").containsEntry("gerrit:change", "1234")
                .containsEntry("gerrit:patchset", "2").containsEntry("gerrit:approvers", "alice")
                .containsEntry("gerrit:revision", "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d")
                .containsEntry("jenkins:build-url", "https://ci.example.com/job/fraud_20model/1/");
    }

    @Test
    void shouldAdoptTheJobAfterARestartAndRefuseAnotherSpec() throws Exception {
        try (SageMakerTrainer first = trainer()) {
            first.train(Fixtures.spec().build(), Fixtures.context(2).build(), new Recorder());
        }
        Recorder afterRestart = new Recorder();
        try (SageMakerTrainer restarted = trainer()) {
            TrainingResult adopted = restarted.train(Fixtures.spec().build(), Fixtures.context(2).build(),
                    afterRestart);
            assertThat(adopted.isCompleted()).isTrue();
            assertThatThrownBy(() -> restarted.start(Fixtures.spec().withOutputPath("s3://ml-models/other").build(),
                    Fixtures.context(2).build(), new Recorder())).isInstanceOf(TrainingJobConflictException.class)
                    .hasMessageContaining("outputPath: the job has 's3://ml-models/fraud', the spec has "
                            + "'s3://ml-models/other'");
        }

        String name = SageMakerNames.trainingJobName(Fixtures.context(2).build());
        assertThat(afterRestart.messages.get(0)).startsWith("Training job " + name + " already "
                + "exists with the same spec (status Completed)");
        assertThat(clients.sageMaker().listTrainingJobs(b -> b.maxResults(100)).trainingJobSummaries())
                .extracting(TrainingJobSummary::trainingJobName).containsExactly(name);
    }

    @Test
    void shouldReadManyJobsWithOneListCall() {
        for (int i = 0; i < 30; i++) {
            clients.sageMaker().createTrainingJob(TrainingJobRequests.create("many-" + i, Fixtures.spec().build(),
                    Map.of()));
        }
        TrainingJobStatusSource source = new TrainingJobStatusSource(clients.sageMaker(), "eu-west-1");
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 30; i++) {
            ids.add("many-" + i);
        }

        Map<String, TrainingJobStatus> statuses = source.read(ids);

        assertThat(statuses).hasSize(30).allSatisfy((id, status) -> assertThat(status.isTerminal()).isTrue());
        assertThat(source.callCount()).isEqualTo(1);
        assertThat(source.read(ids)).isEqualTo(statuses);
        assertThat(source.callCount()).isEqualTo(2);
    }

    @Test
    void shouldStreamLogsIncrementallyWithoutDuplicates() {
        CloudWatchLogsClient logs = clients.logs();
        String job = "ml-fraud-model-c1234-p2-b3";
        logs.createLogGroup(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP));
        for (String stream : List.of(job + "/algo-1-1700000000", job + "/algo-2-1700000000",
                job + "-other/algo-1-1700000000")) {
            logs.createLogStream(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP).logStreamName(stream));
        }
        long t0 = Instant.now().toEpochMilli() - 10_000;
        put(logs, job + "/algo-1-1700000000", t0, "epoch 1 loss=0.9", "epoch 2 loss=0.5");
        put(logs, job + "/algo-2-1700000000", t0 + 5, "worker 2 ready");
        put(logs, job + "-other/algo-1-1700000000", t0, "another job's line");
        List<String> lines = new ArrayList<>();
        TrainingLogStreamer streamer = new TrainingLogStreamer(logs, job, lines::add);

        assertThat(streamer.poll()).isEqualTo(3);
        assertThat(streamer.poll()).isZero();
        put(logs, job + "/algo-1-1700000000", t0 + 100, "epoch 3 loss=0.3", "accuracy=0.93");
        assertThat(streamer.poll()).isEqualTo(2);
        assertThat(streamer.poll()).isZero();

        assertThat(lines).containsExactly("[algo-1-1700000000] epoch 1 loss=0.9", "[algo-1-1700000000] epoch 2 loss=0.5",
                "[algo-2-1700000000] worker 2 ready", "[algo-1-1700000000] epoch 3 loss=0.3",
                "[algo-1-1700000000] accuracy=0.93");
        List<String> resumed = new ArrayList<>();
        assertThat(new TrainingLogStreamer(logs, job, resumed::add, streamer.lastTimestamp()).poll()).isZero();
        assertThat(new TrainingLogStreamer(logs, job, resumed::add, t0 + 50).poll()).isEqualTo(2);
    }

    /** A quiet job's log is read less and less often, down to once a minute; a read that finds lines resets it. */
    @Test
    void shouldReadAQuietJobsLogLessOften() {
        String job = "ml-fraud-model-c1234-p2-b6";
        CloudWatchLogsClient real = clients.logs();
        real.createLogGroup(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP));
        java.util.concurrent.atomic.AtomicInteger describes = new java.util.concurrent.atomic.AtomicInteger();
        CloudWatchLogsClient counted = (CloudWatchLogsClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CloudWatchLogsClient.class}, (proxy, method, args) -> {
                    if ("describeLogStreams".equals(method.getName())) {
                        describes.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> lines = new ArrayList<>();
        TrainingLogStreamer streamer = new TrainingLogStreamer(counted, job, lines::add);

        for (int i = 0; i < 36; i++) { // 3 minutes of 5-s intervals with nothing to read
            streamer.pollWhenDue();
        }
        assertThat(describes.get()).as("reads after 0, 2, 6, 14 and 26 quiet intervals").isEqualTo(5);

        real.createLogStream(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP).logStreamName(job + "/algo-1-1"));
        put(real, job + "/algo-1-1", Instant.now().toEpochMilli(), "epoch 1 loss=0.9");
        int emitted = 0;
        int calls = 0;
        while (emitted == 0 && calls < 12) {
            emitted = streamer.pollWhenDue();
            calls++;
        }
        assertThat(emitted).as("the line is read within a minute of intervals").isEqualTo(1);
        put(real, job + "/algo-1-1", Instant.now().toEpochMilli() + 1, "epoch 2 loss=0.5");
        assertThat(streamer.pollWhenDue()).as("after lines, the next interval reads again").isEqualTo(1);
        assertThat(streamer.poll()).as("poll() always reads (the last read when the job ends)").isZero();
        assertThat(lines).containsExactly("[algo-1-1] epoch 1 loss=0.9", "[algo-1-1] epoch 2 loss=0.5");
    }

    private static void put(final CloudWatchLogsClient logs, final String stream, final long timestamp,
            final String... messages) {
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            events.add(InputLogEvent.builder().timestamp(timestamp + i).message(messages[i]).build());
        }
        logs.putLogEvents(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP).logStreamName(stream).logEvents(events));
    }

    @Test
    void shouldStreamTheJobsLogToTheListener() throws Exception {
        String job = "ml-fraud-model-c1234-p2-b4";
        clients.logs().createLogGroup(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP));
        clients.logs().createLogStream(b -> b.logGroupName(TrainingLogStreamer.LOG_GROUP)
                .logStreamName(job + "/algo-1-1"));
        put(clients.logs(), job + "/algo-1-1", Instant.now().toEpochMilli(), "training started", "accuracy=0.93");
        Recorder recorder = new Recorder();
        try (SageMakerTrainer trainer = trainer()) {
            trainer.train(Fixtures.spec().build(), Fixtures.context(4).build(), recorder);
        }

        assertThat(recorder.logs).containsExactly("[algo-1-1] training started", "[algo-1-1] accuracy=0.93");
    }

    @Test
    void shouldAssumeRolesThroughSts() {
        TrainingContext context = Fixtures.context(5).build();
        try (AwsClients assumed = AwsClients.create(config().withAssumeRole(
                AssumeRoleSettings.builder("arn:aws:iam::123456789012:role/Trainer").withSessionName("jenkins-build-5")
                        .withExternalId("ext-42").forReview(context).build()).build());
             AwsClients oidc = AwsClients.create(config().withWebIdentityRole(WebIdentityRoleSettings.of(
                     "arn:aws:iam::123456789012:role/Oidc", "oidc-build-5", Duration.ofHours(1),
                     () -> "header.payload.signature")).build())) {
            assertThat(assumed.sts().getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/Trainer/jenkins-build-5");
            assertThat(oidc.sts().getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/Oidc/oidc-build-5");
            assertThat(assumed.sageMaker().listTrainingJobs(b -> b.maxResults(1)).trainingJobSummaries()).isEmpty();
        }
    }

    @Test
    void shouldDeployOnlyWhatTheGateApproves() throws Exception {
        DeploySpec spec = DeploySpec.builder().withEndpointName("fraud-staging")
                .withModelArtifact("s3://ml-models/fraud/ml-fraud-model-c1234-p2-b6/output/model.tar.gz")
                .withInferenceImage(Fixtures.IMAGE).withExecutionRoleArn(Fixtures.ROLE).build();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            SageMakerDeployer deployer = new SageMakerDeployer(clients, watcher);
            assertThatThrownBy(() -> deployer.deploy(spec, Fixtures.context(6).build(),
                    (s, c) -> GateDecision.refused("not merged"), new Recorder()))
                    .isInstanceOf(DeploymentRefusedException.class);
            assertThat(clients.sageMaker().listModels(b -> b.maxResults(10)).models()).isEmpty();

            DeployResult result = deployer.deploy(spec, Fixtures.context(6).build(),
                    (s, c) -> GateDecision.approved("Code-Review+2 by alice", List.of("alice")), new Recorder());

            assertThat(result.isDeployed()).isTrue();
            assertThat(result.getState().getStatus()).isEqualTo("InService");
            assertThat(clients.sageMaker().describeEndpoint(b -> b.endpointName("fraud-staging"))
                    .endpointConfigName()).isEqualTo("fraud-staging-c1234-p2-b6");
            assertThat(clients.sageMaker().describeModel(b -> b.modelName("fraud-staging-c1234-p2-b6"))
                    .primaryContainer().modelDataUrl()).isEqualTo(spec.getModelArtifact());
        }
    }

    @Test
    void shouldWriteNextToTheModelInS3PathStyle() {
        clients.s3().createBucket(b -> b.bucket("ml-models").createBucketConfiguration(
                c -> c.locationConstraint("eu-west-1")));
        clients.s3().putObject(b -> b.bucket("ml-models").key("fraud/job/lineage.json"),
                RequestBody.fromString("{\"change\":1234}"));

        assertThat(clients.s3().getObjectAsBytes(b -> b.bucket("ml-models").key("fraud/job/lineage.json"))
                .asString(StandardCharsets.UTF_8)).isEqualTo("{\"change\":1234}");
    }
}
