package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.JobOutcome;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHarness.Dying;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHarness.RecordingHost;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Promotion to an endpoint on the lifecycle (scripted SageMaker): restart after the update, gate, abort. */
class EndpointLifecycleITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(50));
    private static final PromotionGate APPROVE = (s, c) -> GateDecision.approved("Code-Review+2 by alice",
            List.of("alice"));

    private ScriptedSageMaker fake;
    private AwsClients clients;
    private RemoteJobRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        fake = new ScriptedSageMaker();
        clients = AwsClients.builder(SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys("AKIASCRIPTEDBASE0001", "scripted-base-secret-0123456789abcdefghij"))
                .withEndpointOverride(fake.endpoint()).build()).withAttemptTimeout(Duration.ofSeconds(5)).build();
        runtime = RemoteJobRuntime.standalone("endpoint-test", 4, FAST, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        runtime.close();
        clients.close();
        fake.close();
    }

    private EndpointBackend backend(final PromotionGate gate) {
        return new EndpointBackend(new SageMakerDeployer(clients.sageMaker(), "eu-west-1", runtime.watcher(),
                Clock.systemUTC()), gate);
    }

    private RemoteJobLifecycle<DeployResult> lifecycle(final RemoteJobBackend<DeployResult> backend,
            final RecordingHost<DeployResult> host) {
        return RemoteJobLifecycle.builder(backend, host, runtime.executor(), runtime.scheduler()).build();
    }

    private static RecordingHost<DeployResult> host() {
        return new RecordingHost<>(result -> ReviewDelivery.notRequested());
    }

    private static JobPlan plan(final int build) {
        return EndpointBackend.plan(DeploySpec.builder().withEndpointName("fraud-prod")
                .withModelArtifact("s3://ml-models/fraud/job/output/model.tar.gz").withInferenceImage(Fixtures.IMAGE)
                .withExecutionRoleArn(Fixtures.ROLE).build(), Fixtures.context(build).withJob("ml/deploy").build());
    }

    /** Review 2.4: a restart after UpdateEndpoint follows that update; it does not update again or wait in vain. */
    @Test
    void shouldFollowTheUpdateIssuedBeforeARestartInsteadOfIssuingASecond() throws Exception {
        fake.existingEndpoint("fraud-prod", "fraud-prod-old");
        RecordingHost<DeployResult> before = host();
        Dying<DeployResult> dying = new Dying<>(backend(APPROVE));
        CountDownLatch died = new CountDownLatch(1);
        dying.afterCreate(() -> {
            before.crash();
            dying.die();
            died.countDown();
        });
        lifecycle(dying, before).start(plan(21));
        assertThat(died.await(60, TimeUnit.SECONDS)).isTrue();
        JobPlan saved = before.last();
        assertThat(saved.getPhase()).isEqualTo(JobPhase.CREATING);

        RecordingHost<DeployResult> after = host();
        lifecycle(backend((s, c) -> GateDecision.refused("must not be asked again")), after).resume(saved);
        JobOutcome<DeployResult> outcome = after.outcome();

        assertThat(outcome.getStatus()).as(outcome.toString()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(outcome.getResult().isDeployed()).isTrue();
        assertThat(outcome.getResult().getState().getEndpointConfigName()).isEqualTo(saved.getIdentity());
        assertThat(fake.count("UpdateEndpoint")).isEqualTo(1);
        assertThat(fake.count("CreateModel")).isEqualTo(1);
    }

    @Test
    void shouldCallNothingInAwsWhenTheGateRefuses() throws Exception {
        RecordingHost<DeployResult> host = host();
        lifecycle(backend((s, c) -> GateDecision.refused("change 1234 is not merged")), host).start(plan(22));

        JobOutcome<DeployResult> outcome = host.outcome();

        assertThat(outcome.getFailure()).isInstanceOf(DeploymentRefusedException.class)
                .hasMessageContaining("change 1234 is not merged");
        assertThat(fake.operations()).as("only the adoption check reads the endpoint")
                .containsOnly("DescribeEndpoint");
    }

    @Test
    void shouldStopWaitingAndSaySageMakerCannotCancelAnUpdate() throws Exception {
        fake.existingEndpoint("fraud-prod", "fraud-prod-old").endpointDelay(Duration.ofMinutes(5));
        RecordingHost<DeployResult> host = host();
        RemoteJobLifecycle<DeployResult> lifecycle = lifecycle(backend(APPROVE), host);
        lifecycle.start(plan(23));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (host.last().getPhase() != JobPhase.WAITING && !lifecycle.isCompleted()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        JobOutcome<DeployResult> outcome = host.outcome();

        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(host.log).anyMatch(line -> line.contains("SageMaker cannot cancel an endpoint update"));
        assertThat(host.outcomes).hasSize(1);
        assertThat(fake.count("UpdateEndpoint")).isEqualTo(1);
    }
}
