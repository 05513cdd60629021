package io.jenkins.plugins.gerritml.core.cli;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.engine.GateResult;
import io.jenkins.plugins.gerritml.core.engine.GerritLineageSink;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.engine.S3LineageSink;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.gerrit.ReviewFollower;
import io.jenkins.plugins.gerritml.core.gerrit.RunningJob;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsAccessPolicy;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsIdentity;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.InputChannel;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelRegistry;
import io.jenkins.plugins.gerritml.core.sagemaker.ModelVersion;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerTrainer;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobStatus;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingListener;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingRun;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code gerrit-ml sagemaker-train}: the policy gate on the change (training inputs as datasets), then a SageMaker
 * training job for the patch set, the result voted back, and optionally signed lineage on the change and next to the
 * model. Nothing is asked of AWS before the gate passes; the spec is checked before anything is asked of anyone. With
 * {@code --follow-review}, a new patch set or an abandon stops the job (as Ctrl-C does) and nothing is voted.
 */
final class SageMakerTrainCommand {
    static final Set<String> VALUE_OPTIONS = GerritMl.union(GerritMl.GATE_OPTIONS, GerritMl.LINEAGE_OPTIONS,
            Set.of("image", "role-arn", "input", "output", "instance-type", "instance-count", "volume-size",
                    "hyperparameter", "max-runtime", "timeout", "region", "endpoint-url", "role-arn-to-assume",
                    "external-id", "vote-label", "json", "build-number", "build-url", "model-package-group",
                    "inference-image"), FollowedReview.VALUE_OPTIONS);
    static final Set<String> FLAGS = GerritMl.union(Set.of("allow-self", "no-review"), FollowedReview.FLAGS);

    private final GerritMl cli;

    SageMakerTrainCommand(final GerritMl cli) {
        this.cli = cli;
    }

