package io.jenkins.plugins.gerritml.core.prefect;

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
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remote-job lifecycle on a real Prefect server: restart in each phase, stop while waiting, two pipelines on one
 * change and build, a wrong credential. Every run a test starts is left terminal: its sleeping flow ends when the
 * test creates its {@code until_file}, or it is cancelled and the test waits for Prefect to say so.
 */
@ExtendWith(PrefectServerExtension.class)
class FlowRunLifecycleITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(1));
    private static PrefectServer prefect;
    private static RemoteJobRuntime runtime;
    private static SharedSources.Lease<PrefectFlowRuns> flowRuns;

    private final List<Path> wakeUps = new ArrayList<>();
    private final List<String> runIds = new CopyOnWriteArrayList<>();
    private final List<String> votes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect(final PrefectServer server) {
        prefect = server;
        runtime = RemoteJobRuntime.standalone("prefect-lifecycle-test", 4, FAST, Clock.systemUTC());
        flowRuns = FlowRunBackend.shared(runtime, prefect.apiUrl(), PrefectEndpoint.builder()
                .withApiUrl(prefect.apiUrl()).withBasicAuth(prefect.authString())
                .withCredentialName("credential 'prefect-lab'").withRequestTimeout(Duration.ofSeconds(10)).build(),
                Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            flowRuns.release();
            runtime.close();
        }
    }

    /** Wakes every sleeping flow this test started and waits until Prefect has each run in a final state. */
    @AfterEach
    void leaveEveryRunTerminal() throws Exception {
        for (Path wakeUp : wakeUps) {
            if (!Files.exists(wakeUp)) {
                Files.createFile(wakeUp);
            }
        }
        for (String id : runIds) {
            await(() -> client().readFlowRun(id).getState().isTerminal());
        }
    }

    private static PrefectClient client() {
        return flowRuns.get().getClient();
    }

    private RecordingHost<FlowRunResult> host() {
        return new RecordingHost<>(result -> {
            votes.add(result.getOutcome().name());
            return ReviewDelivery.posted("Verified");
        });
    }

    private RemoteJobLifecycle<FlowRunResult> lifecycle(final RemoteJobBackend<FlowRunResult> backend,
            final RecordingHost<FlowRunResult> host) {
        return RemoteJobLifecycle.builder(backend, host, runtime.executor(), runtime.scheduler()).build();
    }

    /** A sleeping flow that ends when this test creates its file; keyed as the plugin keys a step of a build. */
    private JobPlan sleeping(final String job) throws Exception {
        Path wakeUp = Files.createTempDirectory("lifecycle-wake").resolve("now");
        wakeUps.add(wakeUp);
        return FlowRunBackend.plan(FlowRunRequest.builder()
                .withDeployment("sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT)
                .withParameter("seconds", 120).withParameter("until_file", wakeUp.toString())
                .withTimeout(Duration.ofMinutes(4))
                .withIdempotencyKey(IdempotencyKeys.of(42, 3, job + "#7", "5")).build());
    }

    private List<FlowRun> runsOf(final JobPlan plan) {
        List<FlowRun> runs = client().findFlowRunsByIdempotencyKey(plan.getIdentity());
        runs.forEach(run -> runIds.add(run.getId()));
        return runs;
    }

    private void wakeUp(final int index) throws Exception {
        Files.createFile(wakeUps.get(index));
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        Await.until(Duration.ofSeconds(90), Duration.ofMillis(100), condition);
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"PLANNED", "CREATING", "WAITING", "STOPPING"})
    void shouldLeaveExactlyOneFlowRunAfterARestartInEachPhase(final JobPhase phase) throws Exception {
        JobPlan planned = sleeping("lifecycle-itest/restart-" + phase + "-" + UUID.randomUUID());
        RecordingHost<FlowRunResult> before = host();
        Dying<FlowRunResult> dying = new Dying<>(new FlowRunBackend(flowRuns.get()));
        CountDownLatch died = new CountDownLatch(1);
        Runnable crash = () -> {
            before.crash();
            dying.die();
            died.countDown();
        };
        RemoteJobLifecycle<FlowRunResult> first = lifecycle(dying, before);
        switch (phase) {
            case PLANNED:
                before.save(planned);
                crash.run();
                break;
            case CREATING:
                dying.afterCreate(crash);
                first.start(planned);
                break;
            case WAITING:
                first.start(planned);
                await(() -> before.last().getPhase() == JobPhase.WAITING);
                crash.run();
                break;
            default:
                dying.afterCreate(() -> {
                    first.stop("Aborted by alice", new InterruptedException("aborted"));
                    crash.run();
                });
                first.start(planned);
        }
        assertThat(died.await(60, TimeUnit.SECONDS)).isTrue();
        JobPlan saved = before.last();
        assertThat(saved.getPhase()).isEqualTo(phase);

        RecordingHost<FlowRunResult> after = host();
        RemoteJobLifecycle<FlowRunResult> resumed = lifecycle(new FlowRunBackend(flowRuns.get()), after);
        resumed.resume(saved);
        if (phase != JobPhase.STOPPING) {
            await(() -> resumed.plan().getPhase() == JobPhase.WAITING);
            wakeUp(0);
        }
        JobOutcome<FlowRunResult> outcome = after.outcome();

        assertThat(runsOf(planned)).as("runs with the plan's idempotency key").hasSize(1);
        assertThat(after.outcomes).hasSize(1);
        if (phase == JobPhase.STOPPING) {
            assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
            assertThat(outcome.getFailure()).isInstanceOf(JobStoppedException.class).hasMessage("Aborted by alice");
            assertThat(after.log).anyMatch(line -> line.startsWith("Stopping Prefect flow run "));
            assertThat(votes).isEmpty();
        } else {
            assertThat(outcome.getStatus()).as(outcome.toString()).isEqualTo(JobOutcome.Status.SUCCESS);
            assertThat(outcome.getResult().getOutcome()).isEqualTo(FlowRunResult.Outcome.SUCCEEDED);
            assertThat(outcome.getResult().getFlowRunId()).isEqualTo(runsOf(planned).get(0).getId());
            assertThat(votes).containsExactly("SUCCEEDED");
        }
    }

    @Test
    void shouldCancelAWaitingRunOnceWhenStoppedTwice() throws Exception {
        JobPlan planned = sleeping("lifecycle-itest/stop-" + UUID.randomUUID());
        RecordingHost<FlowRunResult> host = host();
        RemoteJobLifecycle<FlowRunResult> lifecycle = lifecycle(new FlowRunBackend(flowRuns.get()), host);
        lifecycle.start(planned);
        await(() -> host.log.stream().anyMatch(line -> line.contains("sleeping 120")));

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        lifecycle.stop("Aborted by bob", new InterruptedException("again"));
        JobOutcome<FlowRunResult> outcome = host.outcome();

        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(host.outcomes).hasSize(1);
        assertThat(host.log.stream().filter(line -> line.startsWith("Stopping Prefect flow run"))).hasSize(1);
        String id = runsOf(planned).get(0).getId();
        await(() -> client().readFlowRun(id).getState().isTerminal());
        assertThat(client().readFlowRun(id).getState().getType()).isEqualTo(StateType.CANCELLED);
        assertThat(votes).isEmpty();
    }

    @Test
    void shouldRunTwoFlowRunsForTwoPipelinesOnTheSameChangeAndBuildNumber() throws Exception {
        String suffix = UUID.randomUUID().toString();
        JobPlan train = sleeping("ml-demo/train-on-patchset-" + suffix);
        JobPlan deploy = sleeping("ml-demo/deploy-on-merge-" + suffix);
        RecordingHost<FlowRunResult> a = host();
        RecordingHost<FlowRunResult> b = host();
        lifecycle(new FlowRunBackend(flowRuns.get()), a).start(train);
        lifecycle(new FlowRunBackend(flowRuns.get()), b).start(deploy);
        await(() -> a.last().getPhase() == JobPhase.WAITING && b.last().getPhase() == JobPhase.WAITING);
        wakeUp(0);
        wakeUp(1);

        assertThat(a.outcome().getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(b.outcome().getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(runsOf(train)).hasSize(1);
        assertThat(runsOf(deploy)).hasSize(1);
        assertThat(a.outcome().getResult().getFlowRunId()).isNotEqualTo(b.outcome().getResult().getFlowRunId());
    }

    @Test
    void shouldRefuseAWrongKindOfGerritCredentialBeforeCreatingARun() throws Exception {
        JobPlan planned = sleeping("lifecycle-itest/credential-" + UUID.randomUUID());
        RecordingHost<FlowRunResult> host = host();
        RemoteJobLifecycle.builder(new FlowRunBackend(flowRuns.get()), host, runtime.executor(), runtime.scheduler())
                .withCredentialChecks(List.of(CredentialCheck.of("credentialsId (Gerrit REST)", "aws-moto",
                        List.of(CredentialCheck.Kind.USERNAME_PASSWORD), CredentialCheck.Kind.AWS_KEYS, "")))
                .build().start(planned);

        JobOutcome<FlowRunResult> outcome = host.outcome();

        assertThat(outcome.getFailure()).isInstanceOf(PreflightException.class).hasMessageContaining("aws-moto");
        assertThat(runsOf(planned)).isEmpty();
        assertThat(votes).isEmpty();
    }
}
