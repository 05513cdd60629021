package io.jenkins.plugins.gerritml.core.cli;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.engine.GateResult;
import io.jenkins.plugins.gerritml.core.engine.GerritLineageSink;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.engine.LiveApprovalCheck;
import io.jenkins.plugins.gerritml.core.engine.PolicyException;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.FileOutboxStore;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritParameterException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.gerrit.OutboxEntry;
import io.jenkins.plugins.gerritml.core.gerrit.OutboxGerrit;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.gerrit.VoteAllowList;
import io.jenkins.plugins.gerritml.core.gerrit.ReviewOutbox;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageFormatException;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerification;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.prefect.PrefectException;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingTimeoutException;
import io.jenkins.plugins.gerritml.core.util.Secret;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code gerrit-ml}: the engine's gates and reports from any CI or a shell, reading the same {@code GERRIT_*}
 * environment Gerrit Trigger sets, plus {@code GERRIT_URL}, {@code GERRIT_USER} and {@code GERRIT_HTTP_PASSWORD} for
 * the REST API. Exit codes: 0 ok, 1 refused (gate, policy, verification), 2 usage or configuration error.
 *
 * <p>Run as {@code java -jar gerrit-ml.jar <command>} (the shaded jar the core build makes, classifier {@code cli})
 * or {@code java -cp <core and its dependencies> io.jenkins.plugins.gerritml.core.cli.GerritMl <command>}.
 */
public final class GerritMl {
    /** Success. */
    public static final int OK = 0;
    /** The gate, a policy or a verification refused. */
    public static final int REFUSED = 1;
    /** Bad command line or environment. */
    public static final int USAGE = 2;
    /**
     * {@code --follow-review}: the job was stopped because its patch set was superseded or its change abandoned; a
     * neutral message went on the old patch set and nothing was voted.
     */
    public static final int SUPERSEDED = 3;

    /** Environment variable holding the shared HMAC secret for lineage, when HMAC is used. */
    /** The vote allow-list's rules, e.g. {@code Model-Verified -1..+1; Code-Review 0..+1}. */
    public static final String VOTE_ALLOW_LIST_VARIABLE = "GERRIT_ML_VOTE_ALLOW_LIST";
    public static final String HMAC_SECRET_VARIABLE = "GERRIT_ML_LINEAGE_HMAC_SECRET";

    /** Environment variables holding secrets: masked in every line the CLI prints, writes or posts. */
    static final List<String> SECRET_VARIABLES = List.of("GERRIT_HTTP_PASSWORD", HMAC_SECRET_VARIABLE,
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PREFECT_API_KEY", "PREFECT_API_AUTH_STRING",
            FollowedReview.PASSPHRASE_VARIABLE);

    static final Set<String> GATE_OPTIONS = Set.of("label", "min", "group", "branch", "dataset", "audit-log",
            "submit-requirement");
    static final Set<String> KEY_OPTIONS = Set.of("private-key-file", "public-key-file", "hmac-key-id");
    /** Signing options of the backend commands: a key (as for sign-lineage) and where to keep a copy. */
    static final Set<String> LINEAGE_OPTIONS = union(KEY_OPTIONS, Set.of("lineage-out"));

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Interrupts interrupts;
    private final List<Secret> secrets = new ArrayList<>();
    private AuditLog audit;