    int run(final CliArguments args) throws InterruptedException {
        TrainingSpec spec = spec(args);
        List<String> datasets = new ArrayList<>();
        spec.getInputChannels().forEach(channel -> datasets.add(channel.getS3Uri()));
        datasets.addAll(args.all("dataset"));
        PolicyGate.validateDatasets(datasets);
        String region = region(args);
        URI endpoint = endpoint(args);
        BaseCredentials credentials = credentials();
        LineageKey key = cli.optionalSigningKey(args);
        int buildNumber = buildNumber(args);
        String buildUrl = args.get("build-url", cli.env().getOrDefault("BUILD_URL", ""));
        String label = args.get("vote-label", "Verified");
        boolean review = !args.flag("no-review");
        Optional<ReviewFollower.Ssh> ssh = FollowedReview.settings(cli, args, "sagemaker-train");
        CliResult json = new CliResult("sagemaker-train");

        GerritMl.GatedChange gated = cli.gate(args, datasets, json, review, "No training job started: the run is not approved.");
        if (!gated.gate().isAllowed()) {
            return json.finish(cli, args, GerritMl.REFUSED);
        }
        GerritChange change = gated.change();
        GerritRestClient client = gated.client();
        AuditLog audit = gated.audit();
        AuditedGerrit gerrit = gated.gerrit();
        GateResult gate = gated.gate();

        List<String> approvers = gate.getApproval().getApprovals().stream().map(Approval::getAccount)
                .map(a -> a.getUsername().isBlank() ? a.getDisplayName() : a.getUsername()).distinct()
                .collect(Collectors.toList());
        // Outside Jenkins there is no job: JOB_NAME when a CI sets it, else one stable stand-in.
        TrainingContext context = TrainingContext.builder(change).withApprovers(approvers)
                .withJob(cli.env().getOrDefault("JOB_NAME", "cli")).withBuild(buildNumber, buildUrl).build();
        cli.addSecret(args.get("external-id", ""));
        AwsIdentity identity = AwsIdentity.of(region, args.get("role-arn-to-assume", ""), args.get("external-id", ""),
                endpoint == null ? "" : endpoint.toString(), "");
        String actor = !identity.getRoleArn().isEmpty() ? identity.getRoleArn()
                : credentials.getKind() == BaseCredentials.Kind.DEFAULT_CHAIN ? "aws-default-credentials"
                : "aws:" + credentials.getAccessKeyId();
        try (FollowedReview following = FollowedReview.open(cli, ssh, args, client, gerrit);
             AwsClients clients = AwsClients.builder(identity.connect(credentials, null, "", context,
                     AwsAccessPolicy.unrestricted())).withAudit(audit, actor).build();
             SageMakerTrainer trainer = SageMakerTrainer.builder(clients).build()) {
            TrainingRun run = trainer.start(spec, context, listener());
            CheckBlock running = TrainingResult.runningCheck(run.getJobName(), clients.region(),
                    cli.clock().instant(), following.isFollowing());
            if (review) {
                FollowedReview.announce(cli, client, gerrit, change, TrainingResult.startedReview(running));
            }
            following.follow(RunningJob.of(run.getJobName(), "training job " + run.getJobName(), change, true)
                    .withRemote(run.getJobName(), running), (job, reason) -> {
                        trainer.stopOrFail(job.getId());
                        return "SageMaker is stopping it";
                    });
            TrainingResult result;
            try (GerritMl.CancelHook hook = cli.onInterrupt("SageMaker training job " + run.getJobName(), () -> {
                cli.err().println("gerrit-ml: interrupted, asking SageMaker to stop " + run.getJobName());
                run.abort("interrupted (Ctrl-C) in gerrit-ml");
            })) {
                result = SageMakerTrainer.await(run);
            }
            // the listener has printed the result's summary
            json.put("job", job(result));
            if (following.reportSuperseded(cli, json)) {
                return json.finish(cli, args, GerritMl.SUPERSEDED);
            }
            // Lineage and the registry first: a vote never claims a model whose record could not be kept.
            SignedLineage signed = null;
            if (result.isCompleted() && key != null) {
                signed = SignedLineage.sign(record(gate, client, clients, spec, result, buildUrl, buildNumber), key);
                cli.out().println("Signed training lineage " + signed.getDigest() + " with " + key.getAlgorithm()
                        + " key " + key.getKeyId());
                Map<String, Object> lineage = new LinkedHashMap<>();
                lineage.put("digest", signed.getDigest());
                lineage.put("keyId", key.getKeyId());
                if (!args.get("lineage-out", "").isEmpty()) {
                    GerritMl.write(java.nio.file.Path.of(args.get("lineage-out", "")), signed.toJsonText());
                    lineage.put("file", args.get("lineage-out", ""));
                }
                String s3 = new S3LineageSink(clients.s3(), audit, actor).publish(signed);
                cli.out().println("Lineage next to the model: " + s3);
                lineage.put("s3", s3);
                json.put("lineage", lineage);
            }
            register(gate.getPolicy().modelPackageGroupFor(args.get("model-package-group", "")), args, clients, spec,
                    result, context, signed).ifPresent(registered -> json.put("modelPackage", registered));
            if (review) {
                gerrit.postReview(change, result.toReview(label));
                cli.out().println("Posted " + label + (result.isCompleted() ? "+1" : "-1") + " on "
                        + change.getRestId() + " patch set " + change.getPatchSetNumber());
                json.put("vote", Map.of(label, result.isCompleted() ? 1 : -1));
            }
            if (!result.isCompleted()) {
                return json.finish(cli, args, GerritMl.REFUSED);
            }
            if (signed != null && review) {
                cli.out().println("Lineage summary posted on " + new GerritLineageSink(gerrit, change)
                        .publish(signed));
            }
            return json.finish(cli, args, GerritMl.OK);
        }
    }

    /**
     * Registers a completed job's model as a new version of {@code group} ({@code --model-package-group}, else the
     * repository policy's {@code modelPackageGroup}), pending the reviewers' approval, and rejects the versions of
     * the change's older patch sets; empty when nothing was registered.
     */
    private Optional<Map<String, Object>> register(final String group, final CliArguments args,
            final AwsClients clients, final TrainingSpec spec, final TrainingResult result,
            final TrainingContext context, @CheckForNull final SignedLineage signed) {
        return new ModelRegistry(clients.sageMaker()).recordTraining(group, result, spec,
                args.get("inference-image", ""), context, signed == null ? "" : signed.getDigest(), "")
                .map(registration -> {
                    registration.describe().forEach(line -> cli.out().println(line));
                    ModelVersion version = registration.getVersion();
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("arn", version.getArn());
                    json.put("group", version.getGroup());
                    json.put("version", version.getVersion());
                    json.put("status", version.getStatus());
                    return json;
                });
    }

