package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Following without a server: what a follow holds, and that giving it up lets go of it. */
class PrefectFlowRunsTest {
    @Test
    void shouldStopPollingAndStreamingWhenAFollowIsGivenUp() {
        // Nothing listens on port 9 and the first poll is an hour away: no call is made here.
        PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl("http://127.0.0.1:9/api")
                .build());
        try (JobWatcher watcher = new JobWatcher(Backoff.of(Duration.ofHours(1), Duration.ofHours(1)),
                Clock.systemUTC())) {
            PrefectFlowRuns flowRuns = new PrefectFlowRuns(client, watcher, Clock.systemUTC());
            Instant now = Instant.now();
            CompletableFuture<FlowRunResult> first = flowRuns.follow(WatchedJob.of("run-1", now,
                    now.plus(Duration.ofHours(2))), line -> { });
            CompletableFuture<FlowRunResult> second = flowRuns.follow(WatchedJob.of("run-2", now,
                    now.plus(Duration.ofHours(2))), line -> { });
            assertThat(watcher.activeCount()).isEqualTo(2);
            assertThat(flowRuns.getStatusSource().streamCount()).isEqualTo(2);

            first.cancel(false);

            assertThat(watcher.activeCount()).isEqualTo(1);
            assertThat(flowRuns.getStatusSource().streamCount()).isEqualTo(1);
            assertThat(second).isNotDone();
        }
    }
}
