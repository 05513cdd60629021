package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PrefectServerExtension.class)
class PrefectServerITest {
    @Test
    void shouldServeEveryExampleFlowBehindBasicAuth(final PrefectServer prefect) throws Exception {
        assertThat(LabProcess.httpOk(prefect.apiUrl() + "/health")).isTrue();
        for (String flow : PrefectServer.EXAMPLE_FLOWS) {
            assertThat(prefect.status("/deployments/name/" + flow + "/" + PrefectServer.EXAMPLE_DEPLOYMENT))
                    .as(flow).isEqualTo(200);
        }
        // Without the login the API refuses: the lab really runs with auth on.
        HttpResponse<Void> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(prefect.apiUrl() + "/deployments/name/train-model/gerrit-ml")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        System.out.printf("Prefect server started in %d ms, example flows served in %d ms, server RSS %d MiB%n",
                prefect.lastStartDuration().toMillis(), prefect.examplesStartDuration().toMillis(),
                prefect.residentMiB());
    }

    @Test
    void shouldEndEveryRunATestLeftRunningOrQueued(final PrefectServer prefect) throws Exception {
        String running = prefect.createFlowRun("sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT,
                "{\"seconds\": 120}");
        String queued = prefect.createFlowRun(prefect.deployWithoutWorker("train-model", "left-queued",
                "lab-cleanup-pool"), "{}");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!prefect.flowRunStateType(running).equals("RUNNING") && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertThat(prefect.flowRunStateType(running)).isEqualTo("RUNNING");
        assertThat(prefect.activeFlowRuns()).extracting(PrefectServer.ActiveFlowRun::id).contains(running, queued);

        List<PrefectServer.ActiveFlowRun> ended = prefect.endActiveFlowRuns(Duration.ofSeconds(60));

        assertThat(ended).extracting(PrefectServer.ActiveFlowRun::id).contains(running, queued);
        assertThat(prefect.activeFlowRuns()).isEmpty();
        assertThat(prefect.flowRunStateType(running)).isEqualTo("CANCELLED");
        assertThat(prefect.flowRunStateType(queued)).isEqualTo("CANCELLED");
        prefect.checkRunner(); // the slot the sleeping run held is free again
    }

    @Test
    void shouldFailWithTheRunnersLogWhenTheRunnerHasDied() {
        try (PrefectServer own = PrefectServer.start().serveExamples()) {
            own.checkRunner();
            Optional<ProcessHandle> runner = ProcessHandle.of(own.runnerPid());
            assertThat(runner).isPresent();
            runner.get().destroyForcibly();
            runner.get().onExit().join();

            assertThatThrownBy(own::checkRunner).isInstanceOf(LabException.class)
                    .hasMessageContaining("runner (pid " + own.runnerPid() + ") has exited")
                    .hasMessageContaining("serving example flows as */" + PrefectServer.EXAMPLE_DEPLOYMENT);
        }
    }
}
