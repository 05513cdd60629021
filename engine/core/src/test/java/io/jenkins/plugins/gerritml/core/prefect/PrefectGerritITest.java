package io.jenkins.plugins.gerritml.core.prefect;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.EventApproval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Gerrit event → approval gate → Prefect flow run → vote, link and audit line on the change, all real servers. */
@ExtendWith({GerritLab.class, PrefectServerExtension.class})
class PrefectGerritITest {
    private static final ApprovalPolicy CODE_REVIEW_2 = ApprovalPolicy.builder().build();
    private static JobWatcher watcher;
    private static ReviewedFlowRuns reviewed;
    private static PrefectServer prefect;
    private static PrefectFlowRuns flowRuns;
    private static java.nio.file.Path auditFile;

    @BeforeAll
    static void connect(final GerritServer gerrit, final PrefectServer server) throws Exception {
        prefect = server;
        watcher = new JobWatcher(Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(1)), Clock.systemUTC());
        auditFile = java.nio.file.Files.createTempDirectory("prefect-audit").resolve("audit.jsonl");
        AuditLog audit = AuditLog.open(auditFile, "prefect-gerrit-itest", Clock.systemUTC(),
                List.of(Secret.of(server.authString())));
        flowRuns = new PrefectFlowRuns(new PrefectClient(PrefectEndpoint.builder().withApiUrl(server.apiUrl())
                .withBasicAuth(server.authString()).build()), watcher, Clock.systemUTC(), audit, "jenkins");
        GerritRestClient client = LabGerrit.jenkinsClient(gerrit);
        reviewed = new ReviewedFlowRuns(flowRuns, client, new ApprovalGate(client));
    }

    @AfterAll
    static void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static FlowRunRequest template(final String flow) {
        return FlowRunRequest.builder().withDeployment(flow + "/" + PrefectServer.EXAMPLE_DEPLOYMENT)
                .withTimeout(Duration.ofMinutes(2)).build();
    }

    @Test
    void shouldTurnACodeReviewPlusTwoEventIntoAFlowRunAndVoteWithItsLink(final GerritServer gerrit) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        LabChange change = gerrit.createChange(gerrit.dana(), "Retrain with more epochs", "train/config.yaml",
                "epochs: 3\n");
        GerritChange event;
        try (GerritEventStream stream = GerritEventStream.connect(gerrit.host(), gerrit.sshPort(),
                gerrit.jenkins().username(), gerrit.jenkinsSshKeyFile(), Secret.empty(), null, events::add,
                e -> events.add("failure: " + e))) {
            gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
            event = awaitEvent(events, "comment-added", change);
        }
        List<String> log = new CopyOnWriteArrayList<>();
        FlowRunRequest template = template("train-model").toBuilder().withParameter("change", change.number())
                .withParameter("patchset", change.patchSet()).build();

        ReviewedFlowRuns.Outcome outcome = reviewed.onEvent(event, CODE_REVIEW_2, template, "Verified",
                "ml-demo-events", log::add);

        assertThat(outcome.getResult()).isNotNull();
        FlowRunResult result = outcome.getResult();
        assertThat(result.isSuccess()).as(String.join("\n", log)).isTrue();
        assertThat(outcome.vote("Verified")).isEqualTo(1);
        FlowRun run = flowRuns.getClient().readFlowRun(result.getFlowRunId());
        assertThat(run.getTags()).contains("gerrit-project:" + change.project(), "gerrit-change:" + change.number(),
                "gerrit-patchset:" + change.patchSet(), "gerrit-approver:alice");
        assertThat(run.getName()).isEqualTo("change-" + change.number() + "-ps-" + change.patchSet());
        assertThat(run.getIdempotencyKey()).startsWith("gerrit-ml:" + change.number() + "/" + change.patchSet());
        assertThat(log).anyMatch(line -> line.contains("training for change " + change.number()));

        JsonNode read = gerrit.readChange(change);
        assertThat(read.get("labels").get("Verified").get("all")).anySatisfy(vote -> {
            assertThat(vote.get("username").asText()).isEqualTo("jenkins");
            assertThat(vote.get("value").asInt()).isEqualTo(1);
        });
        String message = lastMessage(read);
        assertThat(message).contains("Verified+1").contains("Completed")
                .contains("* Prefect flow run " + run.getName() + ": " + prefect.uiUrl() + "/runs/flow-run/"
                        + run.getId())
                .contains("* model report: http://127.0.0.1/models/change-" + change.number())
                .containsPattern("gerrit-ml audit: .*started Prefect flow run '" + run.getName() + "' \\("
                        + run.getId() + "\\) of train-model/gerrit-ml for ml-demo~" + change.number() + " patch set "
                        + change.patchSet() + ", approved by .*Code-Review\\+2")
                .doesNotContain(prefect.authString());
        // Both state-changing calls are in the audit log, without the Prefect login.
        List<java.util.Map<?, ?>> audit = AuditLog.read(auditFile);
        assertThat(audit).anySatisfy(entry -> {
            assertThat(entry.get("action")).isEqualTo("prefect.create-flow-run");
            assertThat(entry.get("target")).isEqualTo(run.getId());
            assertThat(entry.get("outcome")).isEqualTo("ok");
        });
        assertThat(audit).anySatisfy(entry -> {
            assertThat(entry.get("action")).isEqualTo("gerrit.post-review");
            assertThat(entry.get("target")).isEqualTo(change.project() + "~" + change.number() + "/"
                    + change.patchSet());
        });
        assertThat(java.nio.file.Files.readString(auditFile)).doesNotContain(prefect.authString());
        // The link opens the flow run's page in Prefect's UI.
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(result.getUiUrl())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
    }

    @Test
    void shouldVoteMinusOneForAFailingFlow(final GerritServer gerrit) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Raise the bar", "eval/threshold.txt", "0.99\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        GerritChange approvedComment = LabGerrit.context(gerrit, change).toBuilder().withEventType("comment-added")
                .withApprovals(List.of(EventApproval.valueOf("Code-Review", 2, true))).build();

        ReviewedFlowRuns.Outcome outcome = reviewed.onEvent(approvedComment, CODE_REVIEW_2, template("failing-flow"),
                "Verified", "ml-demo-failing", line -> { });

        assertThat(outcome.getResult().getOutcome()).isEqualTo(FlowRunResult.Outcome.FAILED);
        assertThat(outcome.vote("Verified")).isEqualTo(-1);
        JsonNode read = gerrit.readChange(change);
        assertThat(read.get("labels").get("Verified").get("all")).anySatisfy(vote -> {
            assertThat(vote.get("username").asText()).isEqualTo("jenkins");
            assertThat(vote.get("value").asInt()).isEqualTo(-1);
        });
        assertThat(lastMessage(read)).contains("Verified-1").contains("Failed").contains("the data check failed")
                .contains("/runs/flow-run/" + outcome.getResult().getFlowRunId());
    }

    @Test
    void shouldVoteAfterAMergeWhereGerritAllowsIt(final GerritServer gerrit) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Post-merge training", "train/data.txt", "v3\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.submit(change);
        GerritChange merged = LabGerrit.context(gerrit, change).toBuilder().withEventType("change-merged")
                .withEventAccount(GerritAccount.valueOf("Administrator", "admin@example.com", "admin")).build();

        ReviewedFlowRuns.Outcome succeeded = reviewed.onEvent(merged, CODE_REVIEW_2, template("sleeping-flow")
                .toBuilder().withParameter("seconds", 0.1).build(), "Verified", "ml-demo-merged", line -> { });

        assertThat(succeeded.vote("Verified")).isEqualTo(1);
        assertThat(gerrit.readChange(change).get("labels").get("Verified").get("all")).anySatisfy(vote -> {
            assertThat(vote.get("username").asText()).isEqualTo("jenkins");
            assertThat(vote.get("value").asInt()).isEqualTo(1);
        });
        assertThat(lastMessage(gerrit.readChange(change))).contains("gerrit-ml audit: admin started");
    }

    @Test
    void shouldStartNothingWithoutAnApproval(final GerritServer gerrit) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Self-approved tweak", "train/lr.txt", "0.1\n");
        gerrit.vote(gerrit.dana(), change, "Code-Review", 2);
        GerritChange selfApproved = LabGerrit.context(gerrit, change).toBuilder().withEventType("comment-added")
                .withApprovals(List.of(EventApproval.valueOf("Code-Review", 2,
                        true))).build();
        GerritChange plainComment = selfApproved.toBuilder().withApprovals(List.of()).build();
        long before = flowRuns.getClient().requestCount();

        ReviewedFlowRuns.Outcome refused = reviewed.onEvent(selfApproved, CODE_REVIEW_2, template("train-model"),
                "Verified", "x", line -> { });
        ReviewedFlowRuns.Outcome ignored = reviewed.onEvent(plainComment, CODE_REVIEW_2, template("train-model"),
                "Verified", "x", line -> { });

        assertThat(refused.getDecision().isApproved()).isFalse();
        assertThat(refused.getDecision().summary()).contains("self-approval");
        assertThat(refused.getStarted()).isNull();
        assertThat(ignored.isIgnored()).isTrue();
        assertThat(ignored.getIgnoredBecause()).contains("did not vote Code-Review>=2");
        assertThat(flowRuns.getClient().requestCount()).as("no Prefect call").isEqualTo(before);
        assertThat(gerrit.readChange(change).get("labels").get("Verified").get("all")).noneSatisfy(vote ->
                assertThat(vote.get("username").asText()).isEqualTo("jenkins"));
    }

    private static GerritChange awaitEvent(final BlockingQueue<String> events, final String type,
            final LabChange change) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String line = events.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains("\"" + type + "\"") && line.contains(change.revision())) {
                return GerritChangeFactory.fromEventJson(line);
            }
        }
        throw new AssertionError("no " + type + " event for change " + change.number() + "; saw " + events);
    }

    private static String lastMessage(final JsonNode change) {
        JsonNode messages = change.get("messages");
        return messages.get(messages.size() - 1).get("message").asText();
    }
}
