package io.jenkins.plugins.gerritml.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.engine.GateResult;
import io.jenkins.plugins.gerritml.core.engine.GerritLineageSink;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.engine.LiveApprovalCheck;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.engine.S3LineageSink;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerification;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.prefect.FlowRunRequest;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectEndpoint;
import io.jenkins.plugins.gerritml.core.prefect.PrefectFlowRuns;
import io.jenkins.plugins.gerritml.core.prefect.ReviewedFlowRuns;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.DeployResult;
import io.jenkins.plugins.gerritml.core.sagemaker.DeploySpec;
import io.jenkins.plugins.gerritml.core.sagemaker.PromotionGate;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerDeployer;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerTrainer;
import io.jenkins.plugins.gerritml.core.sagemaker.SimpleAwsConnectionConfig;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingListener;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsCheck;
import io.jenkins.plugins.gerritml.core.tensorboard.TensorFlowMetricsResult;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.ChecksTab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.TensorFlowLab;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end demo with embedded defaults, on loopback only: a real Gerrit, moto for AWS, a change pushed by a
 * developer, its context from Gerrit's event stream, the approval gate refusing then passing, TensorBoard metrics
 * gated and tabled on the change, a SageMaker training run voted back with links, signed lineage next to the model,
 * a promotion that waits for the merge, and a Prefect flow started by Gerrit's change-merged event. Run with {@code ./mvnw -B -Pdemo package};
 * {@code -Ddemo.keepRunning=true} keeps the servers up to look around; {@code -Ddemo.trainTensorFlow=true} trains
 * the tiny Keras model with real TensorFlow instead of reading the committed run.
 */
