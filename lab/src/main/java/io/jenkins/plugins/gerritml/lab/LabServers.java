package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the lab servers a Jenkins needs to run the examples by hand (a real Gerrit), prints their URLs and
 * credentials, writes them to a {@code KEY=value} file that shell scripts can source, and stays up until killed.
 *
 * <p>{@code java -cp <lab classpath> io.jenkins.plugins.gerritml.lab.LabServers [env-file]}
 */
public final class LabServers {
    private LabServers() {
    }

    public static void main(final String[] args) throws IOException, InterruptedException {
        Path envFile = Path.of(args.length > 0 ? args[0] : "lab-servers.env");
        Map<String, String> env = new LinkedHashMap<>();
        GerritServer gerrit = GerritServer.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gerrit.close();
            stopped.countDown();
        }, "lab servers shutdown"));
        env.put("GERRIT_URL", gerrit.url());
        env.put("GERRIT_SSH_HOST", gerrit.host());
        env.put("GERRIT_SSH_PORT", String.valueOf(gerrit.sshPort()));
        env.put("GERRIT_PROJECT_NAME", GerritServer.PROJECT);
        env.put("GERRIT_SSH_KEY_FILE", gerrit.jenkinsSshKeyFile().toAbsolutePath().toString());
        for (LabUser user : new LabUser[] {gerrit.admin(), gerrit.jenkins(), gerrit.alice(), gerrit.bob(),
                gerrit.dana()}) {
            String key = user.username().toUpperCase(java.util.Locale.ROOT);
            env.put("GERRIT_" + key + "_USER", user.username());
            env.put("GERRIT_" + key + "_PASSWORD", user.httpPassword());
        }
        String text = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(envFile, text);
        System.out.print(text);
        System.out.println("# written to " + envFile.toAbsolutePath() + "; Gerrit init " + gerrit.initTime().toSeconds()
                + " s, start " + gerrit.lastStartTime().toSeconds() + " s; stop with SIGTERM");
        System.out.flush();
        stopped.await();
    }
}
