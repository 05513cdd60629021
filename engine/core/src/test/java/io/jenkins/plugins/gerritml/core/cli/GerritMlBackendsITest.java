package io.jenkins.plugins.gerritml.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.engine.PrefectLineageSink;
import io.jenkins.plugins.gerritml.core.engine.S3LineageSink;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.ChecksTabProvider;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerNames;
import io.jenkins.plugins.gerritml.core.sagemaker.ScriptedSageMaker;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.lab.Await;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabPolicy;
import io.jenkins.plugins.gerritml.lab.LabUser;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import io.jenkins.plugins.gerritml.lab.TensorFlowLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend commands in-process against the real lab servers, as a CI job would run them: Gerrit for the gate and
 * the votes, moto for SageMaker and S3, a Prefect 3 server with served example flows. Real-looking secrets go in
 * through the environment and must come out nowhere.
 */
@ExtendWith({GerritLab.class, MotoLab.class, PrefectServerExtension.class})
class GerritMlBackendsITest {
    private static final String HMAC_SECRET = "cli-backends-hmac-0123456789-abcdefghijklmnopq";
    private static final String AWS_SECRET = "Zq8vK2mR7tYp4LwX9nB3cD6fH1jS5uE0aG8iO2kQ";
    private static final String AWS_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQD7cliTokenZ9";
    private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerTraining";
    private static final String IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-train:1.0";
    private static final String DATASET = "s3://ml-data/approved/churn/train/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one command printed and returned. */
    private static final class Result {
        private final int exit;
        private final String out;
        private final String err;

        Result(final int exit, final String out, final String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nout: " + out + "\nerr: " + err;
        }
    }

    private final List<String> printed = new CopyOnWriteArrayList<>();

