package io.jenkins.plugins.gerritml.core.cli;

import io.jenkins.plugins.gerritml.core.sagemaker.InputChannel;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI without servers: help, option parsing, and errors that must come before any remote call. */
class GerritMlTest {
    /** Nothing listens here: a command that got as far as a call would fail differently (connection refused). */
    private static final String NOWHERE = "http://127.0.0.1:9/";
    private static final String PREFECT_KEY = "pnu_Hq3xV9bL2mK8tR4wY7zC1dF6gJ0sN5aE3uPo";
    private static final String PREFECT_AUTH = "admin:Vk9#pQ2!rT7@wX4$";
    private static final String AWS_SECRET = "Zq8vK2mR7tYp4LwX9nB3cD6fH1jS5uE0aG8iO2kQ";
    private static final String GERRIT_PASSWORD = "Gp7/Xc3+Lm9QzR2tW8vY5nK1aS4dF6hJ0bN3eU7i";

    private static final Map<String, Set<String>> COMMANDS = Map.of(
            "sagemaker-train", union(SageMakerTrainCommand.VALUE_OPTIONS, SageMakerTrainCommand.FLAGS),
            "prefect-run", union(PrefectRunCommand.VALUE_OPTIONS, PrefectRunCommand.FLAGS),
            "tensorflow-metrics", union(TensorFlowMetricsCommand.VALUE_OPTIONS, TensorFlowMetricsCommand.FLAGS));

    private static Set<String> union(final Set<String> a, final Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private String out;
    private String err;

    private int run(final Map<String, String> env, final String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = new GerritMl(env, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), Clock.systemUTC(), (what, action) -> () -> { })
                .execute(Arrays.asList(args));
        out = stdout.toString(StandardCharsets.UTF_8);
        err = stderr.toString(StandardCharsets.UTF_8);
        return exit;
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("GERRIT_URL", NOWHERE);
        env.put("GERRIT_USER", "jenkins");
        env.put("GERRIT_HTTP_PASSWORD", GERRIT_PASSWORD);
        env.put("GERRIT_PROJECT", "ml-demo");
        env.put("GERRIT_BRANCH", "master");
        env.put("GERRIT_CHANGE_NUMBER", "42");
        env.put("GERRIT_CHANGE_ID", "I0123456789abcdef0123456789abcdef01234567");
        env.put("GERRIT_PATCHSET_NUMBER", "3");
        env.put("GERRIT_PATCHSET_REVISION", "0123456789abcdef0123456789abcdef01234567");
        env.put("GERRIT_EVENT_TYPE", "patchset-created");
        env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        env.put("PREFECT_API_KEY", PREFECT_KEY);
        env.put("PREFECT_API_AUTH_STRING", PREFECT_AUTH);
        env.put(GerritMl.HMAC_SECRET_VARIABLE, "hmac-secret-0123456789-0123456789-abc");
        return env;
    }

    @Test
    void shouldListEveryOptionOfEachBackendCommandInItsHelp() {
        SoftAssertions softly = new SoftAssertions();
        COMMANDS.forEach((command, options) -> {
            assertThat(run(Map.of(), command, "--help")).isZero();
            String help = out;
            assertThat(run(Map.of(), "help", command)).isZero();
            softly.assertThat(out).as("help %s", command).isEqualTo(help);
            for (String option : options) {
                softly.assertThat(help).as("%s --help", command).contains("--" + option + " ");
            }
            softly.assertThat(help).as(command).contains("exit codes: 0").contains("1 ").contains("2 usage")
                    .contains("GERRIT_URL").contains("GERRIT_HTTP_PASSWORD");
        });
        softly.assertAll();
        assertThat(CliHelp.forCommand("sagemaker-train")).contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN", "AWS_REGION", GerritMl.HMAC_SECRET_VARIABLE);
        assertThat(CliHelp.forCommand("prefect-run")).contains("PREFECT_API_URL", "PREFECT_API_KEY",
                "PREFECT_API_AUTH_STRING", "FAILED/CRASHED/CANCELLED/TIMED_OUT", "Ctrl-C");

        assertThat(run(Map.of(), "help")).isZero();
        for (String command : List.of("context", "check-approval", "vote", "sagemaker-train", "prefect-run",
                "tensorflow-metrics", "keygen", "sign-lineage", "verify-lineage")) {
            assertThat(out).contains("  " + command + " ");
            assertThat(CliHelp.isCommand(command)).isTrue();
        }
        for (String variable : GerritMl.SECRET_VARIABLES) {
            assertThat(out).contains(variable);
        }
        assertThat(out).contains("exit codes: 0 ok, 1 refused or failed").contains("2 usage or configuration error");
        assertThat(run(Map.of(), "help", "frobnicate")).isEqualTo(GerritMl.USAGE);
    }

