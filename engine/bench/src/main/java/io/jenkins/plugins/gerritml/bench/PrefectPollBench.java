package io.jenkins.plugins.gerritml.bench;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunResult;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectEndpoint;
import io.jenkins.plugins.gerritml.core.prefect.PrefectFlowRuns;
import io.jenkins.plugins.gerritml.core.prefect.StartedFlowRun;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.PrefectServer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows 100 flow runs on a real Prefect server (example flow {@code train-model}) through the shared watcher,
 * with every run's logs streamed, and prints how many HTTP calls each poll interval cost. A naive follower would
 * make 100 status calls (plus 100 log calls) per interval.
 *
 * <p>{@code ./mvnw -B -Pbench -Dbench=PrefectPollBench -pl bench -am verify} ({@code -Druns=N} to change the count).
 */
public final class PrefectPollBench {
    private PrefectPollBench() {
    }

    public static void main(final String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 100);
        System.setProperty("gerritml.prefect.runLimit", System.getProperty("gerritml.prefect.runLimit", "3"));
        long begin = System.nanoTime();
        try (PrefectServer prefect = PrefectServer.start()) {
            long serverStart = prefect.lastStartDuration().toMillis();
            prefect.serveExamples();
            System.out.printf("Prefect server start: %d ms (incl. virtualenv check: %d ms); example flows served in "
                    + "%d ms; server RSS %d MiB%n", serverStart, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                    prefect.examplesStartDuration().toMillis(), prefect.residentMiB());

            PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl(prefect.apiUrl())
                    .withBasicAuth(prefect.authString()).withRequestTimeout(Duration.ofSeconds(60)).build());
            Backoff backoff = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
            try (JobWatcher watcher = new JobWatcher(backoff, Clock.systemUTC())) {
                PrefectFlowRuns flowRuns = new PrefectFlowRuns(client, watcher, Clock.systemUTC());
                AtomicLong logLines = new AtomicLong();
                List<StartedFlowRun> started = new ArrayList<>();
                long createStart = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    started.add(flowRuns.start(FlowRunRequest.builder().withDeployment("train-model/"
                            + PrefectServer.EXAMPLE_DEPLOYMENT).withParameter("change", 1000 + i)
                            .withParameter("patchset", 1).withParameter("epochs", 1)
                            .withTimeout(Duration.ofMinutes(15)).build(), line -> { }));
                }
                long createMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createStart);
                long requestsBefore = client.requestCount();
                long pollBefore = flowRuns.getStatusSource().pollRequestCount();
                long readsBefore = watcher.readCount();
                long followStart = System.nanoTime();
                List<CompletableFuture<FlowRunResult>> results = new ArrayList<>();
                for (StartedFlowRun run : started) {
                    results.add(flowRuns.follow(run.getWatchedJob(), run.getFlowRun().getCreated(), line -> {
                        if (line.startsWith("[prefect]")) {
                            logLines.incrementAndGet();
                        }
                    }));
                }
                while (results.stream().anyMatch(r -> !r.isDone())) {
                    Thread.sleep(200);
                }
                long pollRequests = flowRuns.getStatusSource().pollRequestCount() - pollBefore;
                long followMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - followStart);
                long succeeded = results.stream().map(CompletableFuture::join).filter(FlowRunResult::isSuccess).count();
                long totalRequests = client.requestCount() - requestsBefore;
                long ticks = watcher.readCount() - readsBefore;
                System.out.printf("Created %d flow runs in %d ms (%.1f ms each)%n", runs, createMillis,
                        (double) createMillis / runs);
                System.out.printf("Followed %d runs to the end in %d ms: %d succeeded, %d log lines streamed%n",
                        runs, followMillis, succeeded, logLines.get());
                System.out.printf("Poll intervals (watcher ticks): %d; HTTP calls while polling: %d => %.2f calls per "
                        + "poll interval for %d runs (status filter + log filter pages); naive: %d%n", ticks,
                        pollRequests, ticks == 0 ? 0.0 : (double) pollRequests / ticks, runs, 2 * runs);
                System.out.printf("All HTTP calls after creation incl. per-run final reads (drain logs, run, "
                        + "artifacts): %d%n", totalRequests);
            }
        }
    }
}