    /**
     * {@code check-approval --approve-model-package-group}: the gate passed for this patch set, so the version trained
     * from it is approved, in a session of {@code --role-arn-to-assume} whose SourceIdentity is the approver, so AWS
     * records who approved.
     */
    int approveModelPackage(final CliArguments args, final GerritChange change, final GateResult gate) {
        String group = args.get("approve-model-package-group", "").trim();
        String role = args.get("role-arn-to-assume", "").trim();
        List<String> approvers = gate.getApproval().getApprovals().stream().map(Approval::getAccount)
                .map(a -> a.getUsername().isBlank() ? a.getDisplayName() : a.getUsername()).distinct()
                .collect(Collectors.toList());
        TrainingContext context = TrainingContext.builder(change).withApprovers(approvers)
                .withJob(cli.env().getOrDefault("JOB_NAME", "cli")).withBuild(buildNumber(args), null).build();
        String why = ModelRegistry.approvedAs(context, change.getPatchSetNumber(), gate.getApproval().getApprovals());
        try (AwsClients approver = registrySession(args, role, context)) {
            ModelRegistry.Mirrored mirrored = new ModelRegistry(approver.sageMaker()).mirrorReview(group, context,
                    LiveChange.Status.NEW, why);
            mirrored.describe().forEach(cli.out()::println);
            return mirrored.isMirrored() ? GerritMl.OK : GerritMl.REFUSED;
        }
    }

    /**
     * {@code check-approval --approve-model-package-group} on an abandoned change: the versions trained from it are
     * rejected, in a session of {@code --role-arn-to-assume} whose SourceIdentity is the change's uploader.
     */
    void rejectAbandoned(final CliArguments args, final GerritChange change) {
        String group = args.get("approve-model-package-group", "").trim();
        String role = args.get("role-arn-to-assume", "").trim();
        TrainingContext context = TrainingContext.builder(change).withJob(cli.env().getOrDefault("JOB_NAME", "cli"))
                .withBuild(buildNumber(args), null).build();
        try (AwsClients session = registrySession(args, role, context)) {
            new ModelRegistry(session.sageMaker()).mirrorReview(group, context, LiveChange.Status.ABANDONED, "").describe()
                    .forEach(cli.out()::println);
        }
    }

    /** Refuses {@code --approve-model-package-group} without its role, before any remote call. */
    static void checkRegistryArguments(final CliArguments args) {
        if (!args.get("approve-model-package-group", "").isBlank()
                && args.get("role-arn-to-assume", "").isBlank()) {
            throw new CliArguments.UsageException("--approve-model-package-group needs --role-arn-to-assume: the "
                    + "approval is made in a session of that role whose SourceIdentity is the approver");
        }
    }

    private AwsClients registrySession(final CliArguments args, final String role, final TrainingContext context) {
        cli.addSecret(args.get("external-id", ""));
        URI endpoint = endpoint(args);
        AwsIdentity identity = AwsIdentity.of(region(args), role, args.get("external-id", ""),
                endpoint == null ? "" : endpoint.toString(), "");
        return AwsClients.builder(identity.connect(credentials(), null, "", context, AwsAccessPolicy.unrestricted()))
                .withAudit(cli.auditLog(args), role).build();
    }

    /** The job's messages, statuses and log lines on stdout, each masked (a training script may print anything). */
    private TrainingListener listener() {
        return new TrainingListener() {
            @Override
            public void onMessage(final String message) {
                cli.out().println(cli.mask("[sagemaker] " + message));
            }

            @Override
            public void onStatus(final String jobName, final TrainingJobStatus status) {
                cli.out().println("[sagemaker] " + jobName + ": " + status);
            }

            @Override
            public void onLog(final String line) {
                cli.out().println(cli.mask(line));
            }
        };
    }

    /** The lineage record: the gate's approvals, the job, the model (with ETag when S3 has it), metrics, times. */
    private LineageRecord record(final GateResult gate, final GerritRestClient client, final AwsClients clients,
            final TrainingSpec spec, final TrainingResult result, final String buildUrl, final int buildNumber) {
        LineageRecord.Builder record = LineageRecords.training(gate, client.getBaseUrl())
                .withBuild(buildUrl, cli.buildId(Integer.toString(buildNumber)))
                .withJob(LineageJobs.training(spec, result))
                .withTime("finished", cli.clock().instant());
        for (String model : LineageJobs.trainingOutputs(result)) {
            record.withOutput(LineageArtifact.valueOf(model, modelEtag(clients, model), ""));
        }
        LineageJobs.trainingMetrics(result).forEach(record::withMetric);
        return record.build();
    }

