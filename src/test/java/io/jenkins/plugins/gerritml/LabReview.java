package io.jenkins.plugins.gerritml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectEndpoint;
import io.jenkins.plugins.gerritml.core.prefect.StateType;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests that follow the review read from the lab: Gerrit's own {@code stream-events} lines (which they hand
 * to Gerrit Trigger's handler, as its connection would), the flow run a build started, its state at the real Prefect
 * server, and the votes on a change.
 */
public final class LabReview {
    private static final Pattern FLOW_RUN_ID = Pattern.compile("flow-run/([0-9a-f-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabReview() {
    }

    /** Gerrit's {@code stream-events} as the CI account, every line into {@code lines}. */
    public static GerritEventStream stream(final GerritServer gerrit, final BlockingQueue<String> lines) {
        return GerritEventStream.connect(gerrit.host(), gerrit.sshPort(), gerrit.jenkins().username(),
                gerrit.jenkinsSshKeyFile(), Secret.empty(), null, lines::add, e -> lines.add("{\"failure\":\""
                        + e.getMessage() + "\"}"));
    }

    /** The first line in {@code lines} that {@code wanted} accepts, within 30 s. */
    public static String await(final BlockingQueue<String> lines, final Predicate<JsonNode> wanted)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String line = lines.poll(250, TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(JSON.readTree(line))) {
                return line;
            }
        }
        throw new AssertionError("no such event on the stream within 30 s");
    }

    /** The id of the flow run the build's log links to. */
    public static String flowRunId(final WorkflowRun run) throws Exception {
        Matcher matcher = FLOW_RUN_ID.matcher(run.getLog());
        assertThat(matcher.find()).as("flow run id in the log").isTrue();
        return matcher.group(1);
    }

    public static PrefectClient prefect(final PrefectServer prefect) {
        return new PrefectClient(PrefectEndpoint.builder().withApiUrl(prefect.apiUrl())
                .withBasicAuth(prefect.authString()).build());
    }

    /** The flow run's state once {@code wanted} accepts it, or after 60 s whatever it is. */
    public static StateType awaitState(final PrefectServer prefect, final String id,
            final Predicate<StateType> wanted) throws InterruptedException {
        PrefectClient client = prefect(prefect);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        StateType state = client.readFlowRun(id).getState().getType();
        while (!wanted.test(state) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            state = client.readFlowRun(id).getState().getType();
        }
        return state;
    }

    /** Every vote anyone cast on the change (DETAILED_LABELS), e.g. {@code Verified=-1 by jenkins}. */
    public static List<String> votes(final GerritServer gerrit, final LabChange change) {
        List<String> votes = new ArrayList<>();
        JsonNode labels = gerrit.readChange(change).path("labels");
        labels.fieldNames().forEachRemaining(label -> {
            for (JsonNode approval : labels.get(label).path("all")) {
                if (approval.path("value").asInt(0) != 0) {
                    votes.add(label + "=" + approval.path("value").asInt() + " by "
                            + approval.path("username").asText());
                }
            }
        });
        return votes;
    }
}
