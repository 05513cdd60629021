package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.Await;
import io.jenkins.plugins.gerritml.lab.LabProcess;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Prefect backend against a real Prefect server with the example flows served (see lab's PrefectServer). */
@ExtendWith(PrefectServerExtension.class)
class PrefectFlowRunsITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(1));
    private static PrefectServer prefect;
    private static JobWatcher watcher;
    private static PrefectFlowRuns flowRuns;

    @BeforeAll
    static void connect(final PrefectServer server) {
        prefect = server;
        watcher = new JobWatcher(FAST, Clock.systemUTC());
        flowRuns = new PrefectFlowRuns(new PrefectClient(endpoint()), watcher, Clock.systemUTC());
    }

    @AfterAll
    static void closeWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static PrefectEndpoint endpoint() {
        return PrefectEndpoint.builder().withApiUrl(prefect.apiUrl()).withBasicAuth(prefect.authString())
                .withCredentialName("credential 'prefect-lab'").withRequestTimeout(Duration.ofSeconds(10)).build();
    }

    private static FlowRunRequest.Builder request(final String flow) {
        return FlowRunRequest.builder().withDeployment(flow + "/" + PrefectServer.EXAMPLE_DEPLOYMENT)
                .withTimeout(Duration.ofMinutes(2));
    }

    @Test
    void shouldRunAFlowWithParametersAndGerritTagsStreamItsLogsAndReportItsLink() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        long begin = System.nanoTime();
        long[] firstPrefectLine = {0};
        FlowRunResult result = flowRuns.run(request("train-model").withParameter("change", 42)
                .withParameter("patchset", 3).withParameter("epochs", 3).withName("change-42-ps-3")
                .withJobVariable("env", Map.of("MODEL_BUCKET", "models-dev"))
                .withGerritContext("ml/models", 42, 3, List.of("alice", "bob")).build(), line -> {
                    if (line.startsWith("[prefect]") && firstPrefectLine[0] == 0) {
                        firstPrefectLine[0] = System.nanoTime();
                    }
                    log.add(line);
                });

        FlowRun run = flowRuns.getClient().readFlowRun(result.getFlowRunId());
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.getOutcome()).isEqualTo(FlowRunResult.Outcome.SUCCEEDED);
        softly.assertThat(result.getState().getType()).isEqualTo(StateType.COMPLETED);
        softly.assertThat(result.getFlowRunName()).isEqualTo("change-42-ps-3");
        softly.assertThat(run.getParameters()).containsEntry("change", 42).containsEntry("patchset", 3)
                .containsEntry("epochs", 3);
        softly.assertThat(run.getJobVariables()).isEqualTo(Map.of("env", Map.of("MODEL_BUCKET", "models-dev")));
        softly.assertThat(run.getTags()).contains("gerrit", "gerrit-project:ml/models", "gerrit-change:42",
                "gerrit-patchset:3", "gerrit-approver:alice", "gerrit-approver:bob");
        softly.assertThat(log).anyMatch(line -> line.startsWith("[prefect]")
                && line.contains("training for change 42 patch set 3"));
        softly.assertThat(log).anyMatch(line -> line.contains("epoch 3 accuracy 0.8333"));
        softly.assertThat(log.stream().filter(line -> line.contains("epoch 3 accuracy")).count())
                .as("each line streamed once").isEqualTo(1);
        softly.assertThat(result.getUiUrl()).isEqualTo(prefect.uiUrl() + "/runs/flow-run/" + run.getId());
        softly.assertThat(result.getArtifacts()).extracting(FlowRunArtifact::getKey, FlowRunArtifact::getTitle,
                FlowRunArtifact::getLink, FlowRunArtifact::getDescription).containsExactly(org.assertj.core.groups.Tuple
                .tuple("model-report", "model report", "http://127.0.0.1/models/change-42/ps-3",
                        "Where the trained model would be published"));
        softly.assertThat(result.getDuration()).isPositive();
        softly.assertAll();
        System.out.printf("Prefect run latency: create to first log line %d ms, create to result %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(firstPrefectLine[0] - begin),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    @Test
    void shouldMapAFailingFlowToFailedWithPrefectsMessage() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        FlowRunResult result = flowRuns.run(request("failing-flow").withParameter("reason", "accuracy below 0.9")
                .build(), log::add);

        assertThat(result.getOutcome()).isEqualTo(FlowRunResult.Outcome.FAILED);
        assertThat(result.getState().getType()).isEqualTo(StateType.FAILED);
        assertThat(result.summary()).contains("Failed").contains("accuracy below 0.9");
        assertThat(log).anyMatch(line -> line.startsWith("[prefect]") && line.contains("about to fail"));
    }

    @Test
    void shouldRunTypedParametersAndNameTheParameterPrefectOrWeRefuse() throws Exception {
        FlowRunResult ok = flowRuns.run(request("typed-parameters").withParameter("learning_rate", 0.01)
                .withParameter("epochs", 3).withParameter("layers", List.of(64, 32)).withParameter("shuffle", false)
                .withParameter("optimizer", "sgd").build(), line -> { });
        assertThat(ok.isSuccess()).isTrue();
        assertThat(flowRuns.getClient().readFlowRun(ok.getFlowRunId()).getParameters())
                .containsEntry("learning_rate", 0.01).containsEntry("layers", List.of(64, 32))
                .containsEntry("optimizer", "sgd").containsEntry("shuffle", false);

        long before = flowRuns.getClient().requestCount();
        assertThatThrownBy(() -> flowRuns.start(request("typed-parameters").withParameter("learning_rate", 0.01)
                .withParameter("epochs", "three").withParameter("layers", List.of(1)).build(), line -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameters.epochs").hasMessageContaining("integer").hasMessageContaining("three");
        assertThat(flowRuns.getClient().requestCount() - before).as("only the deployment was read").isEqualTo(1);
        assertThatThrownBy(() -> flowRuns.start(request("typed-parameters").withParameter("learning_rate", 0.01)
                .withParameter("epochs", 3).withParameter("layers", List.of(1)).withParameter("optimiser", "adam")
                .build(), line -> { }))
                .hasMessageContaining("parameters.optimiser").hasMessageContaining("optimizer");
        assertThatThrownBy(() -> flowRuns.start(request("typed-parameters").withParameter("epochs", 3)
                .withParameter("layers", List.of(1)).build(), line -> { }))
                .hasMessageContaining("parameters.learning_rate").hasMessageContaining("required");
        // Optional[int] is an anyOf schema: only Prefect's own validation catches it, and the error still names it.
        assertThatThrownBy(() -> flowRuns.start(request("typed-parameters").withParameter("learning_rate", 0.01)
                .withParameter("epochs", 3).withParameter("layers", List.of(1)).withParameter("seed", "abc")
                .build(), line -> { }))
                .isInstanceOfSatisfying(PrefectException.class, e -> assertThat(e.getReason())
                        .isEqualTo(PrefectException.Reason.REJECTED))
                .hasMessageStartingWith("parameters.seed: ");
    }

    @Test
    void shouldCancelARunningFlowAndReportARefusalOnceItIsOver() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        // The flow would sleep far longer than any wait here, so only the cancel can end it, however slow the
        // machine (under load Prefect's runner takes well over a minute to stop a flow process).
        StartedFlowRun started = flowRuns.start(request("sleeping-flow").withParameter("seconds", 900)
                .withTimeout(Duration.ofMinutes(10)).build(), log::add);
        CompletableFuture<FlowRunResult> result = flowRuns.follow(started.getWatchedJob(), log::add);
        await(Duration.ofSeconds(120), () -> log.stream().anyMatch(line -> line.contains("sleeping 900")));

        CancelResult cancel = flowRuns.cancel(started.getFlowRunId(), "aborted in Jenkins by alice");
        assertThat(cancel.getStatus()).isEqualTo(CancelResult.Status.ACCEPT);
        assertThat(cancel.getState().getType()).isEqualTo(StateType.CANCELLING);

        FlowRunResult cancelled = result.get(5, TimeUnit.MINUTES);
        assertThat(cancelled.getOutcome()).isEqualTo(FlowRunResult.Outcome.CANCELLED);
        assertThat(cancelled.getDuration()).isLessThan(Duration.ofSeconds(900));
        assertThat(log).anyMatch(line -> line.contains("Cancelling"));

        CancelResult again = flowRuns.cancel(started.getFlowRunId(), "once more");
        assertThat(again.getStatus()).isEqualTo(CancelResult.Status.ABORT);
        assertThat(again.isAccepted()).isFalse();
        assertThat(again.describe()).contains("refused").contains("terminal state CANCELLED");
    }

    @Test
    void shouldCancelAndFailWithTheElapsedTimeWhenTheDeadlinePasses() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        FlowRunResult result = flowRuns.run(request("sleeping-flow").withParameter("seconds", 60)
                .withTimeout(Duration.ofSeconds(6)).build(), log::add);

        assertThat(result.getOutcome()).isEqualTo(FlowRunResult.Outcome.TIMED_OUT);
        assertThat(result.getDuration()).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(20));
        assertThat(result.summary()).contains("timed out after").contains("accepted the cancellation");
        await(Duration.ofMinutes(3), () -> flowRuns.getClient().readFlowRun(result.getFlowRunId()).getState()
                .getType() == StateType.CANCELLED);
    }

    @Test
    void shouldSayWhileItWaitsThatNoWorkerPickedTheRunUpAndEndItCancelledAtTheDeadline() throws Exception {
        String deployment = prefect.deployWithoutWorker("train-model", "no-worker", "lab-idle-pool");
        PrefectFlowRuns runs = new PrefectFlowRuns(new PrefectClient(endpoint()), watcher, Clock.systemUTC());
        runs.setPickupWarning(Duration.ofSeconds(2));
        List<String> log = new CopyOnWriteArrayList<>();

        FlowRunResult result = runs.run(FlowRunRequest.builder().withDeployment(deployment)
                .withTimeout(Duration.ofSeconds(8)).build(), log::add);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(log).as("said while waiting").anyMatch(line -> line.contains("is still ")
                && line.contains("no worker or runner picked it up in ")
                && line.contains("deployment 'train-model/no-worker' runs on work pool 'lab-idle-pool'")
                && line.contains("prefect worker start --pool lab-idle-pool"));
        softly.assertThat(result.getOutcome()).isEqualTo(FlowRunResult.Outcome.TIMED_OUT);
        softly.assertThat(result.summary()).contains("timed out after").contains("(no worker or runner picked it up")
                .contains("at once, as nothing had started it").endsWith("the run is now Cancelled")
                .doesNotContain("refused");
        softly.assertThat(result.getState().getType()).as("the state it is really left in")
                .isEqualTo(StateType.CANCELLED);
        softly.assertThat(runs.getClient().readFlowRun(result.getFlowRunId()).getState().getType())
                .isEqualTo(StateType.CANCELLED);
        softly.assertAll();
    }

    @Test
    void shouldReattachToTheSameRunAfterARestartThroughTheIdempotencyKey() throws Exception {
        String key = IdempotencyKeys.of(77, 2, "ml-train#" + UUID.randomUUID(), "prefectFlowRun-1");
        FlowRunRequest request = request("sleeping-flow").withParameter("seconds", 3).withIdempotencyKey(key).build();
        StartedFlowRun first = flowRuns.start(request, line -> { });

        // A restarted Jenkins: new watcher, new client, same request.
        try (JobWatcher restarted = new JobWatcher(FAST, Clock.systemUTC())) {
            PrefectFlowRuns again = new PrefectFlowRuns(new PrefectClient(endpoint()), restarted, Clock.systemUTC());
            List<String> log = new CopyOnWriteArrayList<>();
            StartedFlowRun second = again.start(request, log::add);

            assertThat(first.isNew()).isTrue();
            assertThat(second.isNew()).isFalse();
            assertThat(second.getFlowRunId()).isEqualTo(first.getFlowRunId());
            assertThat(second.getWatchedJob().getStartedAt()).isEqualTo(first.getFlowRun().getCreated());
            assertThat(log).anyMatch(line -> line.startsWith("Re-attached to Prefect flow run"));
            FlowRunResult result = again.follow(second.getWatchedJob(), log::add).get(3, TimeUnit.MINUTES);
            assertThat(result.isSuccess()).isTrue();
            assertThat(log).anyMatch(line -> line.contains("woke up"));
        }
    }

    @Test
    void shouldKeepFollowingARunWhileThePrefectServerRestarts() throws Exception {
        // Its own server and runner: Prefect's runner gives up (and exits) when the server is away for a while, which
        // on a slow machine would leave the shared runner of every later test dead.
        try (PrefectServer own = PrefectServer.start().serveExamples();
             JobWatcher ownWatcher = new JobWatcher(FAST, Clock.systemUTC())) {
            PrefectFlowRuns ownRuns = new PrefectFlowRuns(new PrefectClient(PrefectEndpoint.builder()
                    .withApiUrl(own.apiUrl()).withBasicAuth(own.authString()).withRequestTimeout(Duration.ofSeconds(10))
                    .build()), ownWatcher, Clock.systemUTC());
            // The flow sleeps until the test says so: it must still be running when the server is back, or Prefect
            // itself (not this client) would lose track of it.
            java.nio.file.Path wakeUp = java.nio.file.Files.createTempDirectory("prefect-wake").resolve("now");
            List<String> log = new CopyOnWriteArrayList<>();
            StartedFlowRun started = ownRuns.start(request("sleeping-flow").withParameter("seconds", 120)
                    .withParameter("until_file", wakeUp.toString()).withTimeout(Duration.ofMinutes(4)).build(),
                    log::add);
            CompletableFuture<FlowRunResult> result = ownRuns.follow(started.getWatchedJob(), log::add);
            await(Duration.ofSeconds(120), () -> log.stream().anyMatch(line -> line.contains("sleeping 120")));

            own.stop();
            await(Duration.ofSeconds(30), () -> log.stream().anyMatch(line -> line.startsWith("Cannot read the state")));
            own.startAgain();
            java.nio.file.Files.createFile(wakeUp);

            FlowRunResult finished;
            try {
                finished = result.get(3, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("The run did not finish after the restart; Prefect says "
                        + ownRuns.getClient().readFlowRun(started.getFlowRunId()) + ". Client log:\n"
                        + String.join("\n", log) + "\nRunner log:\n" + own.examplesLogTail(40), e);
            }
            assertThat(finished.getFlowRunId()).isEqualTo(started.getFlowRunId());
            assertThat(finished.getOutcome()).isEqualTo(FlowRunResult.Outcome.SUCCEEDED);
            assertThat(log).anyMatch(line -> line.contains("Cannot reach the Prefect API at " + own.apiUrl()));
            assertThat(log).anyMatch(line -> line.contains("appeared"));
            System.out.printf("Prefect server restart took %d ms%n", own.lastStartDuration().toMillis());
        }
    }

    @Test
    void shouldPassOnPrefectsRefusalOfAWorkQueueForADeploymentWithoutAPool() {
        assertThatThrownBy(() -> flowRuns.start(request("train-model").withWorkQueue("gpu").build(), line -> { }))
                .isInstanceOfSatisfying(PrefectException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400))
                .hasMessageContaining("work queue gpu").hasMessageContaining("not associated with a work pool");
    }

    @Test
    void shouldListCloseMatchesForAnUnknownDeployment() {
        assertThatThrownBy(() -> flowRuns.start(FlowRunRequest.builder().withDeployment("train-modle/gerrit-ml")
                .build(), line -> { }))
                .isInstanceOfSatisfying(PrefectException.class, e -> assertThat(e.getReason())
                        .isEqualTo(PrefectException.Reason.NOT_FOUND))
                .hasMessageContaining("'train-modle/gerrit-ml'").hasMessageContaining(prefect.apiUrl())
                .hasMessageContaining("Close matches: train-model/gerrit-ml");
    }

    @Test
    void shouldNameTheCredentialButNeverShowItWhenTheLoginIsWrong() {
        String wrong = "lab:not-the-password-" + UUID.randomUUID();
        PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl(prefect.apiUrl())
                .withBasicAuth(wrong).withCredentialName("credential 'prefect-lab'").build());

        assertThatThrownBy(() -> client.findDeployment(DeploymentRef.valueOf("train-model/gerrit-ml")))
                .isInstanceOfSatisfying(PrefectException.class, e -> {
                    assertThat(e.getReason()).isEqualTo(PrefectException.Reason.UNAUTHORIZED);
                    assertThat(e.getStatusCode()).isEqualTo(401);
                })
                .hasMessageContaining("credential 'prefect-lab'").hasMessageContaining(prefect.apiUrl())
                .hasMessageNotContaining(wrong).hasMessageNotContaining("not-the-password")
                .hasMessageNotContaining(prefect.authString());
    }

    @Test
    void shouldNameTheUrlWhenTheServerIsUnreachable() {
        String url = "http://127.0.0.1:" + LabProcess.freePort() + "/api";
        PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl(url)
                .withConnectTimeout(Duration.ofSeconds(2)).build());

        assertThatThrownBy(() -> client.readFlowRuns(List.of(UUID.randomUUID().toString())))
                .isInstanceOfSatisfying(PrefectException.class, e -> assertThat(e.getReason())
                        .isEqualTo(PrefectException.Reason.UNREACHABLE))
                .hasMessageContaining("Cannot reach the Prefect API at " + url + "/flow_runs/filter");
        assertThat(client.isHealthy()).isFalse();
    }

    @Test
    void shouldReadManyRunsInOneCall() {
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        long before = flowRuns.getClient().requestCount();
        Map<String, FlowRunState> states = flowRuns.getStatusSource().read(new java.util.LinkedHashSet<>(ids));
        assertThat(states).isEmpty();
        assertThat(flowRuns.getClient().requestCount() - before).isEqualTo(1);
    }

    private static void await(final Duration timeout, final BooleanSupplier condition) throws InterruptedException {
        Await.until(timeout, Duration.ofMillis(200), condition);
    }
}