public final class Demo {
    private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerTraining";
    private static final String IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-train:1.0";
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(2));

    private final PrintStream out;
    private final Path work;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private Demo(final PrintStream out, final Path work) {
        this.out = out;
        this.work = work;
    }

    public static void main(final String[] args) throws Exception {
        Path work = Files.createTempDirectory("gerrit-ml-demo");
        new Demo(System.out, work).run(Boolean.getBoolean("demo.keepRunning"),
                Boolean.getBoolean("demo.trainTensorFlow"));
    }

    private void run(final boolean keepRunning, final boolean trainTensorFlow) throws Exception {
        step("Starting a real Gerrit 3.10.2, moto (AWS) and a Prefect 3 server with served flows, on loopback");
        long start = System.nanoTime();
        try (GerritServer gerrit = GerritServer.start(); MotoServer moto = MotoServer.start();
             PrefectServer prefect = PrefectServer.start().serveExamples()) {
            out.printf("   Gerrit at %s (SSH %d): init %.1f s, daemon %.1f s, RSS %d MiB%n", gerrit.url(),
                    gerrit.sshPort(), gerrit.initTime().toMillis() / 1000.0,
                    gerrit.lastStartTime().toMillis() / 1000.0, gerrit.residentMiB());
            out.printf("   moto at %s in %.1f s; Prefect at %s in %.1f s (+%.1f s to serve the example flows)%n",
                    moto.endpoint(), moto.startTime().toMillis() / 1000.0, prefect.apiUrl(),
                    prefect.lastStartDuration().toMillis() / 1000.0, prefect.examplesStartDuration().toMillis() / 1000.0);
            out.printf("   all servers up after %.1f s%n", (System.nanoTime() - start) / 1e9);
            GerritRestClient jenkins = new GerritRestClient(GerritRestConfig.of(gerrit.url(),
                    gerrit.jenkins().username(), Secret.of(gerrit.jenkins().httpPassword())));
            Path auditFile = work.resolve("audit.jsonl");
            AuditLog audit = AuditLog.open(auditFile, "demo-1", Clock.systemUTC(),
                    List.of(Secret.of(gerrit.jenkins().httpPassword()), Secret.of(MotoServer.SECRET_ACCESS_KEY)));
            AuditedGerrit auditedGerrit = new AuditedGerrit(jenkins, audit, "jenkins");

            GerritEventStream stream = GerritEventStream.connect(gerrit.host(), gerrit.sshPort(),
                    gerrit.jenkins().username(), gerrit.jenkinsSshKeyFile(), Secret.empty(), null, events::add,
                    e -> out.println("   stream failed: " + e.getMessage()));
            GerritChange context = reviewedChange(gerrit);
            ApprovalPolicy policy = ApprovalPolicy.builder().withGroups(List.of(GerritServer.APPROVERS)).build();
            List<String> datasets = List.of("s3://ml-data/churn/train/");
            GateResult gate = gate(gerrit, jenkins, context, policy, datasets);

            metrics(gerrit, jenkins, context, trainTensorFlow);

            try (AwsClients aws = AwsClients.builder(SimpleAwsConnectionConfig.builder("eu-west-1",
                    BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                    .withEndpointOverride(moto.endpoint()).build()).withAudit(audit, "jenkins").build()) {
                aws.s3().createBucket(b -> b.bucket("ml-data"));
                aws.s3().createBucket(b -> b.bucket("ml-models"));
                LineageKey key = LineageKey.generateEd25519();
                SignedLineage training = train(aws, jenkins, auditedGerrit, audit, gerrit, context, gate, key);
                promote(gerrit, aws, jenkins, auditedGerrit, context, key, training);
            }
            flowOnMerge(prefect, jenkins, audit, context);
            stream.close();
            checksTab(gerrit, context);

            step("Audit trail: every state-changing call, no secrets");
            List<String> lines = Files.readAllLines(auditFile);
            out.printf("   %s: %d entries%n", auditFile, lines.size());
            lines.forEach(line -> out.println("   " + (line.length() > 160 ? line.substring(0, 157) + "..." : line)));

            step("Where to look");
            out.printf("   curl -s -u admin:secret '%sa/changes/%s~%d?o=DETAILED_LABELS&o=MESSAGES'%n", gerrit.url(),
                    context.getProject(), context.getChangeNumber());
            out.println("   files of this run: " + work);
            if (keepRunning) {
                // What a Jenkins of your own (./mvnw hpi:run at the repository root) needs to use these servers.
                out.printf("   For a Jenkins of your own: Gerrit %s (SSH 127.0.0.1:%d, HTTP user %s, password %s, SSH"
                        + " key %s), Prefect API %s (basic auth %s), AWS endpoint %s (keys %s / %s)%n", gerrit.url(),
                        gerrit.sshPort(), gerrit.jenkins().username(), gerrit.jenkins().httpPassword(),
                        gerrit.jenkinsSshKeyFile(), prefect.apiUrl(), prefect.authString(), moto.endpoint(),
                        MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY);
                out.println("   Servers stay up; press Ctrl-C to stop.");
                Thread.currentThread().join();
            } else {
                out.println("   (servers stop now; run with -Ddemo.keepRunning=true to keep them up)");
            }
        }
        out.println("\nDemo finished.");
    }

    /** dana pushes a change; the build's context comes from Gerrit's own stream-events, so it is trusted. */
    private GerritChange reviewedChange(final GerritServer gerrit) throws InterruptedException {
        step("Listening to Gerrit's stream-events as the jenkins bot; dana pushes a change to refs/for/master");
        LabChange change = gerrit.pushChange(gerrit.dana(), "Churn model: raise learning rate to 0.02", Map.of(
                "train/config.yaml", "learning_rate: 0.02\nepochs: 3\ndataset: s3://ml-data/churn/train/\n"));
        GerritChange context = awaitEvent("patchset-created", change.revision());
        out.printf("   Build context: %s%n   uploader %s, ref %s%n", context, context.getUploader(),
                context.getRefspec());
        return context;
    }

    /** The next stream-events line of {@code type} about {@code revision}, as a trusted context. */
    private GerritChange awaitEvent(final String type, final String revision) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String line = events.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains("\"type\":\"" + type + "\"") && line.contains(revision)) {
                return GerritChangeFactory.fromEventJson(line);
            }
        }
        throw new IllegalStateException("No " + type + " event arrived for " + revision);
    }

    /** Gerrit's change-merged event starts a Prefect flow after the gate; the run is voted back with its link. */
    private void flowOnMerge(final PrefectServer prefect, final GerritRestClient jenkins, final AuditLog audit,
            final GerritChange built) throws Exception {
        GerritChange merged = awaitEvent("change-merged", built.getRevision());
        step("Gerrit says change-merged (submitter " + merged.getEventAccount() + "): Prefect flow train-model runs "
                + "for it after the gate");
        PrefectEndpoint endpoint = PrefectEndpoint.builder().withApiUrl(prefect.apiUrl())
                .withBasicAuth(prefect.authString()).build();
        audit.addSecret(Secret.of(prefect.authString()));
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            PrefectFlowRuns flowRuns = new PrefectFlowRuns(new PrefectClient(endpoint), watcher, Clock.systemUTC(),
                    audit, "jenkins");
            ReviewedFlowRuns reviewed = new ReviewedFlowRuns(flowRuns, jenkins, new ApprovalGate(jenkins));
            FlowRunRequest template = FlowRunRequest.builder()
                    .withDeployment("train-model/" + PrefectServer.EXAMPLE_DEPLOYMENT)
                    .withParameter("change", merged.getChangeNumber())
                    .withParameter("patchset", merged.getPatchSetNumber())
                    .withTimeout(Duration.ofMinutes(5)).build();
            ReviewedFlowRuns.Outcome outcome = reviewed.onEvent(merged, ApprovalPolicy.builder()
                    .withMergeRequired(true).withGroups(List.of(GerritServer.APPROVERS)).build(), template,
                    "Verified", "prefect", line -> out.println("   " + line));
            if (outcome.isIgnored()) {
                throw new IllegalStateException("The demo expected a flow run: " + outcome.getIgnoredBecause());
            }
            out.println("   " + outcome);
            out.println("   flow run UI: " + outcome.getResult().getUiUrl());
        }
    }

    private GateResult gate(final GerritServer gerrit, final GerritRestClient jenkins, final GerritChange context,
            final ApprovalPolicy policy, final List<String> datasets) {
        LabChange change = labChange(context);
        PolicyGate gate = new PolicyGate(jenkins);
        step("Gate (" + policy.describe() + ", datasets " + datasets + ") before anyone reviewed");
        out.println("   " + gate.check(context, policy, datasets).summary());

        step("dana approves her own change; the gate still refuses");
        gerrit.vote(gerrit.dana(), change, "Code-Review", 2);
        out.println("   " + gate.check(context, policy, datasets).summary());

        step("alice (ML Approvers) votes Code-Review+2; the gate reads the live change again");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        GateResult passed = gate.check(context, policy, datasets);
        out.println("   " + passed.summary());
        if (!passed.isAllowed()) {
            throw new IllegalStateException("The demo expected an approval: " + passed.summary());
        }
        return passed;
    }

    /** TensorBoard scalars from a real TensorFlow run, gated and posted as a table on a custom label. */
    private void metrics(final GerritServer gerrit, final GerritRestClient jenkins, final GerritChange context,
            final boolean trainTensorFlow) throws Exception {
        Path run;
        if (trainTensorFlow) {
            step("Training the tiny Keras model with real TensorFlow (virtualenv created on first use)");
            run = work.resolve("tensorboard");
            TensorFlowLab.require().trainTinyKeras(run, 4, 11);
        } else {
            step("Reading the TensorBoard run that real TensorFlow wrote (examples/tensorflow/fixture-run)");
            run = TensorFlowLab.projectRoot().resolve("examples/tensorflow/fixture-run");
        }
        gerrit.createLabel("Model-Verified");
        TensorFlowMetricsResult result = TensorFlowMetricsCheck.builder().withRunDirectory(run)
                .withGateLines("validation/epoch_accuracy.last >= 0.5\ntrain/epoch_loss.min <= 5")
                .withMetricsFile(work.resolve("metrics.json"))
                .withLabel("Model-Verified").withLink("TensorBoard logs", "https://ci.example.com/job/churn/1/tb/")
                .build().run();
        out.println("   " + result.getMessage().replace("\n", "\n   "));
        result.postTo(jenkins, context);
        out.println("   posted Model-Verified " + (result.getVote() > 0 ? "+" : "") + result.getVote()
                + " with the table to " + context.getRestId());
    }

    private SignedLineage train(final AwsClients aws, final GerritRestClient jenkins,
            final AuditedGerrit auditedGerrit, final AuditLog audit, final GerritServer gerrit,
            final GerritChange context, final GateResult gate, final LineageKey key) throws Exception {
        step("SageMaker training for patch set " + context.getPatchSetNumber() + " (AWS SDK v2 against moto)");
        TrainingSpec spec = TrainingSpec.builder().withTrainingImage(IMAGE).withRoleArn(ROLE)
                .withInputChannel("train", "s3://ml-data/churn/train/", "text/csv")
                .withOutputPath("s3://ml-models/churn").withInstanceType("ml.m5.xlarge")
                .withMaxRuntime(Duration.ofHours(1)).withHyperparameter("learning_rate", 0.02)
                .withHyperparameter("epochs", 3).build();
        TrainingContext training = TrainingContext.builder(context).withBuild(1, "https://ci.example.com/job/churn/1/")
                .build();
        TrainingResult result;
        try (SageMakerTrainer trainer = SageMakerTrainer.builder(aws).withBackoff(FAST).build()) {
            result = trainer.train(spec, training, TrainingListener.printingTo(out));
        }
        out.println("   " + result.summary().replace("\n", "\n   "));
        auditedGerrit.postReview(context, result.toReview());
        out.println("   posted Verified+1 with the job and model links");

        step("Signed lineage: who approved which patch set -> which job -> which model");
        // moto runs no container: put a stand-in model where SageMaker said the artifact is.
        String model = result.getModelArtifact();
        String bucket = model.substring("s3://".length(), model.indexOf('/', "s3://".length()));
        String objectKey = model.substring(model.indexOf('/', "s3://".length()) + 1);
        byte[] modelBytes = ("stand-in model of " + result.getJobName()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String etag = aws.s3().putObject(b -> b.bucket(bucket).key(objectKey), RequestBody.fromBytes(modelBytes))
                .eTag();
        LineageRecord record = LineageRecords.training(gate, gerrit.url())
                .withBuild("https://ci.example.com/job/churn/1/", "1")
                .withJob(LineageJob.builder().withBackend("sagemaker").withId(result.getJobArn()).withImage(IMAGE)
                        .withInputs(List.of("s3://ml-data/churn/train/"))
                        .withParameters(Map.of("learning_rate", "0.02", "epochs", "3")).build())
                .withOutput(LineageArtifact.valueOf(model, etag, sha256(modelBytes)))
                .withMetric("billable_seconds", BigDecimal.valueOf(result.getBillableSeconds() == null ? 0
                        : result.getBillableSeconds()))
                .withTime("finished", Instant.now()).build();
        SignedLineage signed = SignedLineage.sign(record, key);
        out.println("   digest " + signed.getDigest() + " signed by " + key.getKeyId());
        out.println("   on the change: " + new GerritLineageSink(auditedGerrit, context).publish(signed));
        out.println("   next to the model: " + new S3LineageSink(aws.s3(), audit, "jenkins").publish(signed));
        String stored = aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(S3LineageSink
                .lineageUriFor(model).substring(("s3://" + bucket + "/").length()))).asUtf8String();
        LineageVerification verified = new LineageVerifier(List.of(key.verifyingKey())).verify(stored);
        out.println("   lineage.json read back from S3: " + (verified.isValid() ? "signature and digest verify"
                : "INVALID " + verified.getProblems()));
        List<String> problems = new LiveApprovalCheck(jenkins).recheck(verified.getRecord().orElseThrow());
        out.println("   live re-check of its approvals against Gerrit: " + (problems.isEmpty() ? "still hold" : problems));
        return signed;
    }

    private void promote(final GerritServer gerrit, final AwsClients aws, final GerritRestClient jenkins,
            final AuditedGerrit auditedGerrit, final GerritChange context, final LineageKey key,
            final SignedLineage training) throws Exception {
        ApprovalPolicy production = ApprovalPolicy.builder().withMergeRequired(true)
                .withGroups(List.of(GerritServer.APPROVERS)).build();
        PromotionGate gate = PromotionGate.gerrit(new ApprovalGate(jenkins), context, production);
        DeploySpec spec = DeploySpec.builder().withEndpointName("churn-prod")
                .withModelArtifact(training.getRecord().getOutputs().get(0).getUri())
                .withInferenceImage(IMAGE).withExecutionRoleArn(ROLE).build();
        TrainingContext build = TrainingContext.builder(context).withBuild(2, "https://ci.example.com/job/churn/2/")
                .build();
        try (JobWatcher watcher = new JobWatcher(FAST, Clock.systemUTC())) {
            SageMakerDeployer deployer = new SageMakerDeployer(aws, watcher);
            step("Promotion to endpoint churn-prod (" + production.describe() + ") before the merge");
            try {
                deployer.deploy(spec, build, gate, TrainingListener.printingTo(out));
                throw new IllegalStateException("The demo expected the promotion to be refused before the merge");
            } catch (io.jenkins.plugins.gerritml.core.sagemaker.DeploymentRefusedException e) {
                out.println("   refused, nothing created in AWS: " + e.getMessage());
            }
            step("The change is submitted; promotion runs");
            gerrit.submit(labChange(context));
            DeployResult deployed = deployer.deploy(spec, build, gate, TrainingListener.printingTo(out));
            out.printf("   endpoint %s: %s, approved by %s%n", deployed.getEndpointName(), deployed.getState(),
                    deployed.getApprovers());
        }
        LineageRecord promotion = LineageRecord.builder().withKind(LineageRecord.Kind.PROMOTION)
                .withPromotes(training.getDigest()).withServer(training.getRecord().getServer())
                .withProject(context.getProject()).withBranch(context.getBranch())
                .withChange(context.getChangeNumber()).withChangeId(context.getChangeId())
                .withPatchSet(context.getPatchSetNumber()).withRevision(context.getRevision())
                .withApprovals(training.getRecord().getApprovals())
                .withBuild("https://ci.example.com/job/churn/2/", "2")
                .withJob(LineageJob.builder().withBackend("sagemaker-endpoint").withId("churn-prod").build())
                .withOutput(training.getRecord().getOutputs().get(0)).withTime("deployed", Instant.now()).build();
        SignedLineage signed = SignedLineage.sign(promotion, key);
        new GerritLineageSink(auditedGerrit, context).publish(signed);
        LineageVerification chain = new LineageVerifier(List.of(key.verifyingKey()))
                .verifyChain(List.of(training.toJsonText(), signed.toJsonText()));
        out.println("   promotion lineage " + signed.getDigest() + " -> training " + training.getDigest() + ": "
                + (chain.isValid() ? "chain verifies" : "BROKEN " + chain.getProblems()));
    }

    private static LabChange labChange(final GerritChange context) {
        return new LabChange(context.getProject(), context.getBranch(), context.getChangeNumber(),
                context.getChangeId(), context.getPatchSetNumber(), context.getRevision(), context.getRefspec(),
                context.getSubject());
    }

    private static String sha256(final byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** What a reviewer's Checks tab shows for the change: the web plugin, served by Gerrit, run as alice. */
    private void checksTab(final GerritServer gerrit, final GerritChange context) {
        String served = gerrit.installJsPlugin(ChecksTab.pluginFile(), Duration.ofSeconds(60));
        step("The Checks tab: Gerrit serves " + served + "; as alice sees it for patch set "
                + context.getPatchSetNumber() + " (every line is what the CI account wrote)");
        JsonNode tab = ChecksTab.fetch(gerrit, gerrit.alice(), context.getProject(), context.getChangeNumber(),
                context.getPatchSetNumber(), List.of());
        for (JsonNode run : tab.path("runs")) {
            out.printf("   %-52s attempt %d  %-9s %-7s %s%n", run.path("checkName").asText(),
                    run.path("attempt").asInt(), run.path("status").asText(),
                    run.at("/results/0/category").asText("-"), run.path("statusDescription").asText(
                            run.at("/results/0/summary").asText("")));
        }
    }

    private void step(final String text) {
        out.println("\n== " + text);
    }
}
