package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.CredentialCheck;
import io.jenkins.plugins.gerritml.core.pipeline.JobOutcome;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.JobStoppedException;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHarness.Dying;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHarness.RecordingHost;
import io.jenkins.plugins.gerritml.core.pipeline.PreflightException;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.jenkins.plugins.gerritml.core.sagemaker.ScriptedSageMaker.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remote-job lifecycle on SageMaker (the scripted fake, real SDK clients): restart in each phase, stop in each
 * phase, two pipelines on one change and build, a wrong credential. Each test leaves every job it made terminal.
 */
class TrainingJobLifecycleITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(50));

    private ScriptedSageMaker fake;
    private AwsClients clients;
    private RemoteJobRuntime runtime;
    private SharedSources.Lease<SageMakerReader> reader;
    private final List<Map<String, Integer>> votes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new ScriptedSageMaker();
        AwsConnectionConfig config = SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys("AKIASCRIPTEDBASE0001", "scripted-base-secret-0123456789abcdefghij"))
                .withEndpointOverride(fake.endpoint()).build();
        clients = AwsClients.builder(config).withAttemptTimeout(Duration.ofSeconds(5)).withMaxAttempts(2).build();
        runtime = RemoteJobRuntime.standalone("lifecycle-test", 4, FAST, Clock.systemUTC());
        reader = SageMakerReader.shared(runtime, config, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        reader.release();
        runtime.close();
        clients.close();
        fake.close();
    }

    private SageMakerTrainer trainer() {
        return SageMakerTrainer.builder(clients.sageMaker(), null, clients.region())
                .withWatcher(runtime.watcher(), runtime.scheduler()).withStatusSource(reader.get().trainingJobs())
                .withExecutor(runtime.executor()).build();
    }

    private RecordingHost<TrainingResult> host() {
        return new RecordingHost<>(result -> {
            votes.add(result.toReview("Verified").getLabels());
            return ReviewDelivery.posted("Verified");
        });
    }

    private RemoteJobLifecycle<TrainingResult> lifecycle(final RemoteJobBackend<TrainingResult> backend,
            final RecordingHost<TrainingResult> host) {
        return RemoteJobLifecycle.builder(backend, host, runtime.executor(), runtime.scheduler()).build();
    }

    private static JobPlan plan(final int build, final String job) {
        return TrainingJobBackend.plan(Fixtures.spec().build(), Fixtures.context(build).withJob(job).build());
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(10), condition);
    }

    /** A restart in each phase: a new lifecycle with only the saved plan; one job, one vote, the right outcome. */
    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"PLANNED", "CREATING", "WAITING", "STOPPING"})
    void shouldLeaveExactlyOneJobAfterARestartInEachPhase(final JobPhase phase) throws Exception {
        JobPlan planned = plan(1, "ml/train");
        String name = planned.getIdentity();
        fake.script(name, step("InProgress", "Training", 1500), step("Completed", "Completed", 0));
        RecordingHost<TrainingResult> before = host();
        Dying<TrainingResult> dying = new Dying<>(new TrainingJobBackend(trainer()));
        CountDownLatch died = new CountDownLatch(1);
        Runnable crash = () -> {
            before.crash();
            dying.die();
            died.countDown();
        };
        RemoteJobLifecycle<TrainingResult> first = lifecycle(dying, before);
        switch (phase) {
            case PLANNED:
                before.save(planned); // saved by the step, then the process died before launching
                crash.run();
                break;
            case CREATING:
                dying.afterCreate(crash); // the job exists; WAITING was never saved
                first.start(planned);
                break;
            case WAITING:
                first.start(planned);
                await(() -> before.last().getPhase() == JobPhase.WAITING);
                crash.run();
                break;
            default: // STOPPING: aborted while the create call was in flight, died before stopping it
                dying.afterCreate(() -> {
                    first.stop("Aborted by alice", new InterruptedException("aborted"));
                    crash.run();
                });
                first.start(planned);
        }
        assertThat(died.await(60, TimeUnit.SECONDS)).isTrue();
        JobPlan saved = before.last();
        assertThat(saved.getPhase()).isEqualTo(phase);

        RecordingHost<TrainingResult> after = host();
        lifecycle(new TrainingJobBackend(trainer()), after).resume(saved);
        JobOutcome<TrainingResult> outcome = after.outcome();

        assertThat(fake.count("CreateTrainingJob")).isEqualTo(1);
        assertThat(fake.jobCount()).isEqualTo(1);
        assertThat(after.outcomes).hasSize(1);
        if (phase == JobPhase.STOPPING) {
            assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
            assertThat(outcome.getFailure()).isInstanceOf(JobStoppedException.class).hasMessage("Aborted by alice");
            assertThat(fake.count("StopTrainingJob")).isEqualTo(1);
            assertThat(votes).as("no vote for an aborted build").isEmpty();
        } else {
            assertThat(outcome.getStatus()).as(outcome.toString()).isEqualTo(JobOutcome.Status.SUCCESS);
            assertThat(outcome.getResult().getJobName()).isEqualTo(name);
            assertThat(outcome.getResult().isCompleted()).isTrue();
            assertThat(votes).containsExactly(Map.of("Verified", 1));
            assertThat(fake.count("StopTrainingJob")).isZero();
        }
    }

    @Test
    void shouldCreateNothingWhenStoppedBeforeTheCreateCall() throws Exception {
        ExecutorService paused = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            paused.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            RecordingHost<TrainingResult> host = host();
            RemoteJobLifecycle<TrainingResult> lifecycle = RemoteJobLifecycle.builder(
                    new TrainingJobBackend(trainer()), host, paused, runtime.scheduler()).build();
            lifecycle.start(plan(2, "ml/train"));

            lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
            release.countDown();
            JobOutcome<TrainingResult> outcome = host.outcome();
            paused.shutdown();
            assertThat(paused.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
            assertThat(fake.operations()).as("not a single SageMaker call").isEmpty();
        } finally {
            paused.shutdownNow();
        }
    }

    @Test
    void shouldStopWhatWasCreatedWhenStoppedDuringTheCreateCall() throws Exception {
        fake.slow("CreateTrainingJob", Duration.ofSeconds(2), 1);
        RecordingHost<TrainingResult> host = host();
        RemoteJobLifecycle<TrainingResult> lifecycle = lifecycle(new TrainingJobBackend(trainer()), host);
        lifecycle.start(plan(3, "ml/train"));
        await(() -> fake.count("CreateTrainingJob") == 1); // arrived, answered in 2 s

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        JobOutcome<TrainingResult> outcome = host.outcome();

        assertThat(host.log).anyMatch(line -> line.contains("is being created; it is stopped as soon as"));
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(fake.jobCount()).isEqualTo(1);
        assertThat(fake.count("StopTrainingJob")).isEqualTo(1);
        assertThat(votes).isEmpty();
    }

    @Test
    void shouldStopAWaitingJobOnceWhenStoppedTwice() throws Exception {
        JobPlan planned = plan(4, "ml/train");
        fake.script(planned.getIdentity(), step("InProgress", "Training", 60_000), step("Completed", "Completed", 0));
        RecordingHost<TrainingResult> host = host();
        RemoteJobLifecycle<TrainingResult> lifecycle = lifecycle(new TrainingJobBackend(trainer()), host);
        lifecycle.start(planned);
        await(() -> host.last().getPhase() == JobPhase.WAITING);

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        lifecycle.stop("Aborted by bob", new InterruptedException("again"));
        JobOutcome<TrainingResult> outcome = host.outcome();

        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(outcome.getFailure()).hasMessage("aborted");
        assertThat(fake.count("StopTrainingJob")).isEqualTo(1);
        assertThat(host.outcomes).hasSize(1);
        assertThat(host.last().getPhase()).isEqualTo(JobPhase.DONE);
        assertThat(host.last().getFacts()).containsEntry("arn",
                "arn:aws:sagemaker:eu-west-1:123456789012:training-job/" + planned.getIdentity());
    }

    /** Run defect 1: two pipelines, same change, patch set and build number. */
    @Test
    void shouldRunTwoJobsForTwoPipelinesOnTheSameChangeAndBuildNumber() throws Exception {
        RecordingHost<TrainingResult> train = host();
        RecordingHost<TrainingResult> deploy = host();
        lifecycle(new TrainingJobBackend(trainer()), train).start(plan(5, "ml-demo/train-on-patchset"));
        lifecycle(new TrainingJobBackend(trainer()), deploy).start(plan(5, "ml-demo/deploy-on-merge"));

        JobOutcome<TrainingResult> a = train.outcome();
        JobOutcome<TrainingResult> b = deploy.outcome();

        assertThat(fake.count("CreateTrainingJob")).isEqualTo(2);
        assertThat(fake.jobCount()).isEqualTo(2);
        assertThat(a.getResult().getJobName()).isNotEqualTo(b.getResult().getJobName());
        assertThat(train.log).noneMatch(line -> line.contains("exists already"));
        assertThat(deploy.log).noneMatch(line -> line.contains("exists already"));
        assertThat(votes).hasSize(2);
    }

    /** Run defect 5: an AWS credential named as the Gerrit credential. */
    @Test
    void shouldRefuseAWrongKindOfGerritCredentialBeforeAnySageMakerCall() throws Exception {
        RecordingHost<TrainingResult> host = host();
        RemoteJobLifecycle.builder(new TrainingJobBackend(trainer()), host, runtime.executor(), runtime.scheduler())
                .withCredentialChecks(List.of(CredentialCheck.of("gerritCredentialsId", "aws-moto",
                        List.of(CredentialCheck.Kind.USERNAME_PASSWORD), CredentialCheck.Kind.AWS_KEYS, "")))
                .build().start(plan(6, "ml/train"));

        JobOutcome<TrainingResult> outcome = host.outcome();

        assertThat(outcome.getFailure()).isInstanceOf(PreflightException.class)
                .hasMessageContaining("credential 'aws-moto' is of type AWS Credentials, but this needs type "
                        + "Username with password");
        assertThat(fake.operations()).isEmpty();
        assertThat(votes).isEmpty();
    }
}
