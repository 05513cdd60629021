package io.jenkins.plugins.gerritml.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** The state types of a flow run that is not over: it holds a runner slot or waits for one. */
    public static final List<String> ACTIVE_STATE_TYPES = List.of("SCHEDULED", "PENDING", "RUNNING", "PAUSED",
            "CANCELLING");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PythonEnv python;
    private final Path home;
    private final int port;
    private final String authString;
    private LabProcess server;
    private LabProcess examples;
    private Duration lastStartDuration = Duration.ZERO;
    private Duration examplesStartDuration = Duration.ZERO;
    private int starts;
    private final int runLimit = Integer.getInteger("gerritml.prefect.runLimit", 4);

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
        env.put("GERRITML_PREFECT_RUN_LIMIT", Integer.toString(runLimit));
        examples = LabProcess.start("Prefect example flows", List.of(python.python().toString(), flows.toString()),
                projectRoot(), env, home.resolve("examples.log"));
        examples.awaitReady(START_TIMEOUT, () -> EXAMPLE_FLOWS.stream()
                .allMatch(flow -> status("/deployments/name/" + flow + "/" + EXAMPLE_DEPLOYMENT) == 200));
        examplesStartDuration = Duration.ofNanos(System.nanoTime() - begin);
        return this;
    }

    /**
     * Fails, with the runner's log tail, unless the example-flow runner is alive and has a free run slot. A runner
     * that died (Prefect's runner exits when it cannot reach the server for a while) would otherwise leave every
     * later run {@code Scheduled}, then {@code Late}, with nobody to pick it up.
     */
    public synchronized void checkRunner() {
        if (examples == null) {
            return;
        }
        if (!examples.isAlive()) {
            throw new LabException("The Prefect example-flow runner (pid " + examples.pid() + ") has exited, so no "
                    + "flow run of this server would start. Its log " + examplesLog() + " ends:\n"
                    + examplesLogTail(40));
        }
        List<ActiveFlowRun> running = activeFlowRuns().stream()
                .filter(run -> run.stateType().equals("RUNNING") || run.stateType().equals("PENDING")).toList();
        if (running.size() >= runLimit) {
            throw new LabException("The Prefect example-flow runner has no free slot: " + running.size() + " of "
                    + runLimit + " runs are still going (" + running + "). Its log ends:\n" + examplesLogTail(20));
        }
    }

    /**
     * Registers another deployment of an example flow that no runner serves, on a new work pool ({@code process}
     * type) that no worker polls: its runs stay {@code Scheduled}, then {@code Late}, as on a server whose workers
     * are down. Returns its name, {@code flow/deployment}.
     */
    public String deployWithoutWorker(final String flow, final String deployment, final String workPool) {
        JsonNode served = get("/deployments/name/" + flow + "/" + EXAMPLE_DEPLOYMENT);
        post("/work_pools/", "{\"name\":" + toJson(workPool) + ",\"type\":\"process\"}");
        post("/deployments/", "{\"name\":" + toJson(deployment) + ",\"flow_id\":" + toJson(served.path("flow_id")
                .asText()) + ",\"work_pool_name\":" + toJson(workPool) + ",\"enforce_parameter_schema\":false}");
        return flow + "/" + deployment;
    }

    /** Creates a flow run of {@code flow/deployment} with {@code parametersJson} (a JSON object); returns its id. */
    public String createFlowRun(final String deployment, final String parametersJson) {
        JsonNode found = get("/deployments/name/" + deployment);
        return post("/deployments/" + found.path("id").asText() + "/create_flow_run",
                "{\"parameters\":" + parametersJson + "}").path("id").asText();
    }

    /** The state type of a flow run, e.g. {@code RUNNING}. */
    public String flowRunStateType(final String id) {
        return get("/flow_runs/" + id).path("state_type").asText();
    }

    /** The process id of the example-flow runner, or -1 if it was not started. */
    public long runnerPid() {
        return examples == null ? -1 : examples.pid();
    }

    /** Flow runs of this server that are not over (any deployment), oldest first. */
    public List<ActiveFlowRun> activeFlowRuns() {
        String body = "{\"sort\":\"EXPECTED_START_TIME_ASC\",\"limit\":200,\"flow_runs\":{\"state\":{\"type\":"
                + "{\"any_\":" + toJson(ACTIVE_STATE_TYPES) + "}}}}";
        JsonNode runs = post("/flow_runs/filter", body);
        List<ActiveFlowRun> active = new ArrayList<>();
        for (JsonNode run : runs) {
            active.add(new ActiveFlowRun(run.path("id").asText(), run.path("name").asText(),
                    run.path("state_type").asText(), run.path("state_name").asText()));
        }
        return active;
    }

    /**
     * Ends every flow run that is not over, so that nothing a test started holds a runner slot or waits in the
     * queue for the next test: running ones are cancelled through Prefect's CANCELLING (the runner stops their
     * process), queued ones are set CANCELLED directly (no process to stop). Waits until all are terminal; what
     * Prefect has not ended by {@code timeout} is forced to CANCELLED. Returns the runs it found.
     */
    public List<ActiveFlowRun> endActiveFlowRuns(final Duration timeout) {
        List<ActiveFlowRun> found = activeFlowRuns();
        for (ActiveFlowRun run : found) {
            boolean hasProcess = run.stateType().equals("RUNNING") || run.stateType().equals("CANCELLING");
            if (!run.stateType().equals("CANCELLING")) {
                setState(run.id(), hasProcess ? "CANCELLING" : "CANCELLED", !hasProcess);
            }
        }
        long end = System.nanoTime() + timeout.toNanos();
        List<ActiveFlowRun> left = found.isEmpty() ? List.of() : activeFlowRuns();
        while (!left.isEmpty() && System.nanoTime() < end) {
            LabProcess.sleep(Duration.ofMillis(250));
            left = activeFlowRuns();
        }
        for (ActiveFlowRun run : left) {
            setState(run.id(), "CANCELLED", true);
        }
        return found;
    }

    /** A flow run that is not over, as {@link #activeFlowRuns()} lists it. */
    public record ActiveFlowRun(String id, String name, String stateType, String stateName) {
        @Override
        public String toString() {
            return "'" + name + "' " + id + " " + stateName + " (" + stateType + ")";
        }
    }

    private void setState(final String id, final String type, final boolean force) {
        post("/flow_runs/" + id + "/set_state", "{\"state\":{\"type\":\"" + type + "\",\"message\":\"ended by the "
                + "test lab's clean-up\"},\"force\":" + force + "}");
    }

    private JsonNode get(final String path) {
        return call("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    private JsonNode post(final String path, final String body) {
        return call("POST", path, HttpRequest.BodyPublishers.ofString(body));
    }

    /** One REST call; a busy answer (SQLite locked: 503, or 429/502/504) is retried for about 20 s. */
    private JsonNode call(final String method, final String path, final HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(authString.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body).build();
        long pause = 250;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new LabException("Cannot reach the lab's Prefect server at " + apiUrl() + ": " + e.getMessage(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("Interrupted while calling Prefect", e);
            }
            int status = response.statusCode();
            boolean busy = status == 429 || status == 502 || status == 503 || status == 504;
            if (busy && attempt < 12) {
                LabProcess.sleep(Duration.ofMillis(pause));
                pause = Math.min(pause * 2, 2000);
                continue;
            }
            if (status / 100 != 2) {
                throw new LabException("Prefect answered " + status + " to " + method + " " + path + " (attempt "
                        + attempt + "): " + response.body());
            }
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new LabException("Prefect's answer to " + method + " " + path + " is not JSON: "
                        + e.getMessage(), e);
            }
        }
    }

    private static String toJson(final Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new LabException("Cannot write JSON: " + e.getMessage(), e);
        }
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