    GerritMl(final Map<String, String> env, final PrintStream out, final PrintStream err, final Clock clock,
            final Interrupts interrupts) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.interrupts = interrupts;
        // Whatever the command, these never reach its output, audit log or Gerrit.
        for (String variable : SECRET_VARIABLES) {
            addSecret(env.get(variable));
        }
    }

    public static void main(final String[] args) {
        // The AWS SDK logs through SLF4J; the CLI ships no binding, so keep SLF4J's "no providers" notice quiet.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    /** Runs one command in-process (what {@link #main} does, without exiting). */
    public static int run(final List<String> args, final Map<String, String> env, final PrintStream out,
            final PrintStream err) {
        return new GerritMl(env, out, err, Clock.systemUTC(), Interrupts.SHUTDOWN_HOOKS).execute(args);
    }

    /** Where Ctrl-C handlers go: JVM shutdown hooks, or a test's hand. */
    interface Interrupts {
        Interrupts SHUTDOWN_HOOKS = (what, action) -> {
            Thread hook = new Thread(action, "gerrit-ml cancel " + what);
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: nothing to remove
                }
            };
        };

        /** Runs {@code action} when the user interrupts the process, until the returned hook is closed. */
        CancelHook register(String what, Runnable action);
    }

    /** A registered Ctrl-C handler; closing it unregisters it (the remote work has ended). */
    interface CancelHook extends AutoCloseable {
        @Override
        void close();
    }

    int execute(final List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            if (args.size() > 1 && args.get(0).equals("help")) {
                out.println(CliHelp.forCommand(args.get(1)));
                return CliHelp.isCommand(args.get(1)) ? OK : USAGE;
            }
            out.println(CliHelp.usage());
            return args.isEmpty() ? USAGE : OK;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "context":
                    return context(parse(command, rest, Set.of(), Set.of()));
                case "check-approval":
                    return checkApproval(parse(command, rest, union(GATE_OPTIONS, Set.of(
                            "approve-model-package-group", "role-arn-to-assume", "external-id", "region",
                            "endpoint-url", "build-number")), Set.of("allow-self", "explain-on-change")));
                case "vote":
                    return vote(parse(command, rest, Set.of("label", "message", "context", "audit-log", "outbox",
                            "outbox-patience"), Set.of()));
                case "sign-lineage":
                    return signLineage(parse(command, rest, union(GATE_OPTIONS, KEY_OPTIONS,
                            Set.of("out", "build-url", "build-id", "backend", "job-id", "image", "param", "output",
                                    "metric", "time", "promotes")), Set.of("allow-self", "publish-gerrit")));
                case "verify-lineage":
                    return verifyLineage(parse(command, rest, Set.of("public-key-file", "hmac-key-id"),
                            Set.of("live")));
                case "sagemaker-train":
                    return new SageMakerTrainCommand(this).run(parse(command, rest, SageMakerTrainCommand.VALUE_OPTIONS,
                            SageMakerTrainCommand.FLAGS));
                case "prefect-run":
                    return new PrefectRunCommand(this).run(parse(command, rest, PrefectRunCommand.VALUE_OPTIONS,
                            PrefectRunCommand.FLAGS));
                case "tensorflow-metrics":
                    return new TensorFlowMetricsCommand(this).run(parse(command, rest,
                            TensorFlowMetricsCommand.VALUE_OPTIONS, TensorFlowMetricsCommand.FLAGS));
                case "keygen":
                    return keygen(parse(command, rest, Set.of("private-key-file", "public-key-file"),
                            Set.of()));
                default:
                    err.println("gerrit-ml: unknown command '" + command + "'\n" + CliHelp.usage());
                    return USAGE;
            }
        } catch (HelpRequested e) {
            out.println(CliHelp.forCommand(command));
            return OK;
        } catch (CliArguments.UsageException | GerritParameterException | PolicyException | LineageFormatException e) {
            err.println("gerrit-ml " + command + ": " + mask(e.getMessage()));
            return USAGE;
        } catch (GerritRestException e) {
            err.println("gerrit-ml " + command + ": " + mask(e.getMessage()));
            return USAGE;
        } catch (PrefectException e) {
            err.println("gerrit-ml " + command + ": " + mask(e.getMessage()));
            return e.getReason() == PrefectException.Reason.SERVER_ERROR ? REFUSED : USAGE;
        } catch (SdkException | TrainingTimeoutException e) {
            // AWS refused or failed the call, or the job outlived its timeout: the run failed, the setup may be fine.
            err.println("gerrit-ml " + command + ": " + mask(String.valueOf(e.getMessage())));
            return REFUSED;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("gerrit-ml " + command + ": " + mask(String.valueOf(e.getMessage())));
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("gerrit-ml " + command + ": interrupted");
            return REFUSED;
        }
    }

    /** Parses, or answers {@code --help} for the command. */
    private static CliArguments parse(final String command, final List<String> rest, final Set<String> values,
            final Set<String> flags) {
        if (rest.contains("--help") || rest.contains("-h")) {
            throw new HelpRequested();
        }
        return CliArguments.parse(command, rest, values, flags);
    }

    /** {@code <command> --help}. */
    private static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    // ------------------------------------------------------------------------------------------------ commands

    private int context(final CliArguments args) {
        GerritChange change = GerritChangeFactory.fromParameters(env);
        Map<String, Object> lines = new java.util.LinkedHashMap<>();
        lines.put("source", change.isVerified() ? "Gerrit event" : "environment (unverified until checked)");
        lines.put("project", change.getProject());
        lines.put("branch", change.getBranch());
        lines.put("change", change.getChangeNumber());
        lines.put("change-id", change.getChangeId());
        lines.put("patch-set", change.getPatchSetNumber());
        lines.put("revision", change.getRevision());
        lines.put("refspec", change.getRefspec());
        lines.put("subject", change.getSubject());
        lines.put("owner", change.getOwner().getDisplayName());
        lines.put("uploader", change.getUploader().getDisplayName());
        lines.put("event", change.getEventType());
        lines.put("url", change.getChangeUrl());
        lines.forEach((key, value) -> out.println(key + ": " + value));
        return OK;
    }

    private int checkApproval(final CliArguments args) {
        SageMakerTrainCommand.checkRegistryArguments(args);
        List<String> datasets = PolicyGate.validateDatasets(args.all("dataset"));
        ApprovalPolicy policy = approvalPolicy(args);
        GerritChange change = GerritChangeFactory.fromParameters(env);
        GerritRestClient client = client();
        GateResult result = new PolicyGate(client, clock).check(change, policy, datasets);
        out.println(result.summary());
        if (result.isAllowed()) {
            return args.get("approve-model-package-group", "").isBlank() ? OK
                    : new SageMakerTrainCommand(this).approveModelPackage(args, change, result);
        }
        if (!args.get("approve-model-package-group", "").isBlank()
                && client.getChange(change.getRestId()).getStatus() == LiveChange.Status.ABANDONED) {
            new SageMakerTrainCommand(this).rejectAbandoned(args, change);
        }
        if (args.flag("explain-on-change")) {
            auditedGerrit(client, args).postReview(change, PolicyGate.refusalReview(result));
            out.println("Explained the refusal on " + change.getRestId() + " patch set "
                    + change.getPatchSetNumber());
        }
        return REFUSED;
    }

    private int vote(final CliArguments args) throws InterruptedException {
        Map<String, String> labels = args.pairs("label");
        Review.Builder review = Review.builder().withMessage(args.get("message", ""))
                .withContext(args.get("context", "cli"));
        labels.forEach((label, value) -> {
            try {
                review.withLabel(label, Integer.parseInt(value.replace("+", "")));
            } catch (NumberFormatException e) {
                throw new CliArguments.UsageException("--label " + label + "=" + value + ": the value must be a whole "
                        + "number such as 1 or -1");
            }
        });
        Review built = review.build();
        GerritChange change = GerritChangeFactory.fromParameters(env);
        GerritRestClient client = client();
        auditedGerrit(client, args).requireAllowed(built); // before the outbox keeps it
        if (args.get("outbox", "").isEmpty()) {
            auditedGerrit(client, args).postReview(change, built);
            out.println("Posted " + built.getLabels() + " on " + change.getRestId() + " patch set "
                    + change.getPatchSetNumber());
            return OK;
        }
        return voteThroughOutbox(args, client, change, built);
    }

    /**
     * Writes the vote to the outbox folder first, delivers it exactly once, then whatever earlier runs left pending
     * there; fails unless this run's vote landed.
     */
    private int voteThroughOutbox(final CliArguments args, final GerritRestClient client, final GerritChange change,
            final Review review) throws InterruptedException {
        Duration patience = args.get("outbox-patience", "").isEmpty() ? ReviewOutbox.DEFAULT_PATIENCE
                : Durations.parse("--outbox-patience", args.get("outbox-patience", ""));
        AuditedGerrit audited = auditedGerrit(client, args);
        ReviewOutbox outbox = new ReviewOutbox(new FileOutboxStore(Path.of(args.get("outbox", ""))),
                OutboxGerrit.of(client, audited::postReview), ReviewOutbox.DEFAULT_BACKOFF, clock,
                d -> Thread.sleep(d.toMillis()), line -> err.println(mask(line)));
        OutboxEntry entry = outbox.post(change, review, patience);
        for (OutboxEntry earlier : outbox.drain()) {
            out.println("Delivered an earlier review " + earlier.getLabels() + " on " + earlier.getRestId()
                    + " patch set " + earlier.getPatchSet() + ": " + earlier.getState() + " (" + earlier.getOutcome()
                    + ")");
        }
        if (entry.getState() != OutboxEntry.State.DONE) {
            err.println("gerrit-ml vote: " + mask(entry.getOutcome()) + "; the entry stays in "
                    + args.get("outbox", "") + " as " + entry.getState());
            return REFUSED;
        }
        out.println("Posted " + review.getLabels() + " on " + change.getRestId() + " patch set "
                + change.getPatchSetNumber() + " (" + entry.getOutcome() + ")");
        return OK;
    }

    private int signLineage(final CliArguments args) {
        Path target = Path.of(args.require("out", "where to write lineage.json"));
        LineageKey key = signingKey(args);
        LineageJob.Builder job = LineageJob.builder().withBackend(args.get("backend", ""))
                .withId(args.get("job-id", "")).withImage(args.get("image", ""))
                .withInputs(PolicyGate.validateDatasets(args.all("dataset"))).withParameters(args.pairs("param"));
        List<LineageArtifact> outputs = new ArrayList<>();
        for (String output : args.all("output")) {
            outputs.add(artifact(output));
        }
        Map<String, BigDecimal> metrics = new TreeMap<>();
        args.pairs("metric").forEach((name, value) -> {
            try {
                metrics.put(name, new BigDecimal(value));
            } catch (NumberFormatException e) {
                throw new CliArguments.UsageException("--metric " + name + "=" + value + ": the value must be a "
                        + "decimal number such as 0.93");
            }
        });
        String promotes = "";
        if (!args.get("promotes", "").isEmpty()) {
            Path promoted = Path.of(args.get("promotes", ""));
            LineageVerification previous = verifier(args).verify(read(promoted));
            if (!previous.isValid()) {
                out.println("Refusing to promote " + promoted + ": " + previous.summary());
                return REFUSED;
            }
            promotes = previous.getDigest();
        }

        GerritChange change = GerritChangeFactory.fromParameters(env);
        GerritRestClient client = client();
        GateResult gate = new PolicyGate(client, clock).check(change, approvalPolicy(args),
                PolicyGate.validateDatasets(args.all("dataset")));
        if (!gate.isAllowed()) {
            out.println(gate.summary());
            out.println("No lineage signed: the run is not approved.");
            return REFUSED;
        }
        LineageRecord.Builder record = LineageRecords.training(gate, client.getBaseUrl())
                .withBuild(args.get("build-url", env.getOrDefault("BUILD_URL", "")),
                        args.get("build-id", env.getOrDefault("BUILD_ID", "")))
                .withJob(job.build())
                .withTime("recorded", clock.instant());
        outputs.forEach(record::withOutput);
        metrics.forEach(record::withMetric);
        args.pairs("time").forEach((name, value) -> record.withTime(name, instant(name, value)));
        if (!promotes.isEmpty()) {
            record.promoting(promotes);
        }
        SignedLineage signed = SignedLineage.sign(record.build(), key);
        write(target, signed.toJsonText());
        out.println("Signed " + signed.getRecord().getKind().name().toLowerCase(java.util.Locale.ROOT)
                + " lineage " + signed.getDigest() + " with " + key.getAlgorithm() + " key " + key.getKeyId() + " -> "
                + target);
        if (args.flag("publish-gerrit")) {
            String where = new GerritLineageSink(auditedGerrit(client, args), change).publish(signed);
            out.println("Posted the lineage summary on " + where);
        }
        return OK;
    }

    private int verifyLineage(final CliArguments args) {
        if (args.positional().isEmpty()) {
            throw new CliArguments.UsageException("'verify-lineage' needs lineage files, oldest first (a training "
                    + "record, then the promotions of it)");
        }
        List<String> documents = new ArrayList<>();
        args.positional().forEach(file -> documents.add(read(Path.of(file))));
        LineageVerifier verifier = verifier(args);
        List<String> problems = new ArrayList<>();
        List<LineageRecord> records = new ArrayList<>();
        LineageVerification chain = verifier.verifyChain(documents);
        problems.addAll(chain.getProblems());
        for (String document : documents) {
            verifier.verify(document).getRecord().ifPresent(records::add);
        }
        if (args.flag("live") && problems.isEmpty()) {
            GerritRestClient client = client();
            for (LineageRecord record : records) {
                new LiveApprovalCheck(client).recheck(record).forEach(p -> problems.add(record.getRestId() + "/"
                        + record.getPatchSet() + ": " + p));
            }
        }
        if (!problems.isEmpty()) {
            out.println("Lineage NOT verified:");
            problems.forEach(p -> out.println("  - " + p));
            if (!chain.getTamperedFields().isEmpty()) {
                out.println("Tampered fields: " + String.join(", ", chain.getTamperedFields()));
            }
            return REFUSED;
        }
        out.println("Lineage verified: " + documents.size() + " record(s), newest " + chain.getDigest()
                + " signed by " + chain.getKeyId() + (args.flag("live") ? "; approvals still on Gerrit" : ""));
        return OK;
    }

    private int keygen(final CliArguments args) {
        Path privateFile = Path.of(args.require("private-key-file", "where to write the private key (keep it "
                + "secret)"));
        Path publicFile = Path.of(args.require("public-key-file", "where to write the public key (give it to "
                + "verifiers)"));
        LineageKey key = LineageKey.generateEd25519();
        write(privateFile, key.privateKeyPem());
        try {
            Files.setPosixFilePermissions(privateFile, java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            err.println("gerrit-ml keygen: could not restrict " + privateFile + " to its owner: " + e.getMessage());
        }
        write(publicFile, key.publicKeyPem());
        out.println("Ed25519 key " + key.getKeyId() + ": private " + privateFile + ", public " + publicFile);
        return OK;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Reads the change from the environment and runs the policy gate before any backend call; a refusal is printed,
     * recorded in {@code json}, and (with {@code review}) explained on the change.
     */
    GatedChange gate(final CliArguments args, final List<String> datasets, final CliResult json, final boolean review,
            final String notStarted) {
        GerritChange change = GerritChangeFactory.fromParameters(env);
        GerritRestClient client = client();
        AuditLog audit = auditLog(args);
        AuditedGerrit gerrit = new AuditedGerrit(client, audit, gerritUser(), voteAllowList(), "");
        if (review) {
            gerrit.requireVotable(args.get("vote-label", "Verified"));
        }
        GateResult gate = new PolicyGate(client, clock).check(change, approvalPolicy(args), datasets);
        out.println(gate.summary());
        json.put("gate", Map.of("allowed", gate.isAllowed(), "summary", gate.summary()));
        if (!gate.isAllowed()) {
            if (review) {
                gerrit.postReview(change, PolicyGate.refusalReview(gate));
                out.println("Explained the refusal on " + change.getRestId() + " patch set "
                        + change.getPatchSetNumber());
            }
            out.println(notStarted);
        }
        return new GatedChange(change, client, audit, gerrit, gate);
    }

    /** What {@link #gate} established, for the backend command that follows it. */
    record GatedChange(GerritChange change, GerritRestClient client, AuditLog audit, AuditedGerrit gerrit,
            GateResult gate) {
    }

    ApprovalPolicy approvalPolicy(final CliArguments args) {
        ApprovalPolicy.Builder builder = ApprovalPolicy.builder().withLabel(args.get("label", "Code-Review"))
                .withMinimumValue(args.getInt("min", 2)).withGroups(args.all("group"))
                .withSelfApprovalAllowed(args.flag("allow-self"))
                .withSubmitRequirements(args.all("submit-requirement"));
        if (!args.get("branch", "").isEmpty()) {
            builder.withBranchPattern(args.get("branch", ""));
        }
        return builder.build();
    }

    GerritRestClient client() {
        String url = variable("GERRIT_URL", "Gerrit's front-end URL, e.g. https://review.example.com/");
        String user = variable("GERRIT_USER", "the CI account's Gerrit user name");
        Secret password = Secret.of(variable("GERRIT_HTTP_PASSWORD", "the CI account's HTTP password (Gerrit: "
                + "Settings → HTTP Credentials)"));
        addSecret(password.reveal());
        return new GerritRestClient(GerritRestConfig.of(url, user, password), GerritRestClient.DEFAULT_ATTEMPTS,
                GerritRestClient.DEFAULT_BACKOFF, line -> err.println(mask(line)));
    }

    AuditedGerrit auditedGerrit(final GerritRestClient client, final CliArguments args) {
        return new AuditedGerrit(client, auditLog(args), gerritUser(), voteAllowList(), "");
    }

    /**
     * The votes this CLI may post, as an administrator wrote them in {@value #VOTE_ALLOW_LIST_VARIABLE} (the rules
     * of Jenkins' global vote allow-list, one a line or separated by {@code ;}); without it only
     * {@code Verified -1..+1}, so the CI account never casts a vote reviewers did not agree to delegate.
     */
    VoteAllowList voteAllowList() {
        return VoteAllowList.parse(env.getOrDefault(VOTE_ALLOW_LIST_VARIABLE, "").replace(';', '\n'));
    }

    /**
     * The build's id in lineage, as Jenkins records it ({@code JOB_NAME#BUILD_NUMBER}); else {@code BUILD_ID}, else
     * {@code fallback}.
     */
    String buildId(final String fallback) {
        return LineageJobs.buildId(env.get("JOB_NAME"), env.get("BUILD_NUMBER"), env.getOrDefault("BUILD_ID",
                fallback));
    }

    /** The Gerrit account the CLI acts as, for audit lines. */
    String gerritUser() {
        return env.getOrDefault("GERRIT_USER", "");
    }

    /**
     * One append-only log per run, opened once per command: the run id is the CI build (BUILD_TAG / BUILD_URL) or a
     * fresh UUID. Every secret the command knows is scrubbed from it.
     */
    AuditLog auditLog(final CliArguments args) {
        if (audit == null) {
            Path file = Path.of(args.get("audit-log", env.getOrDefault("GERRIT_ML_AUDIT_LOG",
                    "gerrit-ml-audit.jsonl")));
            String run = env.getOrDefault("BUILD_TAG", env.getOrDefault("BUILD_URL", "cli-" + UUID.randomUUID()));
            audit = AuditLog.open(file, run, clock, new ArrayList<>(secrets));
        }
        return audit;
    }

    /** Masks {@code value} from now on in output, errors, the audit log and results; blank values are ignored. */
    void addSecret(final String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String form : new java.util.LinkedHashSet<>(List.of(value, value.trim()))) {
            Secret secret = Secret.of(form);
            if (!form.isEmpty() && !secrets.contains(secret)) {
                secrets.add(secret);
                if (audit != null) {
                    audit.addSecret(secret);
                }
            }
        }
    }

    /** {@code text} with every known secret replaced. */
    String mask(final String text) {
        String masked = text;
        for (Secret secret : secrets) {
            masked = secret.mask(masked);
        }
        return masked;
    }

    Map<String, String> env() {
        return env;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Clock clock() {
        return clock;
    }

    CancelHook onInterrupt(final String what, final Runnable action) {
        return interrupts.register(what, action);
    }

    String variable(final String name, final String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new CliArguments.UsageException("environment variable " + name + " is not set: expected " + what);
        }
        return value.trim();
    }

    /** The signing key when the command was given one ({@code --private-key-file} or {@code --hmac-key-id}). */
    @CheckForNull
    LineageKey optionalSigningKey(final CliArguments args) {
        if (args.get("hmac-key-id", "").isEmpty() && args.get("private-key-file", "").isEmpty()) {
            if (!args.get("public-key-file", "").isEmpty() || !args.get("lineage-out", "").isEmpty()) {
                throw new CliArguments.UsageException("lineage is signed only with a key: add --private-key-file "
                        + "(with --public-key-file) or --hmac-key-id (with " + HMAC_SECRET_VARIABLE + " set)");
            }
            return null;
        }
        return signingKey(args);
    }

    private LineageKey signingKey(final CliArguments args) {
        if (!args.get("hmac-key-id", "").isEmpty()) {
            return LineageKey.hmac(args.get("hmac-key-id", ""), Secret.of(variable(HMAC_SECRET_VARIABLE,
                    "the shared HMAC secret (at least 32 bytes) for key " + args.get("hmac-key-id", ""))));
        }
        String privateFile = args.require("private-key-file", "the Ed25519 private key (PEM, from 'gerrit-ml keygen')"
                + ", or --hmac-key-id with " + HMAC_SECRET_VARIABLE + " set");
        String publicFile = args.require("public-key-file", "the Ed25519 public key (PEM) that goes with it");
        return LineageKey.fromPem(read(Path.of(privateFile)), read(Path.of(publicFile)));
    }

    private LineageVerifier verifier(final CliArguments args) {
        List<LineageKey> keys = new ArrayList<>();
        for (String file : args.all("public-key-file")) {
            keys.add(LineageKey.fromPublicPem(read(Path.of(file))));
        }
        if (!args.get("hmac-key-id", "").isEmpty()) {
            keys.add(LineageKey.hmac(args.get("hmac-key-id", ""), Secret.of(variable(HMAC_SECRET_VARIABLE,
                    "the shared HMAC secret for key " + args.get("hmac-key-id", "")))));
        }
        if (keys.isEmpty()) {
            throw new CliArguments.UsageException("no trusted key: give --public-key-file (Ed25519) or --hmac-key-id "
                    + "(with " + HMAC_SECRET_VARIABLE + " set)");
        }
        return new LineageVerifier(keys);
    }

    /** {@code URI[,sha256=HEX][,etag=E]}. */
    private static LineageArtifact artifact(final String spec) {
        String[] parts = spec.split(",");
        String sha256 = "";
        String etag = "";
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("sha256=")) {
                sha256 = parts[i].substring(7);
            } else if (parts[i].startsWith("etag=")) {
                etag = parts[i].substring(5);
            } else {
                throw new CliArguments.UsageException("--output " + spec + ": expected URI[,sha256=HEX][,etag=E]");
            }
        }
        return LineageArtifact.valueOf(parts[0], etag, sha256);
    }

    private static Instant instant(final String name, final String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new CliArguments.UsageException("--time " + name + "=" + value + ": expected an ISO-8601 UTC time "
                    + "such as 2024-05-01T12:00:00Z");
        }
    }

    static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliArguments.UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static void write(final Path file, final String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @SafeVarargs
    static Set<String> union(final Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
