package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the lab servers a Jenkins needs to run the examples by hand (a real Gerrit, a real Prefect server serving the
 * example flows, moto for SageMaker), prints their URLs and credentials, writes them to a {@code KEY=value} file that
 * shell scripts can source, and stays up until killed (SIGTERM stops them all).
 *
 * <p>{@code java -cp <lab classpath> io.jenkins.plugins.gerritml.lab.LabServers [env-file] [gerrit] [prefect] [moto]}
 * (no server names: all three). Run it from the project root: Prefect serves {@code examples/prefect/flows.py}.
 */
public final class LabServers {
    private LabServers() {
    }

    public static void main(final String[] args) throws IOException, InterruptedException {
        Path envFile = Path.of(args.length > 0 ? args[0] : "lab-servers.env");
        Set<String> wanted = args.length > 1 ? java.util.Arrays.stream(args).skip(1).collect(Collectors.toSet())
                : Set.of("gerrit", "prefect", "moto");
        Map<String, String> env = new LinkedHashMap<>();
        List<AutoCloseable> started = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable server : started) {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("Cannot stop " + server + ": " + e.getMessage());
                }
            }
            stopped.countDown();
        }, "lab servers shutdown"));
        List<String> timings = new ArrayList<>();
        if (wanted.contains("gerrit")) {
            GerritServer gerrit = GerritServer.start();
            started.add(gerrit);
            env.put("GERRIT_URL", gerrit.url());
            env.put("GERRIT_SSH_HOST", gerrit.host());
            env.put("GERRIT_SSH_PORT", String.valueOf(gerrit.sshPort()));
            env.put("GERRIT_PROJECT_NAME", GerritServer.PROJECT);
            env.put("GERRIT_SSH_KEY_FILE", gerrit.jenkinsSshKeyFile().toAbsolutePath().toString());
            for (LabUser user : List.of(gerrit.admin(), gerrit.jenkins(), gerrit.alice(), gerrit.bob(), gerrit.dana())) {
                String key = user.username().toUpperCase(Locale.ROOT);
                env.put("GERRIT_" + key + "_USER", user.username());
                env.put("GERRIT_" + key + "_PASSWORD", user.httpPassword());
            }
            timings.add("Gerrit init " + gerrit.initTime().toMillis() + " ms, start " + gerrit.lastStartTime().toMillis()
                    + " ms");
        }
        if (wanted.contains("prefect")) {
            PrefectServer prefect = PrefectServer.start().serveExamples();
            started.add(prefect);
            env.put("PREFECT_API_URL", prefect.apiUrl());
            String auth = prefect.authString();
            env.put("PREFECT_USER", auth.substring(0, auth.indexOf(':')));
            env.put("PREFECT_PASSWORD", auth.substring(auth.indexOf(':') + 1));
            env.put("PREFECT_DEPLOYMENTS", PrefectServer.EXAMPLE_FLOWS.stream()
                    .map(flow -> flow + "/" + PrefectServer.EXAMPLE_DEPLOYMENT).collect(Collectors.joining(",")));
            timings.add("Prefect start " + prefect.lastStartDuration().toMillis() + " ms, example flows served after "
                    + prefect.examplesStartDuration().toMillis() + " ms");
        }
        if (wanted.contains("moto")) {
            MotoServer moto = MotoServer.start();
            started.add(moto);
            env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
            env.put("AWS_REGION", "us-east-1");
            timings.add("moto start " + moto.startTime().toMillis() + " ms");
        }
        String text = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(envFile, text);
        System.out.print(text);
        System.out.println("# written to " + envFile.toAbsolutePath() + "; " + String.join("; ", timings)
                + "; stop with SIGTERM");
        System.out.flush();
        stopped.await();
    }
}