    private Result run(final Map<String, String> env, final String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new GerritMl(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), GerritMl.Interrupts.SHUTDOWN_HOOKS)
                .execute(Arrays.asList(args));
        Result result = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        printed.add(result.out);
        printed.add(result.err);
        return result;
    }

    private static Map<String, String> gerritEnv(final GerritServer gerrit, final LabChange change) {
        Map<String, String> env = new HashMap<>(LabGerrit.triggerParameters(gerrit, change));
        env.put("GERRIT_URL", gerrit.url());
        env.put("GERRIT_USER", gerrit.jenkins().username());
        env.put("GERRIT_HTTP_PASSWORD", gerrit.jenkins().httpPassword());
        env.put("BUILD_URL", "https://ci.example.com/job/churn/7/");
        env.put("BUILD_NUMBER", "7");
        env.put("BUILD_TAG", "ci-churn-" + change.number());
        env.put(GerritMl.HMAC_SECRET_VARIABLE, HMAC_SECRET);
        return env;
    }

    private static S3Client s3(final MotoServer moto) {
        return S3Client.builder().endpointOverride(moto.endpoint()).region(Region.EU_WEST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static SageMakerClient sageMaker(final MotoServer moto) {
        return SageMakerClient.builder().endpointOverride(moto.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void shouldTrainOnlyAfterApprovalThenVoteAndPublishLineageThatVerifiesFromS3(final GerritServer gerrit,
            final MotoServer moto, @TempDir final Path dir) throws Exception {
        LabPolicy.install(gerrit);
        moto.reset();
        LabChange change = gerrit.createChange(gerrit.dana(), "Churn: learning rate 0.02", "train/config.yaml",
                "learning_rate: 0.02\n");
        Map<String, String> env = gerritEnv(gerrit, change);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        env.put("AWS_SESSION_TOKEN", AWS_TOKEN);
        String audit = dir.resolve("audit.jsonl").toString();
        String privateKey = dir.resolve("lineage.key").toString();
        String publicKey = dir.resolve("lineage.pub").toString();
        assertThat(run(env, "keygen", "--private-key-file", privateKey, "--public-key-file", publicKey).exit).isZero();
        String[] train = {"sagemaker-train", "--image", IMAGE, "--role-arn", ROLE, "--input",
            "train=" + DATASET + ":text/csv", "--output", "s3://ml-models/churn", "--instance-type", "ml.m5.large",
            "--hyperparameter", "learning_rate=0.02", "--hyperparameter", "epochs=3", "--max-runtime", "30m",
            "--region", "eu-west-1", "--endpoint-url", moto.endpoint().toString(), "--group", GerritServer.APPROVERS,
            "--private-key-file", privateKey, "--public-key-file", publicKey, "--audit-log", audit,
            "--json", dir.resolve("result.json").toString()};

        try (S3Client s3 = s3(moto); SageMakerClient sageMaker = sageMaker(moto)) {
            Result refused = run(env, train);
            assertThat(refused.exit).as(refused.toString()).isEqualTo(GerritMl.REFUSED);
            assertThat(refused.out).contains("needs Code-Review +2 or more from ML Approvers on patch set "
                    + change.patchSet())
                    .contains("No training job started");
            assertThat(sageMaker.listTrainingJobs(b -> { }).trainingJobSummaries()).isEmpty();
            assertThat(lastMessage(gerrit, change).get("tag").asText()).isEqualTo("autogenerated:gerrit-ml:policy");
            assertThat(JSON.readTree(dir.resolve("result.json").toFile()).get("exit").asInt()).isEqualTo(1);

            gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
            s3.createBucket(b -> b.bucket("ml-models").createBucketConfiguration(c -> c.locationConstraint(
                    "eu-west-1")));
            // moto runs no container: put a stand-in model where the job will say its artifact is.
            String jobName = SageMakerNames.trainingJobName(TrainingContext.builder(
                    LabGerrit.context(gerrit, change)).withJob("cli").withBuild(7, null).build());
            String modelKey = "churn/" + jobName + "/output/model.tar.gz";
            byte[] model = ("stand-in model of " + jobName).getBytes(StandardCharsets.UTF_8);
            String etag = s3.putObject(b -> b.bucket("ml-models").key(modelKey), RequestBody.fromBytes(model)).eTag();

            Result trained = run(env, train);
            assertThat(trained.exit).as(trained.toString()).isZero();
            assertThat(trained.out).contains("alice Code-Review+2").contains("Started training job " + jobName)
                    .contains("Model: s3://ml-models/" + modelKey).contains("Posted Verified+1");
            assertThat(sageMaker.listTrainingJobs(b -> { }).trainingJobSummaries())
                    .extracting(job -> job.trainingJobName()).containsExactly(jobName);
            JsonNode labels = gerrit.readChange(change).get("labels").get("Verified").get("all");
            assertThat(labels).anySatisfy(v -> assertThat(v.path("username").asText() + v.path("value").asInt())
                    .isEqualTo("jenkins1"));
            JsonNode summary = lastMessage(gerrit, change);
            assertThat(summary.get("tag").asText()).isEqualTo("autogenerated:gerrit-ml:lineage");

            JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
            assertThat(result.get("exit").asInt()).isZero();
            assertThat(result.at("/job/status").asText()).isEqualTo("Completed");
            assertThat(result.at("/vote/Verified").asInt()).isEqualTo(1);
            String digest = result.at("/lineage/digest").asText();
            assertThat(digest).startsWith("sha256:");
            assertThat(summary.get("message").asText()).contains("Digest: " + digest)
                    .contains("Input: " + DATASET);

            String lineageKey = S3LineageSink.lineageUriFor("s3://ml-models/" + modelKey)
                    .substring("s3://ml-models/".length());
            String stored = s3.getObjectAsBytes(b -> b.bucket("ml-models").key(lineageKey)).asUtf8String();
            Path downloaded = dir.resolve("from-s3.json");
            Files.writeString(downloaded, stored);
            JsonNode record = JSON.readTree(stored).get("record");
            assertThat(record.at("/outputs/0/uri").asText()).isEqualTo("s3://ml-models/" + modelKey);
            assertThat(record.at("/outputs/0/etag").asText()).isEqualTo(etag);
            assertThat(record.at("/job/inputs/0").asText()).isEqualTo(DATASET);
            assertThat(record.at("/job/parameters/epochs").asText()).isEqualTo("3");
            Result verified = run(env, "verify-lineage", downloaded.toString(), "--public-key-file", publicKey,
                    "--live");
            assertThat(verified.exit).as(verified.toString()).isZero();
            assertThat(verified.out).contains("Lineage verified: 1 record(s), newest " + digest);
        }

        List<Map<?, ?>> entries = AuditLog.read(Path.of(audit));
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("outcome"))
                .contains("gerrit.post-review ok", "sagemaker.create-training-job ok", "s3.put-object ok")
                .filteredOn(line -> line.startsWith("gerrit.post-review")).as("started, result, lineage, registry")
                .hasSize(4);
        assertNoSecrets(Files.readString(Path.of(audit)) + Files.readString(dir.resolve("result.json")),
                gerrit.jenkins().httpPassword());
    }

    /**
     * The Model Registry mirrors the review from the command line: each trained patch set is a pending version, the
     * gate approves the one trained from the approved patch set, and a newer patch set rejects the older version.
     */
    @Test
    void shouldRegisterApproveAndRejectModelPackageVersionsAsTheReviewGoes(final GerritServer gerrit,
            final MotoServer moto, @TempDir final Path dir) throws Exception {
        moto.reset();
        LabChange change = gerrit.createChange(gerrit.dana(), "Churn: registry", "train/config.yaml", "lr: 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = gerritEnv(gerrit, change);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        String[] aws = {"--region", "eu-west-1", "--endpoint-url", moto.endpoint().toString(), "--audit-log",
            dir.resolve("audit.jsonl").toString()};
        List<String> train = new java.util.ArrayList<>(List.of("sagemaker-train", "--image", IMAGE, "--role-arn", ROLE,
                "--input", "train=" + DATASET, "--output", "s3://ml-models/churn", "--model-package-group", "churn",
                "--no-review", "--json", dir.resolve("train.json").toString()));
        train.addAll(List.of(aws));

        Result first = run(env, train.toArray(new String[0]));
        assertThat(first.exit).as(first.toString()).isZero();
        assertThat(first.out).contains("Model package churn version 1 (PendingManualApproval)");
        String firstArn = JSON.readTree(dir.resolve("train.json").toFile()).at("/modelPackage/arn").asText();

        List<String> approve = new java.util.ArrayList<>(List.of("check-approval", "--group", GerritServer.APPROVERS,
                "--approve-model-package-group", "churn", "--role-arn-to-assume",
                "arn:aws:iam::123456789012:role/model-approver"));
        approve.addAll(List.of(aws));
        Result approved = run(env, approve.toArray(new String[0]));
        assertThat(approved.exit).as(approved.toString()).isZero();
        assertThat(approved.out).contains("Approved model package churn version 1 (Approved) as alice");
        try (SageMakerClient sageMaker = sageMaker(moto)) {
            assertThat(sageMaker.describeModelPackage(b -> b.modelPackageName(firstArn)).approvalDescription())
                    .contains("patch set " + change.patchSet(), "Code-Review+2");
        }

        LabChange second = gerrit.newPatchSet(gerrit.dana(), change, "train/config.yaml", "lr: 2\n");
        Map<String, String> env2 = gerritEnv(gerrit, second);
        env2.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env2.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        gerrit.vote(gerrit.alice(), second, "Code-Review", 2);
        Result retrained = run(env2, train.toArray(new String[0]));
        assertThat(retrained.exit).as(retrained.toString()).isZero();
        assertThat(retrained.out).contains("Model package churn version 2 (PendingManualApproval)")
                .contains("Rejected model package churn version 1 (Rejected): Superseded by patch set "
                        + second.patchSet());
        try (SageMakerClient sageMaker = sageMaker(moto)) {
            assertThat(sageMaker.describeModelPackage(b -> b.modelPackageName(firstArn)).modelApprovalStatusAsString())
                    .isEqualTo("Rejected");
        }

        gerrit.abandon(gerrit.dana(), second);
        List<String> onAbandoned = new java.util.ArrayList<>(approve);
        Result abandoned = run(env2, onAbandoned.toArray(new String[0]));
        assertThat(abandoned.exit).as(abandoned.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(abandoned.out).contains("the change is abandoned")
                .contains("Rejected model package churn version 2 (Rejected): Change " + second.number()
                        + " was abandoned")
                .doesNotContain("version 1 (Rejected): Change");
        try (SageMakerClient sageMaker = sageMaker(moto)) {
            assertThat(sageMaker.listModelPackages(b -> b.modelPackageGroupName("churn")).modelPackageSummaryList())
                    .extracting(p -> p.modelApprovalStatusAsString()).containsOnly("Rejected");
        }
    }

    /** A project names its Model Package Group once, in its reviewed policy: every run registers there unasked. */
    @Test
    void shouldRegisterInTheGroupTheRepositoryPolicyNames(final GerritServer gerrit, final MotoServer moto,
            @TempDir final Path dir) throws Exception {
        moto.reset();
        String project = "ml-registry-default";
        LabPolicy.install(gerrit, project, "modelPackageGroup: churn-default\n");
        LabChange change = gerrit.createChange(gerrit.dana(), project, "Churn: lr 3", "train/config.yaml", "lr: 3\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = gerritEnv(gerrit, change);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);

        Result trained = run(env, "sagemaker-train", "--image", IMAGE, "--role-arn", ROLE, "--input", "train="
                + DATASET, "--output", "s3://ml-models/churn", "--no-review", "--region", "eu-west-1",
                "--endpoint-url", moto.endpoint().toString());

        assertThat(trained.exit).as(trained.toString()).isZero();
        assertThat(trained.out).contains("Model package churn-default version 1 (PendingManualApproval)");
        try (SageMakerClient sageMaker = sageMaker(moto)) {
            assertThat(sageMaker.listModelPackages(b -> b.modelPackageGroupName("churn-default"))
                    .modelPackageSummaryList()).hasSize(1);
        }
    }

    /** An approved change still trains only on data its people's groups may use: refused before any AWS call. */
    @Test
    void shouldRefuseADatasetOutsideTheApproversGroupsBeforeAnyTrainingJob(final GerritServer gerrit,
            final MotoServer moto, @TempDir final Path dir) throws Exception {
        LabPolicy.install(gerrit);
        moto.reset();
        LabChange change = gerrit.createChange(gerrit.dana(), "Churn: add the PII features", "train/config.yaml",
                "features: pii\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = gerritEnv(gerrit, change);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);

        Result refused = run(env, "sagemaker-train", "--image", IMAGE, "--role-arn", ROLE, "--input",
                "train=s3://ml-data/restricted/pii/", "--output", "s3://ml-models/churn", "--region", "eu-west-1",
                "--endpoint-url", moto.endpoint().toString(), "--group", GerritServer.APPROVERS, "--audit-log",
                dir.resolve("audit.jsonl").toString());

        assertThat(refused.exit).as(refused.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(refused.out).contains("dataset s3://ml-data/restricted/pii/ is allowed only for members of Data "
                + "Stewards").contains("No training job started");
        try (SageMakerClient sageMaker = sageMaker(moto)) {
            assertThat(sageMaker.listTrainingJobs(b -> { }).trainingJobSummaries()).isEmpty();
        }
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain("sagemaker.create-training-job");
    }

    /** A change touching a risky path waits for a Data Steward's vote: no flow run until it comes. */
    @Test
    void shouldStartTheFlowOfARiskyChangeOnlyOnceADataStewardApproves(final GerritServer gerrit,
            final PrefectServer prefect, @TempDir final Path dir) throws Exception {
        LabPolicy.install(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Roll out model 9", "deploy/prod/endpoint.yaml",
                "model: 9\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = prefectEnv(gerrit, change, prefect);
        String[] flow = {"prefect-run", "train-model/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter", "epochs=1",
            "--poll-interval", "1s", "--timeout", "3m", "--audit-log", dir.resolve("audit.jsonl").toString(),
            "--json", dir.resolve("result.json").toString()};

        Result paused = run(env, flow);
        assertThat(paused.exit).as(paused.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(paused.out).contains("risky change: it touches deploy/prod/endpoint.yaml")
                .contains("Code-Review +1 from a member of Data Stewards").contains("No flow run started");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain("prefect.create-flow-run");

        gerrit.vote(gerrit.bob(), change, "Code-Review", 1);
        Result started = run(env, flow);
        assertThat(started.exit).as(started.toString()).isZero();
        assertThat(JSON.readTree(dir.resolve("result.json").toFile()).at("/flowRun/state").asText())
                .isEqualTo("COMPLETED");
    }

    @Test
    void shouldRunAnApprovedFlowVoteWithItsLinkAndAttachLineageReadableFromPrefect(final GerritServer gerrit,
            final PrefectServer prefect, @TempDir final Path dir) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Nightly retrain flow", "flows/train.py", "x = 1\n");
        Map<String, String> env = prefectEnv(gerrit, change, prefect);
        String audit = dir.resolve("audit.jsonl").toString();
        String[] flow = {"prefect-run", "train-model/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter", "epochs=1",
            "--hmac-key-id", "ml-team", "--lineage-out", dir.resolve("lineage.json").toString(), "--poll-interval",
            "1s", "--timeout", "3m", "--audit-log", audit, "--json", dir.resolve("result.json").toString()};

        Result refused = run(env, flow);
        assertThat(refused.exit).as(refused.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(refused.out).contains("No flow run started");

        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Result completed = run(env, flow);
        assertThat(completed.exit).as(completed.toString()).isZero();
        JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
        String runId = result.at("/flowRun/id").asText();
        assertThat(result.at("/flowRun/state").asText()).isEqualTo("COMPLETED");
        assertThat(completed.out).contains("[prefect]").contains("Signed training lineage");
        String uiLink = result.at("/flowRun/uiUrl").asText();
        assertThat(uiLink).startsWith("http://127.0.0.1:").endsWith("/runs/flow-run/" + runId);
        JsonNode vote = gerrit.readChange(change).get("messages");
        assertThat(vote).anySatisfy(m -> assertThat(m.get("message").asText()).contains(uiLink)
                .contains("Verified+1"));
        assertThat(gerrit.readChange(change).get("labels").get("Verified").get("all"))
                .anySatisfy(v -> assertThat(v.path("username").asText() + v.path("value").asInt())
                        .isEqualTo("jenkins1"));

        JsonNode artifacts = prefectPost(prefect, "/artifacts/filter",
                "{\"artifacts\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]}}}");
        JsonNode lineage = null;
        for (JsonNode artifact : artifacts) {
            if (artifact.path("key").asText().equals("gerrit-ml-lineage-ml-demo-" + change.number())) {
                lineage = artifact;
            }
        }
        assertThat(lineage).as(artifacts.toString()).isNotNull();
        String digest = result.at("/lineage/digest").asText();
        assertThat(lineage.get("description").asText()).isEqualTo(PrefectLineageSink.DESCRIPTION + digest);
        assertThat(lineage.get("type").asText()).isEqualTo("markdown");
        assertThat(lineage.at("/metadata_/digest").asText()).isEqualTo(digest);
        String markdown = lineage.get("data").asText();
        String document = markdown.substring(markdown.indexOf("```json\n") + 8, markdown.lastIndexOf("\n```"));
        Path fromPrefect = dir.resolve("from-prefect.json");
        Files.writeString(fromPrefect, document);
        assertThat(JSON.readTree(document).at("/record/job/id").asText()).isEqualTo(runId);
        Result verified = run(env, "verify-lineage", fromPrefect.toString(), "--hmac-key-id", "ml-team");
        assertThat(verified.exit).as(verified.toString()).isZero();
        assertThat(verified.out).contains("newest " + digest);

        LabChange broken = gerrit.createChange(gerrit.dana(), "Flow with a failing data check", "flows/check.py",
                "y = 2\n");
        gerrit.vote(gerrit.alice(), broken, "Code-Review", 2);
        Result failed = run(prefectEnv(gerrit, broken, prefect), "prefect-run", "--deployment",
                "failing-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter", "reason=\"schema drift\"",
                "--poll-interval", "1s", "--audit-log", audit);
        assertThat(failed.exit).as(failed.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(failed.out).contains("schema drift");
        assertThat(gerrit.readChange(broken).get("labels").get("Verified").get("all"))
                .anySatisfy(v -> assertThat(v.path("username").asText() + v.path("value").asInt())
                        .isEqualTo("jenkins-1"));

        List<Map<?, ?>> entries = AuditLog.read(Path.of(audit));
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("outcome"))
                .contains("prefect.create-flow-run ok", "prefect.create-artifact ok", "gerrit.post-review ok");
        assertNoSecrets(Files.readString(Path.of(audit)) + Files.readString(dir.resolve("result.json"))
                + Files.readString(dir.resolve("lineage.json")), gerrit.jenkins().httpPassword(),
                prefect.authString(), prefect.authString().substring(prefect.authString().indexOf(':') + 1));
    }

    @Test
    void shouldPostTheMetricsTableAndFailWhenAGateFails(final GerritServer gerrit, @TempDir final Path dir)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Tiny Keras model, 3 epochs", "train/keras.py",
                "epochs = 3\n");
        Map<String, String> env = gerritEnv(gerrit, change);
        String logdir = TensorFlowLab.projectRoot().resolve("examples/tensorflow/fixture-run").toString();
        Path gates = dir.resolve("gates.txt");
        Files.writeString(gates, "train/epoch_loss.min <= 5\n");
        Path metrics = dir.resolve("metrics.json");

        Result passed = run(env, "tensorflow-metrics", "--logdir", logdir, "--gate",
                "validation/epoch_accuracy.last >= 0.5", "--gates-file", gates.toString(), "--metrics-out",
                metrics.toString(), "--link", "TensorBoard=https://ci.example.com/job/churn/7/tb/", "--audit-log",
                dir.resolve("audit.jsonl").toString());
        assertThat(passed.exit).as(passed.toString()).isZero();
        assertThat(passed.out).contains("2 of 2 gates passed").contains("validation/epoch_accuracy")
                .contains("Posted Verified+1");
        assertThat(metrics).exists();
        JsonNode posted = lastMessage(gerrit, change);
        assertThat(posted.get("tag").asText()).isEqualTo("autogenerated:gerrit-ml:tensorflow");
        assertThat(posted.get("message").asText()).contains("validation/epoch_accuracy")
                .contains("https://ci.example.com/job/churn/7/tb/");

        Result failed = run(env, "tensorflow-metrics", "--logdir", logdir, "--gate",
                "validation/epoch_accuracy.last >= 0.999", "--baseline", metrics.toString(), "--audit-log",
                dir.resolve("audit.jsonl").toString());
        assertThat(failed.exit).as(failed.toString()).isEqualTo(GerritMl.REFUSED);
        assertThat(failed.out).contains("FAILED").contains("Posted Verified-1");
        assertThat(gerrit.readChange(change).get("labels").get("Verified").get("all"))
                .anySatisfy(v -> assertThat(v.path("username").asText() + v.path("value").asInt())
                        .isEqualTo("jenkins-1"));

        Result unknown = run(env, "tensorflow-metrics", "--logdir", logdir, "--gate", "val/nothing.last >= 1",
                "--no-review");
        assertThat(unknown.exit).isEqualTo(GerritMl.USAGE);
        assertThat(unknown.err).contains("val/nothing");
    }

    @Test
    void shouldCancelTheFlowRunOfASupersededPatchSetAndVoteNothing(final GerritServer gerrit,
            final PrefectServer prefect, @TempDir final Path dir) throws Exception {
        LabChange first = gerrit.createChange(gerrit.dana(), "Follow the review: retrain", "flows/lr.py", "lr = 1\n");
        gerrit.vote(gerrit.alice(), first, "Code-Review", 2);
        Map<String, String> env = followEnv(prefectEnv(gerrit, first, prefect), gerrit, dir);
        Path json = dir.resolve("result.json");

        CompletableFuture<Result> cli = CompletableFuture.supplyAsync(() -> run(env, "prefect-run",
                "sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter", "seconds=900", "--follow-review",
                "--poll-interval", "1s", "--timeout", "5m", "--audit-log", dir.resolve("audit.jsonl").toString(),
                "--json", json.toString()));
        String runId = awaitRunningFlowRun(prefect, first, cli);
        Instant pushed = Instant.now();
        LabChange second = gerrit.newPatchSet(gerrit.dana(), first, "flows/lr.py", "lr = 0.5\n");
        Result superseded = cli.get(3, TimeUnit.MINUTES);
        Instant exited = Instant.now();

        assertThat(superseded.exit).as(superseded.toString()).isEqualTo(GerritMl.SUPERSEDED);
        assertThat(superseded.out).contains("Following the review over Gerrit's stream-events as jenkins@")
                .contains("Not voting on ").contains("nothing was voted");
        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.at("/flowRun/id").asText()).isEqualTo(runId);
        assertThat(result.at("/flowRun/state").asText()).isEqualTo("CANCELLED");
        assertThat(result.at("/superseded/event").asText()).isEqualTo("PATCHSET_CREATED");
        assertThat(result.at("/superseded/patchSet").asInt()).isEqualTo(second.patchSet());
        assertThat(result.at("/superseded/messagePosted").asBoolean()).isTrue();
        JsonNode message = supersedeMessage(gerrit, first);
        assertThat(message.get("_revision_number").asInt()).isEqualTo(first.patchSet());
        assertThat(message.get("message").asText()).contains("Superseded by patch set " + second.patchSet()
                + ": flow run change-" + first.number() + "-ps-" + first.patchSet()
                + " stopped (Prefect accepted the cancellation).");
        assertThat(gerrit.readChange(first).at("/labels/Verified/all").findValuesAsText("username"))
                .as("never a vote").doesNotContain("jenkins");
        assertThat(AuditLog.read(dir.resolve("audit.jsonl"))).extracting(e -> e.get("action") + " " + e.get("outcome"))
                .contains("prefect.create-flow-run ok", "gerrit.post-review ok");

        System.out.printf("[follow-review] prefect-run: push of the new patch set -> Prefect cancel accepted %d ms, "
                + "-> CLI exited with the run Cancelled %d ms (poll interval 1 s)%n", Duration.between(pushed,
                Instant.parse(result.at("/superseded/stoppedAt").asText())).toMillis(),
                Duration.between(pushed, exited).toMillis());
    }

    @Test
    void shouldCancelTheFlowRunWhenAnAllowedReviewerAsksFromTheReviewAndRefuseAStranger(final GerritServer gerrit,
            final PrefectServer prefect, @TempDir final Path dir) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Stop from the review", "flows/stop.py", "lr = 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = followEnv(prefectEnv(gerrit, change, prefect), gerrit, dir);
        Path json = dir.resolve("result.json");

        CompletableFuture<Result> cli = CompletableFuture.supplyAsync(() -> run(env, "prefect-run",
                "sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter", "seconds=900", "--follow-review",
                "--stop-groups", GerritServer.APPROVERS, "--poll-interval", "1s", "--timeout", "5m",
                "--json", json.toString()));
        String runId = awaitRunningFlowRun(prefect, change, cli);
        awaitCondition(cli, () -> checkLines(gerrit, change, "jenkins").stream()
                .anyMatch(c -> c.getId().equals(runId) && c.getStatus() == CheckBlock.Status.RUNNING));
        CheckBlock running = checkLines(gerrit, change, "jenkins").get(0);
        assertThat(running.isStoppable()).as("the CLI follows the review").isTrue();
        assertThat(running.getCheck()).isEqualTo("Prefect sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT);

        comment(gerrit, gerrit.bob(), change, "gerrit-ml stop " + runId);
        awaitCondition(cli, () -> messages(gerrit, change).stream().anyMatch(m -> m.contains("Not stopped: bob")));
        assertThat(prefectPost(prefect, "/flow_runs/filter", "{\"flow_runs\":{\"id\":{\"any_\":[\"" + runId
                + "\"]}}}").get(0).at("/state/type").asText())
                .as("a stranger's request changes nothing").isEqualTo("RUNNING");
        Instant asked = Instant.now();
        comment(gerrit, gerrit.alice(), change, "Enough data for today.\n\ngerrit-ml stop " + runId);
        Result stopped = cli.get(3, TimeUnit.MINUTES);

        assertThat(stopped.exit).as(stopped.toString()).isEqualTo(GerritMl.SUPERSEDED);
        assertThat(stopped.out).contains("Stopped on request from the review; nothing was voted.");
        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.at("/flowRun/state").asText()).isEqualTo("CANCELLED");
        assertThat(result.at("/superseded/event").asText()).isEqualTo("STOP_REQUESTED");
        assertThat(messages(gerrit, change)).filteredOn(m -> m.startsWith("Not stopped")).singleElement().asString()
                .contains("bob is not the change owner nor a member of " + GerritServer.APPROVERS
                        + " [rule: stop-owner-or-group]");
        assertThat(supersedeMessagesOf(gerrit, change)).filteredOn(m -> m.startsWith("Stopped from the review"))
                .singleElement().asString().startsWith("Stopped from the review by alice: flow run change-"
                        + change.number() + "-ps-" + change.patchSet() + " stopped (Prefect accepted the cancellation).");
        List<CheckBlock> checks = checkLines(gerrit, change, "jenkins");
        CheckBlock last = checks.get(checks.size() - 1);
        assertThat(last.getId()).isEqualTo(runId);
        assertThat(last.getStatus()).isEqualTo(CheckBlock.Status.COMPLETED);
        assertThat(last.getResult()).contains(CheckBlock.Result.INFO);
        assertThat(checkLines(gerrit, change, "bob")).as("bob's comment holds no check line").isEmpty();
        JsonNode tab = ChecksTabProvider.run(gerrit, gerrit.bob(), change, List.of());
        assertThat(tab.get("runs")).as("what the Checks tab shows: %s", tab).singleElement().satisfies(run -> {
            assertThat(run.get("checkName").asText()).isEqualTo(running.getCheck());
            assertThat(run.get("externalId").asText()).isEqualTo(runId);
            assertThat(run.get("attempt").asInt()).isEqualTo(1);
            assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(run.at("/results/0/category").asText()).isEqualTo("INFO");
            assertThat(run.at("/results/0/summary").asText()).isEqualTo("Stopped from the review by alice");
        });
        assertThat(gerrit.readChange(change).at("/labels/Verified/all").findValuesAsText("username"))
                .as("never a vote").doesNotContain("jenkins");
        System.out.printf("[stop-from-review] prefect-run: alice's comment -> Prefect cancel accepted %d ms%n",
                Duration.between(asked, Instant.parse(result.at("/superseded/stoppedAt").asText())).toMillis());
    }

    @Test
    void shouldStopTheTrainingJobWhenTheOwnerAsksFromTheReview(final GerritServer gerrit, @TempDir final Path dir)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Stop training from the review", "train/s.py", "s = 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = followEnv(gerritEnv(gerrit, change), gerrit, dir);
        try (ScriptedSageMaker sageMaker = longTraining(env, "AKIASCRIPTEDSTOP0001")) {
            Path json = dir.resolve("result.json");
            CompletableFuture<Result> cli = trainFollowingTheReview(env, sageMaker, json);
            awaitCondition(cli, () -> checkLines(gerrit, change, "jenkins").stream()
                    .anyMatch(c -> c.getStatus() == CheckBlock.Status.RUNNING));
            String job = checkLines(gerrit, change, "jenkins").get(0).getId();
            assertThat(sageMaker.count("CreateTrainingJob")).isEqualTo(1);

            comment(gerrit, gerrit.dana(), change, "gerrit-ml stop " + job);
            Result stopped = cli.get(3, TimeUnit.MINUTES);

            assertThat(stopped.exit).as(stopped.toString()).isEqualTo(GerritMl.SUPERSEDED);
            assertThat(sageMaker.count("StopTrainingJob")).isEqualTo(1);
            JsonNode result = JSON.readTree(json.toFile());
            assertThat(result.at("/job/name").asText()).isEqualTo(job);
            assertThat(result.at("/superseded/event").asText()).isEqualTo("STOP_REQUESTED");
            assertThat(supersedeMessage(gerrit, change).get("message").asText()).contains("Stopped from the "
                    + "review by dana: training job " + job + " stopped (SageMaker is stopping it).");
            assertNoSecrets(Files.readString(json));
        }
    }

    /** A scripted SageMaker whose training jobs run ten minutes, and {@code env} with AWS keys for it. */
    private static ScriptedSageMaker longTraining(final Map<String, String> env, final String accessKeyId)
            throws Exception {
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        ScriptedSageMaker sageMaker = new ScriptedSageMaker();
        sageMaker.defaultScript(ScriptedSageMaker.step("InProgress", "Training", 600_000),
                ScriptedSageMaker.step("Completed", "Completed", 0));
        return sageMaker;
    }

    /** {@code sagemaker-train --follow-review} against {@code sageMaker}, in the background. */
    private CompletableFuture<Result> trainFollowingTheReview(final Map<String, String> env,
            final ScriptedSageMaker sageMaker, final Path json, final String... more) {
        List<String> args = new ArrayList<>(List.of("sagemaker-train", "--image", IMAGE, "--role-arn", ROLE,
                "--input", "train=" + DATASET, "--output", "s3://ml-models/churn", "--region", "eu-west-1",
                "--endpoint-url", sageMaker.endpoint().toString(), "--follow-review", "--json", json.toString()));
        args.addAll(List.of(more));
        return CompletableFuture.supplyAsync(() -> run(env, args.toArray(new String[0])));
    }

    private static void comment(final GerritServer gerrit, final LabUser user, final LabChange change,
            final String text) {
        gerrit.rest(user, "POST", "changes/" + change.project() + "~" + change.number() + "/revisions/"
                + change.revision() + "/review", Map.of("message", text));
    }

    private static List<String> messages(final GerritServer gerrit, final LabChange change) {
        List<String> texts = new ArrayList<>();
        gerrit.readChange(change).get("messages").forEach(m -> texts.add(m.path("message").asText()
                .replaceFirst("^Patch Set \\d+:\\s*", "")));
        return texts;
    }

    private static List<String> supersedeMessagesOf(final GerritServer gerrit, final LabChange change) {
        List<String> texts = new ArrayList<>();
        for (JsonNode message : gerrit.readChange(change).get("messages")) {
            if ("autogenerated:gerrit-ml:supersede".equals(message.path("tag").asText())) {
                texts.add(message.path("message").asText().replaceFirst("^Patch Set \\d+:\\s*", ""));
            }
        }
        return texts;
    }

    /** The check lines of {@code author}'s messages on the change, oldest first. */
    private static List<CheckBlock> checkLines(final GerritServer gerrit, final LabChange change,
            final String author) {
        List<CheckBlock> found = new ArrayList<>();
        for (JsonNode message : gerrit.readChange(change).get("messages")) {
            if (author.equals(message.at("/author/username").asText())) {
                CheckBlock.find(message.path("message").asText()).ifPresent(found::add);
            }
        }
        return found;
    }

    @Test
    void shouldStopTheTrainingJobOfAnAbandonedChangeEvenAcrossAGerritRestart(final GerritServer gerrit,
            @TempDir final Path dir) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Follow the review: abandoned", "train/a.py", "a = 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = followEnv(gerritEnv(gerrit, change), gerrit, dir);
        try (ScriptedSageMaker sageMaker = longTraining(env, "AKIASCRIPTEDFOLLOW01")) {
            Path json = dir.resolve("result.json");
            CompletableFuture<Result> cli = trainFollowingTheReview(env, sageMaker, json, "--audit-log",
                    dir.resolve("audit.jsonl").toString());
            awaitCondition(cli, () -> sageMaker.count("CreateTrainingJob") == 1);

            gerrit.stopDaemon();
            try {
                Thread.sleep(3_000);
            } finally {
                gerrit.startDaemon();
            }
            Instant abandoned = Instant.now();
            gerrit.rest(gerrit.dana(), "POST", "changes/" + change.project() + "~" + change.number() + "/abandon",
                    Map.of("message", "Not needed after all", "notify", "NONE"));
            Result stopped = cli.get(3, TimeUnit.MINUTES);

            assertThat(stopped.exit).as(stopped.toString()).isEqualTo(GerritMl.SUPERSEDED);
            assertThat(sageMaker.count("StopTrainingJob")).isEqualTo(1);
            assertThat(stopped.err).contains("stream-events jenkins@").contains("ended").contains("reconnecting")
                    .contains("again");
            JsonNode result = JSON.readTree(json.toFile());
            assertThat(result.at("/superseded/event").asText()).isEqualTo("CHANGE_ABANDONED");
            assertThat(result.at("/job/completed").asBoolean()).isFalse();
            JsonNode message = supersedeMessage(gerrit, change);
            assertThat(message.get("message").asText()).contains("Change abandoned: training job "
                    + result.at("/job/name").asText() + " stopped (SageMaker is stopping it).");
            assertThat(gerrit.readChange(change).at("/labels/Verified/all").findValuesAsText("username"))
                    .as("never a vote").doesNotContain("jenkins");
            System.out.printf("[follow-review] sagemaker-train: abandon right after a Gerrit restart -> "
                    + "StopTrainingJob answered %d ms%n", Duration.between(abandoned,
                    Instant.parse(result.at("/superseded/stoppedAt").asText())).toMillis());
            assertNoSecrets(Files.readString(json));
        }
    }

    @Test
    void shouldRefuseToStartWhenGerritsHostKeyIsNotTheKnownOne(final GerritServer gerrit, final PrefectServer prefect,
            @TempDir final Path dir) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Follow the review: wrong host", "flows/h.py", "h = 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = followEnv(prefectEnv(gerrit, change, prefect), gerrit, dir);
        Path stranger = Files.write(dir.resolve("stranger_known_hosts"), List.of("[" + gerrit.host() + "]:"
                + gerrit.sshPort() + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"));
        env.put("GERRIT_SSH_KNOWN_HOSTS", stranger.toString());

        Result refused = run(env, "prefect-run", "sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT,
                "--follow-review", "--audit-log", dir.resolve("audit.jsonl").toString());

        assertThat(refused.exit).as(refused.toString()).isEqualTo(GerritMl.USAGE);
        assertThat(refused.err).contains("Cannot stream Gerrit events as jenkins@" + gerrit.host() + ":"
                + gerrit.sshPort()).contains("HostKey").contains("ssh-keyscan -p " + gerrit.sshPort());
        assertThat(prefectPost(prefect, "/flow_runs/filter", "{\"flow_runs\":{\"tags\":{\"all_\":[\"gerrit-change:"
                + change.number() + "\"]}}}")).as("no flow run was created").isEmpty();
    }

    /** The CLI's view of Gerrit Trigger's SSH settings and a known_hosts file with the lab Gerrit's host keys. */
    private static Map<String, String> followEnv(final Map<String, String> env, final GerritServer gerrit,
            final Path dir) throws Exception {
        List<String> hosts = new ArrayList<>();
        try (var keys = Files.newDirectoryStream(gerrit.site().resolve("etc"), "ssh_host_*_key.pub")) {
            for (Path key : keys) {
                String[] parts = Files.readString(key).trim().split("\\s+");
                hosts.add("[" + gerrit.host() + "]:" + gerrit.sshPort() + " " + parts[0] + " " + parts[1]);
            }
        }
        Path knownHosts = Files.write(dir.resolve("known_hosts"), hosts);
        env.put("GERRIT_HOST", gerrit.host());
        env.put("GERRIT_PORT", Integer.toString(gerrit.sshPort()));
        env.put("GERRIT_SSH_KEY_FILE", gerrit.jenkinsSshKeyFile().toString());
        env.put("GERRIT_SSH_KNOWN_HOSTS", knownHosts.toString());
        return env;
    }

    private static String awaitRunningFlowRun(final PrefectServer prefect, final LabChange change,
            final CompletableFuture<Result> cli) throws Exception {
        String[] id = new String[1];
        awaitCondition(cli, () -> {
            try {
                for (JsonNode run : prefectPost(prefect, "/flow_runs/filter", "{\"flow_runs\":{\"tags\":{\"all_\":"
                        + "[\"gerrit-change:" + change.number() + "\"]}}}")) {
                    if ("RUNNING".equals(run.at("/state/type").asText())) {
                        id[0] = run.get("id").asText();
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return id[0];
    }

    /** Waits up to 2 min for {@code condition}, failing with the CLI's output if it ends first. */
    private static void awaitCondition(final CompletableFuture<Result> cli, final BooleanSupplier condition)
            throws Exception {
        Await.until(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
            if (cli.isDone()) {
                throw new AssertionError("the command ended first: " + cli.join());
            }
            return condition.getAsBoolean();
        });
    }

    private static JsonNode supersedeMessage(final GerritServer gerrit, final LabChange change) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode message : gerrit.readChange(change).get("messages")) {
            if ("autogenerated:gerrit-ml:supersede".equals(message.path("tag").asText())) {
                found.add(message);
            }
        }
        assertThat(found).as("one neutral message").hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> prefectEnv(final GerritServer gerrit, final LabChange change,
            final PrefectServer prefect) {
        Map<String, String> env = gerritEnv(gerrit, change);
        env.put("PREFECT_API_URL", prefect.apiUrl());
        env.put("PREFECT_API_AUTH_STRING", prefect.authString());
        return env;
    }

    private static JsonNode prefectPost(final PrefectServer prefect, final String path, final String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefect.apiUrl().replaceAll("/+$", "") + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(prefect.authString()
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void assertNoSecrets(final String files, final String... more) {
        List<String> secrets = new ArrayList<>(List.of(HMAC_SECRET, AWS_SECRET, AWS_TOKEN));
        secrets.addAll(List.of(more));
        String everything = files + String.join("", printed);
        for (String secret : secrets) {
            assertThat(everything).as("a secret leaked").doesNotContain(secret);
        }
    }

    private static JsonNode lastMessage(final GerritServer gerrit, final LabChange change) {
        JsonNode messages = gerrit.readChange(change).get("messages");
        return messages.get(messages.size() - 1);
    }
}
