package io.jenkins.plugins.gerritml.core.cli;

import io.jenkins.plugins.gerritml.core.engine.AuditedGerrit;
import io.jenkins.plugins.gerritml.core.engine.GateResult;
import io.jenkins.plugins.gerritml.core.engine.GerritLineageSink;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.engine.LiveApprovalCheck;
import io.jenkins.plugins.gerritml.core.engine.PolicyException;
import io.jenkins.plugins.gerritml.core.engine.PolicyGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritParameterException;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageFormatException;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerification;
import io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * <p>Run as {@code java -cp <core and its dependencies> io.jenkins.plugins.gerritml.core.cli.GerritMl <command>}.
 */
public final class GerritMl {
    /** Success. */
    public static final int OK = 0;
    /** The gate, a policy or a verification refused. */
    public static final int REFUSED = 1;
    /** Bad command line or environment. */
    public static final int USAGE = 2;

    /** Environment variable holding the shared HMAC secret for lineage, when HMAC is used. */
    public static final String HMAC_SECRET_VARIABLE = "GERRIT_ML_LINEAGE_HMAC_SECRET";

    private static final Set<String> GATE_OPTIONS = Set.of("label", "min", "group", "branch", "dataset", "audit-log");
    private static final Set<String> KEY_OPTIONS = Set.of("private-key-file", "public-key-file", "hmac-key-id");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private Secret password = Secret.empty();

    GerritMl(final Map<String, String> env, final PrintStream out, final PrintStream err, final Clock clock) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    /** Runs one command in-process (what {@link #main} does, without exiting). */
    public static int run(final List<String> args, final Map<String, String> env, final PrintStream out,
            final PrintStream err) {
        return new GerritMl(env, out, err, Clock.systemUTC()).execute(args);
    }

