package io.jenkins.plugins.gerritml.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import io.jenkins.plugins.gerritml.lab.PrefectServer;
import io.jenkins.plugins.gerritml.lab.PrefectServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded {@code target/gerrit-ml.jar} as users run it, in its own JVM: the AWS SDK finds its HTTP client in the
 * merged service files, and a real SIGINT (Ctrl-C) runs the shutdown hook that cancels the Prefect flow run.
 */
@ExtendWith({GerritLab.class, MotoLab.class, PrefectServerExtension.class})
class GerritMlJarITest {
    private static final Path JAR = Path.of("target", "gerrit-ml.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A running {@code java -jar gerrit-ml.jar}, its output collected as it comes; closing it kills what is left. */
    private static final class Cli implements AutoCloseable {
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Cli(final Map<String, String> env, final String... args) throws IOException {
            assertThat(JAR).as("the package phase builds it").exists();
            // A shell without job control starts its background commands with SIGINT ignored, and the JVM then
            // ignores Ctrl-C too (it keeps an inherited SIG_IGN). Reset it, as a terminal would have it, then exec.
            List<String> command = new ArrayList<>(List.of("python3", "-c", "import os, signal, sys; "
                    + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().putAll(env);
            process = builder.start();
            copy(process.getInputStream(), out);
            copy(process.getErrorStream(), err);
        }

        private static void copy(final InputStream from, final ByteArrayOutputStream to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                        synchronized (to) {
                            to.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        /**
         * Waits for the process to end. The bound only keeps a hung CLI from hanging the build: after Ctrl-C the CLI
         * may spend a Prefect request timeout or two on the cancel and 20 s waiting for the run to end, and on a
         * machine running other suites each of those is slower.
         */
        int await() throws InterruptedException {
            assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("gerrit-ml ended: %s", this).isTrue();
            Thread.sleep(100); // let the copiers drain
            return process.exitValue();
        }

        /** Whatever the test's outcome, no CLI is left polling servers that are gone. */
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return "out: " + out() + "\nerr: " + err();
        }
    }

    private static Map<String, String> env(final GerritServer gerrit, final LabChange change) {
        Map<String, String> env = new java.util.HashMap<>(LabGerrit.triggerParameters(gerrit, change));
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("GERRIT_URL", gerrit.url());
        env.put("GERRIT_USER", gerrit.jenkins().username());
        env.put("GERRIT_HTTP_PASSWORD", gerrit.jenkins().httpPassword());
        env.put("BUILD_NUMBER", "3");
        return env;
    }

    @Test
    void shouldTrainOnMotoThroughTheShadedJar(final GerritServer gerrit, final MotoServer moto, @TempDir final Path dir)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Train from the jar", "train/jar.yaml", "a: 1\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = env(gerrit, change);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        try (Cli cli = new Cli(env, "sagemaker-train", "--image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/t:1",
                "--role-arn", "arn:aws:iam::123456789012:role/SageMakerTraining", "--input",
                "train=s3://ml-data/approved/jar/", "--output", "s3://ml-models/jar", "--no-review", "--audit-log",
                dir.resolve("audit.jsonl").toString(), "--json", dir.resolve("result.json").toString())) {
            assertThat(cli.await()).as(cli.toString()).isZero();
            // Without JOB_NAME the command line stands in as CI job 'cli' (the CI job is part of the name).
            assertThat(cli.out()).contains("SageMaker training job " + io.jenkins.plugins.gerritml.core.sagemaker
                    .SageMakerNames.forBuild("ml-demo", io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext
                            .builder().withProject("ml-demo").withChange(change.number(), change.patchSet())
                            .withRevision("any").withJob("cli").withBuild(3, null).build()) + ": Completed");
            assertThat(cli.err()).doesNotContain("SLF4J");
        }
        JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
        assertThat(result.at("/job/arn").asText()).startsWith("arn:aws:sagemaker:eu-west-1:");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("sagemaker.create-training-job")
                .doesNotContain(MotoServer.SECRET_ACCESS_KEY).doesNotContain(gerrit.jenkins().httpPassword());
    }

    @Test
    void shouldCancelTheFlowRunOnCtrlC(final GerritServer gerrit, final PrefectServer prefect, @TempDir final Path dir)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Long flow to interrupt", "flows/long.py", "z = 3\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = env(gerrit, change);
        env.put("PREFECT_API_URL", prefect.apiUrl());
        env.put("PREFECT_API_AUTH_STRING", prefect.authString());
        try (Cli cli = new Cli(env, "prefect-run", "sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter",
                "seconds=900", "--poll-interval", "1s", "--audit-log", dir.resolve("audit.jsonl").toString())) {
            // The flow sleeps far longer than any wait here: only the Ctrl-C can end it, however slow the machine.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!cli.out().contains("sleeping 900") && cli.process.isAlive() && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(cli.out()).as(cli.toString()).contains("sleeping 900");
            Matcher id = Pattern.compile("/runs/flow-run/([0-9a-f-]{36})").matcher(cli.out());
            assertThat(id.find()).as(cli.out()).isTrue();

            new ProcessBuilder("kill", "-INT", Long.toString(cli.process.pid())).start().waitFor();
            int exit = cli.await();

            assertThat(exit).as(cli.toString()).isEqualTo(130); // 128 + SIGINT, as a shell reports Ctrl-C
            assertThat(cli.err()).contains("interrupted, cancelling Prefect flow run " + id.group(1))
                    .contains("accepted");
            assertThat(cli.out()).containsPattern("CANCELL(ING|ED)");
            // The CLI waits 20 s for the end; on a loaded machine Prefect's runner may take longer to stop the flow.
            long cancelled = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!flowRunState(prefect, id.group(1)).equals("CANCELLED") && System.nanoTime() < cancelled) {
                Thread.sleep(500);
            }
            assertThat(flowRunState(prefect, id.group(1))).isEqualTo("CANCELLED");
            assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("prefect.cancel-flow-run")
                    .doesNotContain(prefect.authString());
            assertThat(cli.out() + cli.err()).doesNotContain(prefect.authString())
                    .doesNotContain(gerrit.jenkins().httpPassword());
        }
    }

    /**
     * Killed with SIGKILL while it waits, and run again with the same arguments: the key kept in {@code --state-dir}
     * before the run was created makes the second process re-attach, so Prefect has one run and Gerrit one vote.
     */
    @Test
    void shouldReattachToItsFlowRunWhenRunAgainAfterBeingKilled(final GerritServer gerrit,
            final PrefectServer prefect, @TempDir final Path dir) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Flow killed mid-wait", "flows/killed.py", "k = 9\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        Map<String, String> env = env(gerrit, change);
        env.put("PREFECT_API_URL", prefect.apiUrl());
        env.put("PREFECT_API_AUTH_STRING", prefect.authString());
        String[] command = {"prefect-run", "sleeping-flow/" + PrefectServer.EXAMPLE_DEPLOYMENT, "--parameter",
            "seconds=12", "--poll-interval", "1s", "--state-dir", dir.resolve("state").toString(), "--audit-log",
            dir.resolve("audit.jsonl").toString()};
        String firstId;
        try (Cli first = new Cli(env, command)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!first.out().contains("sleeping 12") && first.process.isAlive() && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(first.out()).as(first.toString()).contains("Started Prefect flow run").contains("sleeping 12");
            Matcher id = Pattern.compile("/runs/flow-run/([0-9a-f-]{36})").matcher(first.out());
            assertThat(id.find()).as(first.out()).isTrue();
            firstId = id.group(1);
            new ProcessBuilder("kill", "-KILL", Long.toString(first.process.pid())).start().waitFor();
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(jenkinsVote(gerrit, change, "Verified")).as("the killed process voted nothing").isZero();

        try (Cli again = new Cli(env, command)) {
            assertThat(again.await()).as(again.toString()).isZero();
            assertThat(again.out()).contains("Re-attached to Prefect flow run").contains(firstId)
                    .doesNotContain("Started Prefect flow run");
        }
        assertThat(flowRunsTagged(prefect, "gerrit-change:" + change.number())).containsExactly(firstId);
        JsonNode messages = gerrit.readChange(change).get("messages");
        List<String> statuses = new ArrayList<>();
        for (JsonNode message : messages) {
            if (message.path("tag").asText().equals("autogenerated:gerrit-ml:prefect")) {
                statuses.add(CheckBlock.find(message.path("message").asText()).map(c -> c.getId() + " "
                        + c.getStatus()).orElse("no check line"));
            }
        }
        assertThat(statuses).as("announced once across the kill, one review of the run")
                .containsExactly(firstId + " RUNNING", firstId + " COMPLETED");
        assertThat(jenkinsVote(gerrit, change, "Verified")).isEqualTo(1);
    }

    /** The CI account's value on {@code label}; 0 when it has none (Gerrit lists reviewers with 0 too). */
    private static int jenkinsVote(final GerritServer gerrit, final LabChange change, final String label) {
        for (JsonNode vote : gerrit.readChange(change).at("/labels/" + label + "/all")) {
            if (vote.path("username").asText().equals(gerrit.jenkins().username())) {
                return vote.path("value").asInt(0);
            }
        }
        return 0;
    }

    private static List<String> flowRunsTagged(final PrefectServer prefect, final String tag) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefect.apiUrl().replaceAll("/+$", "")
                        + "/flow_runs/filter"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(prefect.authString()
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag
                        + "\"]}}}")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).forEach(run -> ids.add(run.path("id").asText()));
        return ids;
    }

    private static String flowRunState(final PrefectServer prefect, final String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefect.apiUrl().replaceAll("/+$", "")
                        + "/flow_runs/" + id))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(prefect.authString()
                        .getBytes(StandardCharsets.UTF_8))).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).at("/state/type").asText();
    }
}
