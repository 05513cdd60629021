package io.jenkins.plugins.gerritml.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.JobOutcome;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHost;
import io.jenkins.plugins.gerritml.core.pipeline.PreflightException;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RunCheck;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(GerritLab.class)
class PolicyGateITest {
    private static final ApprovalPolicy CODE_REVIEW_2 = ApprovalPolicy.builder().build();

    @BeforeEach
    void installPolicy(final GerritServer gerrit) {
        LabPolicy.install(gerrit);
    }

    private static GateResult check(final GerritServer gerrit, final LabChange change, final String... datasets) {
        return new PolicyGate(LabGerrit.jenkinsClient(gerrit)).check(LabGerrit.context(gerrit, change), CODE_REVIEW_2,
                List.of(datasets));
    }

    /**
     * The policy as a remote-job lifecycle checks it before its create call (the Jenkins steps' path): datasets of
     * a run with no approvals yet are checked against the uploader's groups, and a refusal creates nothing.
     */
    @Test
    void shouldRefuseADatasetOutsideThePeoplesGroupsBeforeTheLifecycleCreatesAnything(final GerritServer gerrit)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Train on restricted data", "train/config.yaml",
                "data: pii\n");
        PolicyGate gate = new PolicyGate(LabGerrit.jenkinsClient(gerrit));
        GerritChange context = LabGerrit.context(gerrit, change);

        CountingBackend refusedBackend = new CountingBackend();
        JobOutcome<String> refused = runLifecycle(refusedBackend, gate.asRunCheck(context, List.of(),
                List.of("s3://ml-data/approved/images/", "s3://ml-data/restricted/pii/")));
        assertThat(refused.getStatus()).isEqualTo(JobOutcome.Status.FAILURE);
        assertThat(refused.getFailure()).isInstanceOf(PreflightException.class);
        assertThat(refused.getMessage()).startsWith("Nothing was created: the repository policy (.gerrit-ml.yaml on "
                + "ml-demo master) refuses it: dataset s3://ml-data/restricted/pii/ is allowed only for members of "
                + "Data Stewards").contains("dana (uploader, in ML Approvers)");
        assertThat(refusedBackend.calls).as("neither looked up nor created").isZero();

        CountingBackend allowedBackend = new CountingBackend();
        JobOutcome<String> allowed = runLifecycle(allowedBackend, gate.asRunCheck(context, List.of(),
                List.of("s3://ml-data/approved/images/")));
        assertThat(allowed.getStatus()).as(allowed.getMessage()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(allowedBackend.creates).isEqualTo(1);
    }

    private static JobOutcome<String> runLifecycle(final CountingBackend backend, final RunCheck check)
            throws Exception {
        CompletableFuture<JobOutcome<String>> outcome = new CompletableFuture<>();
        LifecycleHost<String> host = new LifecycleHost<>() {
            @Override
            public void save(final JobPlan plan) {
            }

            @Override
            public void log(final String line) {
            }

            @Override
            public void completed(final JobOutcome<String> done) {
                outcome.complete(done);
            }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RemoteJobLifecycle.builder(backend, host, Runnable::run, scheduler).withRunChecks(List.of(check)).build()
                    .start(JobPlan.of("test job", "policy-" + System.nanoTime(), "spec", Duration.ofMinutes(5)));
            return outcome.get(60, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Counts every call; a created job finishes at once. */
    private static final class CountingBackend implements RemoteJobBackend<String> {
        int calls;
        int creates;

        @Override
        public Optional<RemoteJob> find(final JobPlan plan) {
            calls++;
            return Optional.empty();
        }

        @Override
        public RemoteJob create(final JobPlan plan, final Consumer<String> log) {
            calls++;
            creates++;
            return RemoteJob.created(plan.getIdentity(), Instant.now(), Map.of());
        }

        @Override
        public CompletableFuture<String> follow(final JobPlan plan, final Consumer<String> log) {
            return CompletableFuture.completedFuture("Completed");
        }

        @Override
        public String stop(final JobPlan plan, final String remoteId, final String reason) {
            calls++;
            return "stopped";
        }

        @Override
        public boolean isSuccess(final String result) {
            return true;
        }

        @Override
        public String summary(final String result) {
            return result;
        }
    }

    @Test
    void shouldReadThePolicyFromTheTargetBranch(final GerritServer gerrit) {
        RepositoryPolicy policy = new PolicyGate(LabGerrit.jenkinsClient(gerrit)).readPolicy(GerritServer.PROJECT,
                "master");

        assertThat(policy.getSource()).isEqualTo(".gerrit-ml.yaml on ml-demo master");
        assertThat(policy.getDatasets()).containsOnlyKeys("ML Approvers", LabPolicy.STEWARDS);
        assertThat(policy.getRiskRules()).extracting(RiskRule::getName)
                .containsExactly("production deploys", "training data");
    }

    @Test
    void shouldAllowDatasetsTheUploadersOrApproversGroupsAllowAndRefuseOthersNamingDatasetAndGroups(
            final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.bob(), "Train on more images", "train/config.yaml",
                "epochs: 30\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);

        GateResult allowed = check(gerrit, change, "s3://ml-data/approved/images/v3/", "s3://ml-data/restricted/pii/");
        assertThat(allowed.isAllowed()).as(allowed.summary()).isTrue();
        assertThat(allowed.getUploader().getUsername()).isEqualTo("bob");

        GateResult refused = check(gerrit, change, "s3://ml-data/approved/images/v3/", "s3://ml-data/secret/x/",
                "s3://ml-data/approved-evil/x");
        assertThat(refused.isAllowed()).isFalse();
        assertThat(refused.getApproval().isApproved()).isTrue();
        assertThat(refused.getPolicyRefusals()).containsExactly(
                "dataset s3://ml-data/secret/x/ is not allowed by any group in .gerrit-ml.yaml on ml-demo master "
                        + "(groups there: ML Approvers, Data Stewards); people on this change: bob (uploader, in "
                        + "Data Stewards), alice (approver, in ML Approvers)",
                "dataset s3://ml-data/approved-evil/x is not allowed by any group in .gerrit-ml.yaml on ml-demo "
                        + "master (groups there: ML Approvers, Data Stewards); people on this change: bob (uploader,"
                        + " in Data Stewards), alice (approver, in ML Approvers)");
    }

    @Test
    void shouldRefuseADatasetNoneOfThePeopleMayUse(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Use restricted data", "train/config.yaml",
                "data: restricted\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);

        GateResult result = check(gerrit, change, "s3://ml-data/restricted/pii/");

        assertThat(result.isAllowed()).isFalse();
        assertThat(result.getPolicyRefusals()).containsExactly("dataset s3://ml-data/restricted/pii/ is allowed "
                + "only for members of Data Stewards (.gerrit-ml.yaml on ml-demo master), and none of the people on "
                + "this change is one: dana (uploader, in ML Approvers), alice (approver, in ML Approvers)");
        assertThatIllegalArgumentException().isThrownBy(() -> check(gerrit, change, "s3://ml-data/approved/../secret/"))
                .withMessageContaining(". or .. segments");
    }

    @Test
    void shouldPauseARiskyChangeUntilTheExtraVoteAndExplainItOnTheChange(final GerritServer gerrit,
            @TempDir final Path dir) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Roll out model 7", "deploy/prod/endpoint.yaml",
                "model: 7\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);

        GateResult paused = check(gerrit, change);
        assertThat(paused.isAllowed()).isFalse();
        assertThat(paused.getRiskyFiles()).containsExactly("deploy/prod/endpoint.yaml");
        assertThat(paused.getPolicyRefusals()).containsExactly("risky change: it touches deploy/prod/endpoint.yaml "
                + "(rule 'production deploys': deploy/prod/**), so automation waits for Code-Review +1 from a member "
                + "of Data Stewards (not by the uploader or owner) on patch set " + change.patchSet());

        Secret password = Secret.of(gerrit.jenkins().httpPassword());
        AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), "policy-test", Clock.systemUTC(), List.of(password));
        GerritChange context = LabGerrit.context(gerrit, change);
        new AuditedGerrit(LabGerrit.jenkinsClient(gerrit), audit, "jenkins")
                .postReview(context, PolicyGate.refusalReview(paused));
        JsonNode messages = gerrit.readChange(change).get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("tag").asText()).isEqualTo("autogenerated:gerrit-ml:policy");
        assertThat(last.get("message").asText()).contains("automation paused for patch set " + change.patchSet())
                .contains("it touches deploy/prod/endpoint.yaml").contains(".gerrit-ml.yaml on ml-demo master");
        assertThat(AuditLog.read(audit.getFile())).singleElement().satisfies(entry -> {
            assertThat(entry.get("action")).isEqualTo("gerrit.post-review");
            assertThat(entry.get("outcome")).isEqualTo("ok");
            assertThat(entry.get("target")).isEqualTo(change.project() + "~" + change.number() + "/"
                    + change.patchSet());
        });

        gerrit.vote(gerrit.bob(), change, "Code-Review", 1);
        GateResult allowed = check(gerrit, change);
        assertThat(allowed.isAllowed()).as(allowed.summary()).isTrue();
    }

    @Test
    void shouldRequireAnApproverFromTheGroupWhenDataChanges(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Relabel cats", "data/labels.csv", "cat,1\n");
        gerrit.vote(gerrit.admin(), change, "Code-Review", 2);

        GateResult paused = check(gerrit, change);
        assertThat(paused.getApproval().isApproved()).isTrue();
        assertThat(paused.getPolicyRefusals()).singleElement().asString()
                .contains("it touches data/labels.csv (rule 'training data': data/**)")
                .contains("waits for an approval from a member of ML Approvers");

        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        assertThat(check(gerrit, change).isAllowed()).isTrue();
    }

    /** A change that relaxes the policy file it is reviewed under is still judged by the branch's policy. */
    @Test
    void shouldIgnoreAPolicyEditedByTheChangeItself(final GerritServer gerrit) {
        String relaxed = "datasets:\n  Registered Users:\n    - s3://\n";
        LabChange change = gerrit.pushChange(gerrit.dana(), "Relax the policy and deploy", Map.of(
                RepositoryPolicy.FILE, relaxed, "deploy/prod/endpoint.yaml", "model: 8\n"));
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        assertThat(LabGerrit.jenkinsClient(gerrit).getChangedFiles(change.project() + "~" + change.number(),
                change.revision())).contains(RepositoryPolicy.FILE, "deploy/prod/endpoint.yaml");

        GateResult result = check(gerrit, change, "s3://ml-data/secret/x/");

        assertThat(result.isAllowed()).isFalse();
        assertThat(result.getPolicy().getSource()).isEqualTo(".gerrit-ml.yaml on ml-demo master");
        assertThat(result.getPolicyRefusals()).hasSize(2)
                .anySatisfy(r -> assertThat(r).startsWith("dataset s3://ml-data/secret/x/ is not allowed by any group"))
                .anySatisfy(r -> assertThat(r).startsWith("risky change: it touches deploy/prod/endpoint.yaml"));
    }
}