    int execute(final List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.println(usage());
            return args.isEmpty() ? USAGE : OK;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "context":
                    return context(CliArguments.parse(command, rest, Set.of(), Set.of()));
                case "check-approval":
                    return checkApproval(CliArguments.parse(command, rest, GATE_OPTIONS, Set.of("allow-self",
                            "explain-on-change")));
                case "vote":
                    return vote(CliArguments.parse(command, rest, Set.of("label", "message", "context", "audit-log"),
                            Set.of()));
                case "sign-lineage":
                    return signLineage(CliArguments.parse(command, rest, union(GATE_OPTIONS, KEY_OPTIONS,
                            Set.of("out", "build-url", "build-id", "backend", "job-id", "image", "param", "output",
                                    "metric", "time", "promotes")), Set.of("allow-self", "publish-gerrit")));
                case "verify-lineage":
                    return verifyLineage(CliArguments.parse(command, rest, Set.of("public-key-file", "hmac-key-id"),
                            Set.of("live")));
                case "keygen":
                    return keygen(CliArguments.parse(command, rest, Set.of("private-key-file", "public-key-file"),
                            Set.of()));
                default:
                    err.println("gerrit-ml: unknown command '" + command + "'\n" + usage());
                    return USAGE;
            }
        } catch (CliArguments.UsageException | GerritParameterException | PolicyException | LineageFormatException e) {
            err.println("gerrit-ml " + command + ": " + password.mask(e.getMessage()));
            return USAGE;
        } catch (GerritRestException e) {
            err.println("gerrit-ml " + command + ": " + password.mask(e.getMessage()));
            return USAGE;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("gerrit-ml " + command + ": " + password.mask(String.valueOf(e.getMessage())));
            return USAGE;
        }
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
        List<String> datasets = PolicyGate.validateDatasets(args.all("dataset"));
        ApprovalPolicy policy = approvalPolicy(args);
        GerritChange change = GerritChangeFactory.fromParameters(env);
        GerritRestClient client = client();
        GateResult result = new PolicyGate(client, clock).check(change, policy, datasets);
        out.println(result.summary());
        if (result.isAllowed()) {
            return OK;
        }
        if (args.flag("explain-on-change")) {
            auditedGerrit(client, args).postReview(change, PolicyGate.refusalReview(result));
            out.println("Explained the refusal on " + change.getRestId() + " patch set "
                    + change.getPatchSetNumber());
        }
        return REFUSED;
    }

    private int vote(final CliArguments args) {
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
        auditedGerrit(client, args).postReview(change, built);
        out.println("Posted " + built.getLabels() + " on " + change.getRestId() + " patch set "
                + change.getPatchSetNumber());
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

    private ApprovalPolicy approvalPolicy(final CliArguments args) {
        ApprovalPolicy.Builder builder = ApprovalPolicy.builder().withLabel(args.get("label", "Code-Review"))
                .withMinimumValue(args.getInt("min", 2)).withGroups(args.all("group"))
                .withSelfApprovalAllowed(args.flag("allow-self"));
        if (!args.get("branch", "").isEmpty()) {
            builder.withBranchPattern(args.get("branch", ""));
        }
        return builder.build();
    }

    private GerritRestClient client() {
        String url = variable("GERRIT_URL", "Gerrit's front-end URL, e.g. https://review.example.com/");
        String user = variable("GERRIT_USER", "the CI account's Gerrit user name");
        password = Secret.of(variable("GERRIT_HTTP_PASSWORD", "the CI account's HTTP password (Gerrit: Settings → "
                + "HTTP Credentials)"));
        return new GerritRestClient(GerritRestConfig.of(url, user, password), GerritRestClient.DEFAULT_ATTEMPTS,
                GerritRestClient.DEFAULT_BACKOFF, err::println);
    }

    private AuditedGerrit auditedGerrit(final GerritRestClient client, final CliArguments args) {
        String user = env.getOrDefault("GERRIT_USER", "");
        return new AuditedGerrit(client, auditLog(args), user);
    }

    /** One append-only log per run: the run id is the CI build (BUILD_TAG / BUILD_URL) or a fresh UUID. */
    private AuditLog auditLog(final CliArguments args) {
        Path file = Path.of(args.get("audit-log", env.getOrDefault("GERRIT_ML_AUDIT_LOG", "gerrit-ml-audit.jsonl")));
        String run = env.getOrDefault("BUILD_TAG", env.getOrDefault("BUILD_URL", "cli-" + UUID.randomUUID()));
        List<Secret> secrets = new ArrayList<>();
        secrets.add(password);
        secrets.add(Secret.of(env.get(HMAC_SECRET_VARIABLE)));
        return AuditLog.open(file, run, clock, secrets);
    }

    private String variable(final String name, final String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new CliArguments.UsageException("environment variable " + name + " is not set: expected " + what);
        }
        return value.trim();
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

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliArguments.UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void write(final Path file, final String text) {
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
    private static Set<String> union(final Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    static String usage() {
        return String.join("\n",
                "usage: gerrit-ml <command> [options]",
                "  context                              print the GERRIT_* build context",
                "  check-approval [--label L] [--min N] [--group G]... [--allow-self] [--branch GLOB]",
                "                 [--dataset URI]... [--explain-on-change] [--audit-log FILE]",
                "                                       approval gate + .gerrit-ml.yaml policy of the target branch",
                "  vote --label NAME=VALUE... [--message TEXT] [--context NAME] [--audit-log FILE]",
                "  sign-lineage --out FILE (--private-key-file PEM --public-key-file PEM | --hmac-key-id ID)",
                "               [gate options] [--build-url U] [--build-id I] [--backend B] [--job-id J] [--image I]",
                "               [--dataset URI]... [--param K=V]... [--output URI[,sha256=H][,etag=E]]...",
                "               [--metric K=V]... [--time NAME=ISO]... [--promotes FILE] [--publish-gerrit]",
                "  verify-lineage FILE... (--public-key-file PEM... | --hmac-key-id ID) [--live]",
                "  keygen --private-key-file PEM --public-key-file PEM",
                "environment: GERRIT_* (as Gerrit Trigger sets them), GERRIT_URL, GERRIT_USER, GERRIT_HTTP_PASSWORD,",
                "  " + HMAC_SECRET_VARIABLE + " (HMAC keys), GERRIT_ML_AUDIT_LOG, BUILD_URL, BUILD_ID, BUILD_TAG",
                "exit codes: 0 ok, 1 refused (gate, policy, verification), 2 usage or configuration error");
    }
}