    @Test
    void shouldRefuseABadTrainingSpecNamingTheFieldsBeforeAnyCall() {
        assertThat(run(env(), "sagemaker-train", "--input", "train=s3://ml-data/approved/x/", "--output",
                "not-s3", "--region", "eu-west-1")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("trainingImage").contains("roleArn").contains("outputPath")
                .doesNotContain("Connection refused");

        assertThat(run(env(), "sagemaker-train", "--image", "img", "--role-arn",
                "arn:aws:iam::123456789012:role/T", "--input", "train=s3://ml-data/approved/x/", "--output",
                "s3://ml-models/o", "--max-runtime", "soon")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("--max-runtime soon: expected a duration");

        Map<String, String> noRegion = env();
        assertThat(run(noRegion, "sagemaker-train", "--image", "img", "--role-arn",
                "arn:aws:iam::123456789012:role/T", "--input", "train=s3://ml-data/approved/x/", "--output",
                "s3://ml-models/o")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("needs --region (or AWS_REGION)");

        Map<String, String> halfKeys = env();
        halfKeys.remove("AWS_ACCESS_KEY_ID");
        assertThat(run(halfKeys, "sagemaker-train", "--image", "img", "--role-arn",
                "arn:aws:iam::123456789012:role/T", "--input", "train=s3://ml-data/approved/x/", "--output",
                "s3://ml-models/o", "--region", "eu-west-1")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
        assertThat(out + err).doesNotContain(AWS_SECRET);
    }

    /** The CI account never casts a vote an administrator did not allow, in any command, before any call. */
    @Test
    void shouldRefuseVotesOutsideTheAllowListBeforeAnyCall(@TempDir final Path dir) throws Exception {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(run(env(), "vote", "--label", "Code-Review=2")).isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("[rule: vote-allow-list]").contains("The vote Code-Review=+2 is not allowed")
                .contains("allowed: Verified -1..+1").doesNotContain("Connection refused");

        Path outbox = dir.resolve("outbox");
        softly.assertThat(run(env(), "vote", "--label", "Code-Review=2", "--outbox", outbox.toString()))
                .isEqualTo(GerritMl.USAGE);
        softly.assertThat(outbox).as("a refused vote is not kept for later").doesNotExist();

        Map<String, String> prefect = env();
        prefect.remove("PREFECT_API_AUTH_STRING");
        softly.assertThat(run(prefect, "prefect-run", "train-model/prod", "--api-url", "http://127.0.0.1:9/api",
                "--vote-label", "Code-Review")).isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("The vote Code-Review=+1 is not allowed");
        softly.assertThat(run(env(), "tensorflow-metrics", "--logdir", dir.toString(), "--gate", "val/auc.last >= 1",
                "--label", "Model-Verified")).isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("The vote Model-Verified=+1 is not allowed");

        Map<String, String> allowed = env();
        allowed.put(GerritMl.VOTE_ALLOW_LIST_VARIABLE, "Model-Verified -1..+1; Code-Review 0..+2");
        softly.assertThat(run(allowed, "vote", "--label", "Code-Review=-1")).isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("The vote Code-Review=-1 is not allowed")
                .contains("allowed: Verified -1..+1, Model-Verified -1..+1, Code-Review 0..+2");

        softly.assertThat(run(env(), "vote")).as("an empty review is refused").isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("gerrit-ml vote: an empty review says nothing");

        Map<String, String> broken = env();
        broken.put(GerritMl.VOTE_ALLOW_LIST_VARIABLE, "Code-Review +2");
        softly.assertThat(run(broken, "vote", "--label", "Verified=1")).isEqualTo(GerritMl.USAGE);
        softly.assertThat(err).contains("Vote allow-list line 1 'Code-Review +2' is not a rule");
        softly.assertAll();
    }

    @Test
    void shouldNeverPrintSecretsFromTheEnvironmentInErrors() {
        assertThat(run(env(), "prefect-run", "train-model/prod", "--api-url", "http://127.0.0.1:9/api"))
                .isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("PREFECT_API_KEY (Prefect Cloud) or PREFECT_API_AUTH_STRING");

        Map<String, String> cloud = env();
        cloud.remove("PREFECT_API_AUTH_STRING");
        assertThat(run(cloud, "prefect-run", "train-model/prod", "--api-url", "http://127.0.0.1:9/api",
                "--parameter", "epochs")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("--parameter takes name=value");

        // A secret that a user pastes into an option is masked as well.
        assertThat(run(cloud, "vote", "--label", "Verified=" + GERRIT_PASSWORD)).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("--label Verified=");
        String all = out + err;
        for (String secret : List.of(PREFECT_KEY, PREFECT_AUTH, AWS_SECRET, GERRIT_PASSWORD)) {
            assertThat(all).doesNotContain(secret);
        }
    }

    @Test
    void shouldRefuseToFollowTheReviewWithoutWhatItNeedsBeforeAnyCall(@TempDir final Path dir) throws Exception {
        Map<String, String> env = env();
        env.remove("PREFECT_API_AUTH_STRING");
        env.put("PREFECT_API_URL", NOWHERE + "api");
        env.put("HOME", dir.toString());
        String passphrase = "ssh-passphrase-Qx7!kT2#vW9";
        env.put("GERRIT_SSH_KEY_PASSPHRASE", passphrase);
        String[] training = {"sagemaker-train", "--image", "img", "--role-arn", "arn:aws:iam::123456789012:role/T",
            "--input", "train=s3://ml-data/approved/x/", "--output", "s3://ml-models/o", "--region", "eu-west-1"};

        assertThat(run(env, "prefect-run", "train-model/prod", "--follow-review")).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("needs the SSH private key of the account that streams Gerrit's events: --ssh-key "
                + "FILE or GERRIT_SSH_KEY_FILE").doesNotContain("Connection refused");

        Path key = Files.writeString(dir.resolve("id_ed25519"), "a key file");
        env.put("GERRIT_SSH_KEY_FILE", key.toString());
        assertThat(run(env, concat(training, "--follow-review"))).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("the known_hosts file " + dir.resolve(".ssh/known_hosts") + " cannot be read "
                + "(add Gerrit's host key: ssh-keyscan -p 29418 127.0.0.1)").doesNotContain("Connection refused");

        env.put("GERRIT_HOST", "review.example.com");
        env.put("GERRIT_PORT", "29419");
        assertThat(run(env, concat(training, "--follow-review", "--ssh-known-hosts", dir.resolve("none").toString())))
                .isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("ssh-keyscan -p 29419 review.example.com");
        assertThat(run(env, "prefect-run", "train-model/prod", "--follow-review", "--ssh-address", "review:70000"))
                .isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("--ssh-address takes host:port with a port of 1..65535");

        assertThat(run(env, "prefect-run", "train-model/prod", "--ssh-key", key.toString())).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("--ssh-key is used only with --follow-review");
        assertThat(run(env, concat(training, "--follow-review", "--no-review"))).isEqualTo(GerritMl.USAGE);
        assertThat(err).contains("cannot be combined with --no-review");
        assertThat(out + err).doesNotContain(passphrase);
    }

    private static String[] concat(final String[] first, final String... more) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(more));
        return all.toArray(new String[0]);
    }

    @Test
    void shouldParseDurationsChannelsAndJsonTypedParameters() {
        assertThat(Durations.parse("t", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("t", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("t", "45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("t", "PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("t", "0")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> Durations.parse("t", "")).hasMessageContaining("expected a duration");

        assertThat(SageMakerTrainCommand.channel("train=s3://d/approved/x/:text/csv"))
                .isEqualTo(InputChannel.of("train", "s3://d/approved/x/").withContentType("text/csv"));
        assertThat(SageMakerTrainCommand.channel("val=s3://d/approved/y/"))
                .isEqualTo(InputChannel.of("val", "s3://d/approved/y/"));
        assertThatThrownBy(() -> SageMakerTrainCommand.channel("s3://d/x/")).hasMessageContaining("name=s3://");

        CliArguments args = CliArguments.parse("prefect-run", List.of("--parameter", "epochs=3", "--parameter",
                "rate=0.5", "--parameter", "layers=[64,32]", "--parameter", "dry=true", "--parameter", "name=resnet",
                "--parameter", "id=\"42\""), Set.of("parameter"), Set.of());
        Map<String, Object> parameters = PrefectRunCommand.parameters(args);
        assertThat(parameters).containsEntry("epochs", 3).containsEntry("rate", 0.5)
                .containsEntry("layers", List.of(64, 32)).containsEntry("dry", true)
                .containsEntry("name", "resnet").containsEntry("id", "42");
    }
}
