package io.jenkins.plugins.gerritml.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Gerrit server for tests and the demo, started as a child JVM from the Maven Central jars that the lab
 * module copies to {@code lab/target/gerrit-jars} (3.10, system property {@code gerrit.lab.jars}, run on this JVM's
 * Java) or {@code lab/target/gerrit-jars-newer} (a newer line, {@link Line#newer()}, run on a Java 21+ JDK), on free
 * loopback ports.
 *
 * <p>It is provisioned like a real installation: a {@code Verified} label, a {@code jenkins} service account with an
 * HTTP password and an SSH key allowed to stream events and vote Verified, an {@code ML Approvers} group allowed to
 * vote Code-Review +2, reviewers and a developer, and a project {@value #PROJECT}.
 */
public final class GerritServer implements AutoCloseable {
    /** The demo project every lab server has. */
    public static final String PROJECT = "ml-demo";
    /** The group whose members may vote Code-Review +2. */
    public static final String APPROVERS = "ML Approvers";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAGIC = ")]}'";
    private static final int PLUGIN_CHECK_SECONDS = 1;

    /**
     * Which Gerrit to run and on which Java: the jar folder, the {@code java} binary and its extra options.
     *
     * @param name how messages name it, e.g. {@code Gerrit 3.13.5}
     */
    public record Line(String name, Path jars, Path java, List<String> jvmOptions) {
        /** The build's Gerrit (3.10, Java 17 class files) on the test JVM's own Java. */
        public static Line configured() {
            String configured = System.getProperty("gerrit.lab.jars");
            return new Line("Gerrit", configured != null ? Path.of(configured) : Path.of("lab", "target", "gerrit-jars"),
                    Path.of(System.getProperty("java.home"), "bin", "java"), List.of());
        }

        /**
         * The newer Gerrit line the build copies beside it ({@code gerrit.newer.lab.jars}); its Java 21 class files
         * run on the JDK named by {@code gerrit.newer.java} (a Temurin 25 by default), with native access enabled.
         *
         * @throws LabException when that JDK is missing, saying what to install
         */
        public static Line newer() {
            String version = System.getProperty("gerrit.newer.version", "3.13.5");
            Path jars = Path.of(System.getProperty("gerrit.newer.lab.jars",
                    Path.of("lab", "target", "gerrit-jars-newer").toString()));
            Path java = Path.of(System.getProperty("gerrit.newer.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
            if (!Files.isExecutable(java)) {
                throw new LabException("Gerrit " + version + " has Java 21 class files and needs a Java 21 or newer "
                        + "runtime, but there is no executable " + java + ". Install a JDK 21+ there (e.g. "
                        + "apt-get install temurin-25-jdk from packages.adoptium.net) or pass "
                        + "-Dgerrit.newer.java=<path to a Java 21+ bin/java>.");
            }
            return new Line("Gerrit " + version, jars, java, List.of("--enable-native-access=ALL-UNNAMED"));
        }
    }

    private final Line line;
    private final Path site;
    private final Path jars;
    private final int httpPort;
    private final int sshPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LabUser admin = new LabUser("admin", "Administrator", "admin@example.com", "secret");
    private final LabUser jenkins;
    private final LabUser alice;
    private final LabUser bob;
    private final LabUser dana;
    private LabProcess daemon;
    private Duration initTime = Duration.ZERO;
    private Duration lastStartTime = Duration.ZERO;

    private GerritServer(final Path site, final Line line) {
        this.line = line;
        this.site = site;
        this.jars = line.jars();
        this.httpPort = LabProcess.freePort();
        this.sshPort = LabProcess.freePort();
        String run = UUID.randomUUID().toString().substring(0, 8);
        this.jenkins = new LabUser("jenkins", "Jenkins CI", "jenkins@example.com", "jenkins-" + run);
        this.alice = new LabUser("alice", "Alice Approver", "alice@example.com", "alice-" + run);
        this.bob = new LabUser("bob", "Bob Reviewer", "bob@example.com", "bob-" + run);
        this.dana = new LabUser("dana", "Dana Developer", "dana@example.com", "dana-" + run);
    }

    /** Initialises a fresh site in a temporary folder, starts it and provisions it. */
    public static GerritServer start() {
        return start(Line.configured());
    }

    /** Initialises a fresh site of {@code line} in a temporary folder, starts it and provisions it. */
    public static GerritServer start(final Line line) {
        jarFolder(line.jars());
        try {
            Path site = Files.createTempDirectory("gerrit-lab-site");
            GerritServer server = new GerritServer(site, line);
            server.init();
            server.startDaemon();
            server.provision();
            return server;
        } catch (IOException e) {
            throw new LabException("Cannot create a Gerrit site: " + e.getMessage(), e);
        }
    }

    private static Path jarFolder(final Path jars) {
        try (var list = Files.list(jars)) {
            if (list.noneMatch(p -> p.getFileName().toString().startsWith("gerrit-plugin-api"))) {
                throw new LabException("No Gerrit jars in " + jars.toAbsolutePath());
            }
        } catch (IOException | LabException e) {
            throw new LabException("The Gerrit server jars are missing from " + jars.toAbsolutePath()
                    + ". Build with ./mvnw verify from the project root (the lab module copies them from Maven Central"
                    + " in generate-resources) or pass -Dgerrit.lab.jars=<folder>.", e);
        }
        return jars;
    }

    private List<String> java(final String... args) {
        List<String> command = new ArrayList<>(List.of(line.java().toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(line.jvmOptions());
        command.addAll(List.of("-cp", jars.toAbsolutePath() + "/*", "com.google.gerrit.launcher.GerritLauncher"));
        command.addAll(List.of(args));
        return command;
    }

    private void init() throws IOException {
        Files.createDirectories(site.resolve("etc"));
        Files.writeString(site.resolve("etc/gerrit.config"), String.join("\n",
                "[gerrit]",
                "  basePath = git",
                "  canonicalWebUrl = " + url(),
                "[httpd]",
                "  listenUrl = " + url(),
                "[sshd]",
                "  listenAddress = 127.0.0.1:" + sshPort,
                "[auth]",
                "  type = DEVELOPMENT_BECOME_ANY_ACCOUNT",
                "[sendemail]",
                "  enable = false",
                "[index]",
                "  type = lucene",
                "[container]",
                "  javaOptions = -Xmx512m",
                "[plugins]",
                "  allowRemoteAdmin = false",
                // Gerrit looks for new files in site/plugins this often (default: a minute); see installJsPlugin.
                "  checkFrequency = " + PLUGIN_CHECK_SECONDS + " s",
                ""));
        long start = System.nanoTime();
        LabProcess.run("gerrit init", java("init", "--batch", "--dev", "--no-auto-start", "-d", site.toString()),
                site, Map.of(), Duration.ofMinutes(3));
        initTime = Duration.ofNanos(System.nanoTime() - start);
    }

    /** Starts (or restarts) the daemon on the same site and ports; waits until REST answers. */
    public synchronized void startDaemon() {
        if (daemon != null && daemon.isAlive()) {
            return;
        }
        long start = System.nanoTime();
        daemon = LabProcess.start(line.name() + " " + url(), java("daemon", "-d", site.toString(), "--headless",
                "--console-log"), site, Map.of(), site.resolve("logs/lab-console.log"))
                .awaitReady(Duration.ofMinutes(3), () -> LabProcess.httpOk(url() + "config/server/version"));
        lastStartTime = Duration.ofNanos(System.nanoTime() - start);
    }

    /** Stops the daemon (SIGTERM); the site stays for {@link #startDaemon()}. */
    public synchronized void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private void provision() {
        rest(admin, "PUT", "projects/All-Projects/labels/Verified", Map.of(
                "values", Map.of("-1", "Fails", " 0", "No score", "+1", "Verified"),
                "default_value", 0, "function", "NoBlock"));
        String serviceUsers = groupId("Service Users");
        String approvers = rest(admin, "PUT", "groups/" + encode(APPROVERS),
                Map.of("description", "May approve ML promotion", "visible_to_all", true)).get("id").asText();
        try {
            rest(admin, "PUT", "accounts/" + jenkins.username(), Map.of("name", jenkins.fullName(), "email",
                    jenkins.email(), "http_password", jenkins.httpPassword(), "ssh_key", jenkinsSshKey(),
                    "groups", List.of("Service Users")));
        } catch (IOException | JSchException e) {
            throw new LabException("Cannot create the jenkins account's SSH key: " + e.getMessage(), e);
        }
        for (LabUser user : List.of(alice, bob, dana)) {
            rest(admin, "PUT", "accounts/" + user.username(), Map.of("name", user.fullName(), "email", user.email(),
                    "http_password", user.httpPassword()));
        }
        rest(admin, "POST", "groups/" + encode(APPROVERS) + "/members.add",
                Map.of("members", List.of(alice.username(), dana.username())));
        // Gerrit adds a group's creator as a member; the approvers are exactly alice and dana.
        rest(admin, "POST", "groups/" + encode(APPROVERS) + "/members.delete",
                Map.of("members", List.of(admin.username())));
        rest(admin, "POST", "projects/All-Projects/access", Map.of("add", Map.of(
                "GLOBAL_CAPABILITIES", Map.of("permissions", Map.of("streamEvents",
                        Map.of("rules", Map.of(serviceUsers, Map.of("action", "ALLOW"))))),
                "refs/heads/*", Map.of("permissions", Map.of(
                        "label-Verified", Map.of("rules", Map.of(serviceUsers,
                                Map.of("action", "ALLOW", "min", -1, "max", 1))),
                        "label-Code-Review", Map.of("rules", Map.of(approvers,
                                Map.of("action", "ALLOW", "min", -2, "max", 2))))))));
        rest(admin, "PUT", "projects/" + PROJECT, Map.of("create_empty_commit", true,
                "description", "Models reviewed in Gerrit, trained and promoted by Jenkins"));
    }

    private String jenkinsSshKey() throws JSchException, IOException {
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.RSA, 3072);
        ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
        pair.writePrivateKey(privateKey);
        ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
        pair.writePublicKey(publicKey, "jenkins@gerrit-lab");
        pair.dispose();
        Path keyFile = site.resolve("lab/jenkins_id_rsa");
        Files.createDirectories(keyFile.getParent());
        Files.write(keyFile, privateKey.toByteArray());
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        return publicKey.toString(StandardCharsets.US_ASCII).trim();
    }

    private String groupId(final String name) {
        return rest(admin, "GET", "groups/" + encode(name), null).get("id").asText();
    }

    // ---------------------------------------------------------------- what tests and the demo use

    /** The canonical web URL with a trailing slash, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** Which Gerrit line this is and on which Java it runs. */
    public Line line() {
        return line;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int httpPort() {
        return httpPort;
    }

    public int sshPort() {
        return sshPort;
    }

    public LabUser admin() {
        return admin;
    }

    /** The CI bot: HTTP password for REST, {@link #jenkinsSshKeyFile()} for stream-events. */
    public LabUser jenkins() {
        return jenkins;
    }

    /** A member of {@value #APPROVERS}. */
    public LabUser alice() {
        return alice;
    }

    /** A registered user without +2 rights. */
    public LabUser bob() {
        return bob;
    }

    /** The developer who uploads changes; also a member of {@value #APPROVERS} (to try self-approval). */
    public LabUser dana() {
        return dana;
    }

    public Path jenkinsSshKeyFile() {
        return site.resolve("lab/jenkins_id_rsa");
    }

    public Path site() {
        return site;
    }

    public Duration initTime() {
        return initTime;
    }

    public Duration lastStartTime() {
        return lastStartTime;
    }

    /** Resident memory of the Gerrit JVM in MiB. */
    public long residentMiB() {
        return daemon == null ? -1 : daemon.residentMiB();
    }

    public String logTail(final int lines) {
        return daemon == null ? "" : daemon.logTail(lines);
    }

    /**
     * Creates a change as {@code owner} through the REST API and a change edit of one file. Gerrit makes an empty
     * patch set 1 on creation, so the published edit is patch set 2; the returned change says which.
     */
    public LabChange createChange(final LabUser owner, final String subject, final String path, final String content) {
        return createChange(owner, PROJECT, subject, path, content);
    }

    /** As {@link #createChange(LabUser, String, String, String)}, in {@code project}. */
    public LabChange createChange(final LabUser owner, final String project, final String subject, final String path,
            final String content) {
        JsonNode created = rest(owner, "POST", "changes/", Map.of("project", project, "branch", "master",
                "subject", subject));
        String id = created.get("id").asText();
        writeFile(owner, id, path, content);
        return change(owner, id);
    }

    /**
     * Creates {@code name} (with an empty first commit on master) unless it exists: a project of its own keeps a
     * test's settings, such as a repository policy, from reaching other tests on the shared server.
     */
    public synchronized void createProject(final String name) {
        try {
            rest(admin, "GET", "projects/" + encode(name), null);
        } catch (LabException missing) {
            rest(admin, "PUT", "projects/" + encode(name), Map.of("create_empty_commit", true));
        }
    }

    /** Uploads a new patch set to {@code change} by editing one file. */
    public LabChange newPatchSet(final LabUser uploader, final LabChange change, final String path,
            final String content) {
        String id = change.project() + "~" + change.number();
        writeFile(uploader, id, path, content);
        return change(uploader, id);
    }

    private void writeFile(final LabUser user, final String id, final String path, final String content) {
        send(user, "PUT", "changes/" + id + "/edit/" + encode(path),
                HttpRequest.BodyPublishers.ofString(content), "application/octet-stream");
        rest(user, "POST", "changes/" + id + "/edit:publish", Map.of("notify", "NONE"));
    }

    /** Pushes a commit with {@code files} to {@code refs/for/master} with the real git client, as {@code user}. */
    public LabChange pushChange(final LabUser user, final String subject, final Map<String, String> files) {
        try {
            Path work = Files.createTempDirectory("gerrit-lab-push");
            String remote = "http://" + user.username() + ":" + user.httpPassword() + "@127.0.0.1:" + httpPort + "/a/"
                    + PROJECT;
            Map<String, String> env = Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_CONFIG_NOSYSTEM", "1",
                    "HOME", work.toString());
            LabProcess.run("git clone", List.of("git", "clone", "-q", remote, "repo"), work, env, Duration.ofMinutes(1));
            Path repo = work.resolve("repo");
            Path hook = repo.resolve(".git/hooks/commit-msg");
            Files.write(hook, get(user, "tools/hooks/commit-msg", false));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = repo.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            LabProcess.run("git add", List.of("git", "add", "-A"), repo, env, Duration.ofSeconds(30));
            LabProcess.run("git commit", List.of("git", "-c", "user.name=" + user.fullName(), "-c",
                    "user.email=" + user.email(), "commit", "-q", "-m", subject), repo, env, Duration.ofSeconds(30));
            String output = LabProcess.run("git push", List.of("git", "push", "origin", "HEAD:refs/for/master"),
                    repo, env, Duration.ofMinutes(1));
            String sha = LabProcess.run("git rev-parse", List.of("git", "rev-parse", "HEAD"), repo, env,
                    Duration.ofSeconds(30)).trim();
            JsonNode found = rest(user, "GET", "changes/?q=commit:" + sha, null);
            if (found.size() != 1) {
                throw new LabException("git push did not create a change for " + sha + ": " + output);
            }
            return change(user, PROJECT + "~" + found.get(0).get("_number").asInt());
        } catch (IOException e) {
            throw new LabException("git push to the lab Gerrit failed: " + e.getMessage(), e);
        }
    }

    /** Votes as {@code user} on the current patch set. */
    public void vote(final LabUser user, final LabChange change, final String label, final int value) {
        rest(user, "POST", "changes/" + change.project() + "~" + change.number() + "/revisions/current/review",
                Map.of("labels", Map.of(label, value), "notify", "NONE"));
    }

    /** Submits (merges) the change as admin. */
    public void submit(final LabChange change) {
        rest(admin, "POST", "changes/" + change.project() + "~" + change.number() + "/submit", Map.of());
    }

    /** Abandons the change as its owner {@code user}. */
    public void abandon(final LabUser user, final LabChange change) {
        rest(user, "POST", "changes/" + change.project() + "~" + change.number() + "/abandon",
                Map.of("notify", "NONE"));
    }

    /** Creates a label on All-Projects, e.g. {@code Model-Verified}, and lets the jenkins bot vote it. */
    public void createLabel(final String label) {
        rest(admin, "PUT", "projects/All-Projects/labels/" + encode(label), Map.of(
                "values", Map.of("-1", "Worse", " 0", "No score", "+1", "Better"),
                "default_value", 0, "function", "NoBlock"));
        rest(admin, "POST", "projects/All-Projects/access", Map.of("add", Map.of("refs/heads/*",
                Map.of("permissions", Map.of("label-" + label, Map.of("rules", Map.of(groupId("Service Users"),
                        Map.of("action", "ALLOW", "min", -1, "max", 1))))))));
    }

    /**
     * Installs a web (JavaScript) plugin the way an administrator does: copies {@code jsFile} into
     * {@code site/plugins/} (Gerrit names the plugin after the file, e.g. {@code gerrit-ml-checks.js} is
     * {@code gerrit-ml-checks}), then waits until {@code GET /config/server/info} lists it under
     * {@code plugin.js_resource_paths}, which is what the web UI loads.
     *
     * @return the path the server lists for it, relative to {@link #url()}, e.g.
     *         {@code plugins/gerrit-ml-checks/static/gerrit-ml-checks.js}
     * @throws LabException when the file cannot be copied or Gerrit does not list it within {@code timeout}
     */
    public String installJsPlugin(final Path jsFile, final Duration timeout) {
        String fileName = jsFile.getFileName().toString();
        if (!fileName.endsWith(".js")) {
            throw new LabException("A web plugin is a .js file; " + jsFile + " is not");
        }
        String name = fileName.substring(0, fileName.length() - ".js".length());
        try {
            Path plugins = Files.createDirectories(site.resolve("plugins"));
            Path target = plugins.resolve(fileName + ".tmp");
            Files.copy(jsFile, target, StandardCopyOption.REPLACE_EXISTING);
            // Renamed into place, so Gerrit's scan never reads a half-written file.
            Files.move(target, plugins.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("Cannot copy " + jsFile + " into " + site.resolve("plugins") + ": "
                    + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> listed = List.of();
        while (System.nanoTime() < deadline) {
            listed = jsResourcePaths();
            for (String path : listed) {
                if (path.contains("/" + name + "/") || path.endsWith("/" + fileName)) {
                    return path;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("Interrupted while waiting for Gerrit to load the web plugin " + name, e);
            }
        }
        throw new LabException("Gerrit did not load the web plugin " + name + " within " + timeout.toSeconds()
                + " s of copying " + fileName + " to " + site.resolve("plugins") + " (plugins.checkFrequency is "
                + PLUGIN_CHECK_SECONDS + " s); /config/server/info lists js_resource_paths " + listed
                + ". Gerrit's log ends with:\n" + logTail(30));
    }

    /** What {@code GET /config/server/info} lists under {@code plugin.js_resource_paths}. */
    public List<String> jsResourcePaths() {
        List<String> paths = new ArrayList<>();
        JsonNode plugin = rest(admin, "GET", "config/server/info", null).path("plugin");
        plugin.path("js_resource_paths").forEach(path -> paths.add(path.asText()));
        return paths;
    }

    /** Reads a change as admin with labels, messages and the current revision. */
    public JsonNode readChange(final LabChange change) {
        return rest(admin, "GET", "changes/" + change.project() + "~" + change.number()
                + "?o=DETAILED_LABELS&o=MESSAGES&o=CURRENT_REVISION&o=CURRENT_COMMIT&o=DETAILED_ACCOUNTS", null);
    }

    private LabChange change(final LabUser user, final String id) {
        JsonNode info = rest(user, "GET", "changes/" + id + "?o=CURRENT_REVISION", null);
        String revision = info.get("current_revision").asText();
        JsonNode rev = info.get("revisions").get(revision);
        return new LabChange(info.get("project").asText(), info.get("branch").asText(), info.get("_number").asInt(),
                info.get("change_id").asText(), rev.get("_number").asInt(), revision, rev.get("ref").asText(),
                info.get("subject").asText());
    }

    /** An authenticated REST call ({@code /a/...}) as {@code user}; fails on any non-2xx with Gerrit's reply. */
    public JsonNode rest(final LabUser user, final String method, final String path, final Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            String text = send(user, method, path, publisher, "application/json");
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new LabException("Bad JSON from Gerrit for " + method + " " + path + ": " + e.getMessage(), e);
        }
    }

    private byte[] get(final LabUser user, final String path, final boolean authenticated) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + (authenticated ? "a/" : "") + path))
                .header("Authorization", basic(user)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new LabException("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new LabException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted", e);
        }
    }

    private String send(final LabUser user, final String method, final String path,
            final HttpRequest.BodyPublisher body, final String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "a/" + path))
                .header("Authorization", basic(user)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60)).method(method, body).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new LabException("Gerrit answered " + response.statusCode() + " to " + method + " " + path
                        + " as " + user.username() + ": " + response.body());
            }
            String text = response.body();
            return text.startsWith(MAGIC) ? text.substring(MAGIC.length()) : text;
        } catch (IOException e) {
            throw new LabException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted", e);
        }
    }

    private static String basic(final LabUser user) {
        return "Basic " + Base64.getEncoder().encodeToString((user.username() + ":" + user.httpPassword())
                .getBytes(StandardCharsets.UTF_8));
    }

    static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An empty JSON object, handy for request bodies built in tests. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        stopDaemon();
        try {
            PythonEnv.deleteRecursively(site);
        } catch (IOException e) {
            // A leftover temp folder is harmless.
        }
    }
}