    /**
     * The model object's ETag, so the lineage pins the exact object; empty (with a note) when S3 does not have it
     * (yet): the lineage then records the URI only.
     */
    private String modelEtag(final AwsClients clients, final String model) {
        String rest = model.startsWith("s3://") ? model.substring(5) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return "";
        }
        try {
            HeadObjectResponse head = clients.s3().headObject(b -> b.bucket(rest.substring(0, slash))
                    .key(rest.substring(slash + 1)));
            return head.eTag() == null ? "" : head.eTag();
        } catch (NoSuchKeyException e) {
            cli.out().println("Note: " + model + " is not in S3 (yet); the lineage records its URI without an ETag");
            return "";
        } catch (S3Exception e) {
            cli.out().println("Note: cannot read " + model + " (HTTP " + e.statusCode() + "); the lineage records "
                    + "its URI without an ETag");
            return "";
        }
    }

    private static Map<String, Object> job(final TrainingResult result) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", result.getJobName());
        job.put("arn", result.getJobArn());
        job.put("status", result.getStatus().getStatus());
        job.put("completed", result.isCompleted());
        job.put("failureReason", result.getFailureReason());
        job.put("modelArtifact", result.getModelArtifact());
        job.put("metrics", result.getFinalMetrics());
        job.put("billableSeconds", result.getBillableSeconds());
        job.put("consoleUrl", result.getConsoleUrl());
        return job;
    }

    /** The spec from the options; {@code InvalidSpecException} names every bad field before any call. */
    static TrainingSpec spec(final CliArguments args) {
        TrainingSpec.Builder spec = TrainingSpec.builder()
                .withTrainingImage(args.get("image", null))
                .withRoleArn(args.get("role-arn", null))
                .withOutputPath(args.get("output", null))
                .withInstanceType(args.get("instance-type", "ml.m5.xlarge"))
                .withInstanceCount(args.getInt("instance-count", 1))
                .withMaxRuntime(Durations.parse("max-runtime", args.get("max-runtime", "1h")));
        if (!args.get("volume-size", "").isEmpty()) {
            spec.withVolumeSizeGb(args.getInt("volume-size", 30));
        }
        if (!args.get("timeout", "").isEmpty()) {
            spec.withTimeout(Durations.parse("timeout", args.get("timeout", "")));
        }
        for (String input : args.all("input")) {
            spec.withInputChannel(channel(input));
        }
        args.pairs("hyperparameter").forEach(spec::withHyperparameter);
        return spec.build();
    }

    /** {@code name=s3://bucket/prefix/[:content/type]}: the content type follows the last colon after the URI. */
    static InputChannel channel(final String option) {
        int equals = option.indexOf('=');
        if (equals <= 0) {
            throw new CliArguments.UsageException("--input " + option + ": expected name=s3://bucket/prefix/"
                    + "[:content/type], e.g. train=s3://ml-data/approved/train/:text/csv");
        }
        String name = option.substring(0, equals).trim();
        String uri = option.substring(equals + 1).trim();
        String contentType = null;
        int colon = uri.lastIndexOf(':');
        if (colon > "s3://".length() && uri.startsWith("s3://")) {
            contentType = uri.substring(colon + 1).trim();
            uri = uri.substring(0, colon);
        }
        InputChannel channel = InputChannel.of(name, uri);
        return contentType == null || contentType.isEmpty() ? channel : channel.withContentType(contentType);
    }

    private String region(final CliArguments args) {
        String region = args.get("region", cli.env().getOrDefault("AWS_REGION",
                cli.env().getOrDefault("AWS_DEFAULT_REGION", "")));
        if (region.isBlank()) {
            throw new CliArguments.UsageException("'sagemaker-train' needs --region (or AWS_REGION), e.g. eu-west-1");
        }
        return region.trim();
    }

    @CheckForNull
    private URI endpoint(final CliArguments args) {
        String url = args.get("endpoint-url", cli.env().getOrDefault("AWS_ENDPOINT_URL", ""));
        if (url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("needs scheme and host, no user info");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliArguments.UsageException("--endpoint-url: expected an http(s) URL such as "
                    + "https://sagemaker.eu-west-1.amazonaws.com, without user or password");
        }
    }

    /** Keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN), else the SDK's default chain. */
    private BaseCredentials credentials() {
        String id = cli.env().getOrDefault("AWS_ACCESS_KEY_ID", "").trim();
        String secret = cli.env().getOrDefault("AWS_SECRET_ACCESS_KEY", "").trim();
        String token = cli.env().getOrDefault("AWS_SESSION_TOKEN", "").trim();
        cli.addSecret(secret);
        cli.addSecret(token);
        if (id.isEmpty() && secret.isEmpty()) {
            return BaseCredentials.defaultChain();
        }
        if (id.isEmpty() || secret.isEmpty()) {
            throw new CliArguments.UsageException("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither "
                    + "(to use the SDK's default credentials chain: profile, container or instance role)");
        }
        return token.isEmpty() ? BaseCredentials.staticKeys(id, secret) : BaseCredentials.session(id, secret, token);
    }

    private int buildNumber(final CliArguments args) {
        String value = args.get("build-number", cli.env().getOrDefault("BUILD_NUMBER", "1"));
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliArguments.UsageException("--build-number (or BUILD_NUMBER) must be a positive whole number, was '"
                + value + "'");
    }
}
