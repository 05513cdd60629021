package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real self-hosted Prefect server ({@code prefect server start}, SQLite in a temporary directory, a free loopback
 * port, basic auth on) and, on request, the example flows of {@code examples/prefect/flows.py} served against it.
 *
 * <p>The server can be stopped and started again on the same port and database ({@link #restart()}), which is how
 * tests show that a followed flow run survives a server restart.
 */
public final class PrefectServer implements AutoCloseable {
    /** The deployment name every example flow is served under: {@code <flow-name>/gerrit-ml}. */
    public static final String EXAMPLE_DEPLOYMENT = "gerrit-ml";
    /** The flows {@code examples/prefect/flows.py} serves. */
    public static final List<String> EXAMPLE_FLOWS = List.of("train-model", "failing-flow", "sleeping-flow",
            "typed-parameters");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final PythonEnv python;
    private final Path home;
    private final int port;
    private final String authString;
    private LabProcess server;
    private LabProcess examples;
    private Duration lastStartDuration = Duration.ZERO;
    private Duration examplesStartDuration = Duration.ZERO;
    private int starts;

    private PrefectServer(final PythonEnv python, final Path home, final int port, final String authString) {
        this.python = python;
        this.home = home;
        this.port = port;
        this.authString = authString;
    }

    /** Creates the virtualenv if needed and starts a server on a free loopback port with a random basic-auth login. */
    public static PrefectServer start() {
        PythonEnv python = PythonEnv.require("prefect");
        try {
            Path home = Files.createTempDirectory("gerrit-ml-prefect-");
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            PrefectServer started = new PrefectServer(python, home, LabProcess.freePort(),
                    "lab:" + HexFormat.of().formatHex(secret));
            started.startServer();
            return started;
        } catch (IOException e) {
            throw new LabException("Cannot create a home directory for the Prefect server: " + e.getMessage(), e);
        }
    }

    private void startServer() {
        long begin = System.nanoTime();
        Map<String, String> env = prefectEnvironment(home.resolve("server"));
        env.put("PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///" + home.resolve("prefect.db"));
        env.put("PREFECT_SERVER_API_AUTH_STRING", authString);
        // The UI stays on: flow-run links posted to Gerrit must open a page.
        env.put("PREFECT_UI_ENABLED", "true");
        env.put("PREFECT_SERVER_ANALYTICS_ENABLED", "false");
        starts++;
        server = LabProcess.start("Prefect server", List.of(python.bin("prefect").toString(), "server", "start",
                "--host", "127.0.0.1", "--port", Integer.toString(port)), home, env,
                home.resolve("server-" + starts + ".log"));
        server.awaitReady(START_TIMEOUT, () -> LabProcess.httpOk(apiUrl() + "/health"));
        lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
    }

    /**
     * Serves the example flows (one deployment per flow, {@code <flow>/gerrit-ml}) from a child process whose runner
     * polls every second; returns once all deployments are registered. Does nothing if they are already served.
     */
    public synchronized PrefectServer serveExamples() {
        if (examples != null && examples.isAlive()) {
            return this;
        }
        Path flows = projectRoot().resolve("examples/prefect/flows.py");
        if (!Files.isRegularFile(flows)) {
            throw new LabException("The example flows are missing: " + flows);
        }
        long begin = System.nanoTime();
        Map<String, String> env = prefectEnvironment(home.resolve("runner"));
        env.put("PREFECT_API_URL", apiUrl());
        env.put("PREFECT_API_AUTH_STRING", authString);
        env.put("PREFECT_RUNNER_POLL_FREQUENCY", "1");
        env.put("PREFECT_LOGGING_TO_API_BATCH_INTERVAL", "0.5");
        env.put("GERRITML_PREFECT_DEPLOYMENT", EXAMPLE_DEPLOYMENT);
        env.put("GERRITML_PREFECT_RUN_LIMIT", System.getProperty("gerritml.prefect.runLimit", "4"));
        examples = LabProcess.start("Prefect example flows", List.of(python.python().toString(), flows.toString()),
                projectRoot(), env, home.resolve("examples.log"));
        examples.awaitReady(START_TIMEOUT, () -> EXAMPLE_FLOWS.stream()
                .allMatch(flow -> status("/deployments/name/" + flow + "/" + EXAMPLE_DEPLOYMENT) == 200));
        examplesStartDuration = Duration.ofNanos(System.nanoTime() - begin);
        return this;
    }

    /** Stops the server process (SIGTERM) but keeps its database; flow runs in progress keep running. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Starts the server again on the same port and database after {@link #stop()}. */
    public synchronized void startAgain() {
        if (server != null && server.isAlive()) {
            throw new LabException("The Prefect server is still running on port " + port);
        }
        startServer();
    }

    /** Stops and starts the server on the same port and database. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    /** The REST API base, e.g. {@code http://127.0.0.1:4242/api}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port + "/api";
    }

    /** Where the UI would be: self-hosted flow-run links are {@code <uiUrl>/runs/flow-run/<id>}. */
    public String uiUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The {@code user:password} string the server requires as HTTP basic auth. */
    public String authString() {
        return authString;
    }

    /** How long the last (re)start took until {@code /api/health} answered. */
    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** How long it took the example flows' deployments to be registered. */
    public Duration examplesStartDuration() {
        return examplesStartDuration;
    }

    public boolean isRunning() {
        return server != null && server.isAlive();
    }

    /** Resident memory of the server process and its children, MiB. */
    public long residentMiB() {
        return server == null ? -1 : server.residentMiB();
    }

    public Path serverLog() {
        return home.resolve("server-" + starts + ".log");
    }

    public Path examplesLog() {
        return home.resolve("examples.log");
    }

    /** The last lines of the example flows' runner log, for failure messages. */
    public String examplesLogTail(final int lines) {
        return LabProcess.tail(examplesLog(), lines);
    }

    /** The HTTP status of an authenticated GET on {@code apiUrl() + path}, or -1 when unreachable. */
    public int status(final String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(authString.getBytes(StandardCharsets.UTF_8)))
                    .GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (LabProcess process : new LabProcess[] {examples, server}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            PythonEnv.deleteRecursively(home);
        } catch (IOException e) {
            // A leftover temp dir is harmless; the log files in it may help.
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static Map<String, String> prefectEnvironment(final Path prefectHome) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PREFECT_HOME", prefectHome.toString());
        env.put("PREFECT_PROFILES_PATH", prefectHome.resolve("profiles.toml").toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("NO_COLOR", "1");
        // Never reach out: no telemetry, no version checks, no hosted UI.
        env.put("DO_NOT_TRACK", "1");
        try {
            Files.createDirectories(prefectHome);
        } catch (IOException e) {
            throw new LabException("Cannot create " + prefectHome + ": " + e.getMessage(), e);
        }
        return env;
    }

    /** The checkout root: {@code -Dgerritml.project.root} (set by the build), else the nearest parent with examples/. */
    static Path projectRoot() {
        String configured = System.getProperty("gerritml.project.root");
        if (configured != null) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("examples/prefect"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new LabException("Cannot find the project root (a folder with examples/prefect); set "
                + "-Dgerritml.project.root");
    }
}
