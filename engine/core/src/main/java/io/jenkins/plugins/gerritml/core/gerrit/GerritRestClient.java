package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.core.gerrit.dto.AccountInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ChangeInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ChangeMessageInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.CommentInput;
import io.jenkins.plugins.gerritml.core.gerrit.dto.FileInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ReviewInput;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ReviewResult;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gerrit's REST API over HTTP basic auth on {@code /a/}: post reviews (votes, message with links, file comments) and
 * read changes, votes, groups and files.
 *
 * <p>5xx replies and I/O failures are retried with capped backoff; a review is never dropped silently: after the
 * last attempt it fails with Gerrit's reply. 4xx replies are not retried and come back as
 * {@link GerritRestException}s that say what to fix. The password never appears in a message.
 */
public final class GerritRestClient {
    private static final String MAGIC = ")]}'";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern UNKNOWN_LABEL = Pattern.compile("label \"([^\"]+)\" is not a configured label");
    private static final Pattern RESTRICTED = Pattern.compile("Applying label \"([^\"]+)\": (-?\\d+) is restricted");

    /** Five attempts, 1 s doubling to 15 s: about half a minute of patience for a restarting Gerrit. */
    public static final int DEFAULT_ATTEMPTS = 5;
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(15));

    private final GerritRestConfig config;
    private final String baseUrl;
    private final int attempts;
    private final Backoff backoff;
    private final Consumer<String> log;
    private final HttpClient http;

    /** A client with the default retries and no progress log. */
    public GerritRestClient(final GerritRestConfig config) {
        this(config, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, message -> { });
    }

    /**
     * A client; {@code log} receives one line per retry (for the build console).
     *
     * @throws IllegalArgumentException when the URL, user or password is missing or malformed
     */
    public GerritRestClient(final GerritRestConfig config, final int attempts, final Backoff backoff,
            final Consumer<String> log) {
        this.config = config;
        this.baseUrl = validatedUrl(config.getGerritFrontEndUrl());
        if (config.getUsername() == null || config.getUsername().isBlank()) {
            throw new IllegalArgumentException("No Gerrit HTTP user for " + baseUrl + ": set the user name of the CI "
                    + "account (Gerrit: Settings → HTTP Credentials) in the credentials.");
        }
        if (config.getPassword().isEmpty()) {
            throw new IllegalArgumentException("No HTTP password for Gerrit user '" + config.getUsername() + "' at "
                    + baseUrl + ": generate one in Gerrit (Settings → HTTP Credentials) and store it in the credentials.");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.log = log;
        this.http = config.newHttpClientBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String validatedUrl(final String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("No Gerrit URL: set the front-end URL, e.g. https://review.example.com/");
        }
        try {
            URI uri = new URI(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("Gerrit URL '" + url + "' must be an absolute http(s) URL, e.g. "
                        + "https://review.example.com/");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException("Gerrit URL must not carry a user or password; use credentials");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Gerrit URL '" + url + "' is malformed: " + e.getMessage(), e);
        }
        String trimmed = url.trim();
        return trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }

    /** The front-end URL with a trailing slash. */
    public String getBaseUrl() {
        return baseUrl;
    }

    /** The Gerrit version: a cheap reachability and credentials check. */
    public String getVersion() {
        return read("config/server/version", new TypeReference<String>() { });
    }

    // ------------------------------------------------------------------------------------------------ reviews

    /**
     * Posts {@code review} on the patch set {@code change} was built from (by revision, never "current", so a vote
     * cannot land on a newer patch set).
     *
     * @throws GerritRestException when Gerrit refuses it or stays unreachable; the message says what to fix
     */
    public ReviewResult postReview(final GerritChange change, final Review review) {
        if (!change.hasPatchSet()) {
            throw new IllegalArgumentException("Cannot vote on " + change.getRestId() + ": the build's Gerrit context "
                    + "names no patch set revision (GERRIT_PATCHSET_REVISION).");
        }
        if (!review.getLabels().isEmpty()) {
            checkLabelsMayBeVoted(change, review);
        }
        ReviewInput input = new ReviewInput();
        input.message = mask(review.renderMessage());
        input.tag = review.getTag();
        input.labels = review.getLabels().isEmpty() ? null : new LinkedHashMap<>(review.getLabels());
        input.notify = review.getNotify().name();
        input.ignore_automatic_attention_set_rules = true;
        input.strict_labels = true; // an unknown label must fail, not vanish
        if (!review.getComments().isEmpty()) {
            Map<String, List<CommentInput>> comments = new LinkedHashMap<>();
            for (FileComment comment : review.getComments()) {
                CommentInput c = new CommentInput();
                c.path = comment.getPath();
                c.line = comment.getLine() > 0 ? comment.getLine() : null;
                c.message = mask(comment.getMessage());
                c.unresolved = false;
                comments.computeIfAbsent(comment.getPath(), p -> new ArrayList<>()).add(c);
            }
            input.comments = comments;
            input.omit_duplicate_comments = true;
        }
        String path = "changes/" + changeId(change.getProject(), change.getChangeNumber()) + "/revisions/"
                + change.getRevision() + "/review";
        ReviewResult result;
        try {
            result = send("POST", path, JSON.writeValueAsString(input), new TypeReference<ReviewResult>() { },
                    "post " + review + " to " + change.getRestId() + " patch set " + change.getPatchSetNumber());
        } catch (GerritRestException e) {
            throw explainReviewFailure(change, review, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String label : review.getLabels().keySet()) {
            if (result.labels == null || !result.labels.containsKey(label)) {
                throw new GerritRestException(GerritRestException.Kind.UNKNOWN_LABEL, 200, "Gerrit took the review on "
                        + change.getRestId() + " but did not apply the vote on " + label + ": check that the label "
                        + "exists on " + change.getProject() + " and applies to branch " + change.getBranch() + ".",
                        null);
            }
        }
        return result;
    }

    /**
     * Reads which labels and values the CI account may vote on the change, so an unknown label or a forbidden value
     * fails before anything is posted (Gerrit would otherwise drop an unknown label without a word).
     */
    private void checkLabelsMayBeVoted(final GerritChange change, final Review review) {
        ChangeInfo info = read("changes/" + changeId(change.getProject(), change.getChangeNumber())
                + "?o=DETAILED_LABELS", new TypeReference<ChangeInfo>() { });
        Map<String, List<String>> permitted = info.permitted_labels == null ? Map.of() : info.permitted_labels;
        Set<String> existing = info.labels == null ? Set.of() : info.labels.keySet();
        for (Map.Entry<String, Integer> vote : review.getLabels().entrySet()) {
            String label = vote.getKey();
            if (!existing.contains(label)) {
                throw new GerritRestException(GerritRestException.Kind.UNKNOWN_LABEL, 0, "Gerrit has no label '" + label
                        + "' on project " + change.getProject() + ": ask a Gerrit admin to create it (see the admin "
                        + "guide) or vote a label that exists. Labels on this change: " + String.join(", ", existing)
                        + ". Nothing was posted.", null);
            }
            List<String> values = permitted.getOrDefault(label, List.of());
            boolean allowed = values.stream().anyMatch(v -> Integer.parseInt(v.trim().replace("+", ""))
                    == vote.getValue());
            if (!allowed) {
                throw new GerritRestException(GerritRestException.Kind.FORBIDDEN, 0, "Gerrit user '"
                        + config.getUsername() + "' may not vote " + label + " " + signed(vote.getValue()) + " on "
                        + change.getProject() + " branch " + change.getBranch() + " (it may vote "
                        + (values.isEmpty() ? "nothing" : String.join(", ", values).replace("  ", " ").trim())
                        + "): grant label-" + label + " with that range to the CI account's group, or vote within "
                        + "what it may. Nothing was posted.", null);
            }
        }
    }

    private GerritRestException explainReviewFailure(final GerritChange change, final Review review,
            final GerritRestException e) {
        String reply = e.getMessage();
        Matcher unknown = UNKNOWN_LABEL.matcher(reply);
        if (unknown.find()) {
            String labels = "";
            try {
                labels = " Labels on this change: " + String.join(", ", getChange(change.getRestId()).getLabels())
                        + ".";
            } catch (GerritRestException ignored) {
                // the list is a courtesy
            }
            return new GerritRestException(GerritRestException.Kind.UNKNOWN_LABEL, e.getStatus(), "Gerrit has no label '"
                    + unknown.group(1) + "' on project " + change.getProject() + ": ask a Gerrit admin to create it "
                    + "(see the admin guide) or vote a label that exists." + labels, e);
        }
        Matcher restricted = RESTRICTED.matcher(reply);
        if (restricted.find()) {
            return new GerritRestException(GerritRestException.Kind.FORBIDDEN, e.getStatus(), "Gerrit user '"
                    + config.getUsername() + "' may not vote " + restricted.group(1) + " "
                    + signed(Integer.parseInt(restricted.group(2))) + " on " + change.getProject() + " branch "
                    + change.getBranch() + ": grant label-" + restricted.group(1) + " with that range to the CI "
                    + "account's group, or vote within what it may. Gerrit said: " + restricted.group(0), e);
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** The change now: status, every patch set with its uploader, current votes with accounts and dates. */
    public LiveChange getChange(final String restId) {
        return getChange(restId, false);
    }

    /**
     * The change now, and with {@code submitRequirements} also Gerrit's submit requirements evaluated on the current
     * patch set (they cost Gerrit a query per requirement, so only when a gate asks for them).
     */
    public LiveChange getChange(final String restId, final boolean submitRequirements) {
        return LiveChange.fromChangeInfo(read("changes/" + encodeId(restId)
                + "?o=DETAILED_LABELS&o=DETAILED_ACCOUNTS&o=ALL_REVISIONS&o=SUBMITTABLE"
                + (submitRequirements ? "&o=SUBMIT_REQUIREMENTS" : ""), new TypeReference<ChangeInfo>() { }));
    }

    /** The votes on one patch set (Gerrit's revision review), with that patch set's number on each approval. */
    public LiveChange getReview(final String restId, final String revision, final int patchSet) {
        return LiveChange.fromRevisionReview(read("changes/" + encodeId(restId) + "/revisions/" + revision + "/review",
                new TypeReference<ChangeInfo>() { }), patchSet);
    }

    /** Every message on the change, oldest first, with its tag and patch set (what an outbox checks before re-posting). */
    public List<PostedMessage> getMessages(final String restId) {
        ChangeInfo info = read("changes/" + encodeId(restId) + "?o=MESSAGES", new TypeReference<ChangeInfo>() { });
        List<PostedMessage> messages = new ArrayList<>();
        if (info.messages != null) {
            for (ChangeMessageInfo message : info.messages) {
                messages.add(PostedMessage.valueOf(message.tag, message.message,
                        message._revision_number == null ? 0 : message._revision_number));
            }
        }
        return messages;
    }

    /** Members of a group, including members of included groups. */
    public Set<GerritAccount> getGroupMembers(final String group) {
        List<AccountInfo> members = read("groups/" + encode(group) + "/members?recursive",
                new TypeReference<List<AccountInfo>>() { });
        Set<GerritAccount> result = new LinkedHashSet<>();
        members.forEach(member -> result.add(LiveChange.account(member)));
        return result;
    }

    /** Paths the patch set touches (against its parent), without Gerrit's magic {@code /COMMIT_MSG} entries. */
    public List<String> getChangedFiles(final String restId, final String revision) {
        Map<String, FileInfo> files = read("changes/" + encodeId(restId) + "/revisions/" + revision + "/files",
                new TypeReference<Map<String, FileInfo>>() { });
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, FileInfo> file : files.entrySet()) {
            if (!file.getKey().startsWith("/")) {
                paths.add(file.getKey());
                if (file.getValue().old_path != null) {
                    paths.add(file.getValue().old_path);
                }
            }
        }
        return paths;
    }

    /** A file's content on a branch (not on any change), or empty when the file does not exist. */
    public Optional<String> getFileContent(final String project, final String branch, final String path) {
        try {
            String reply = sendRaw("GET", "projects/" + encode(project) + "/branches/" + encode(branch) + "/files/"
                    + encode(path) + "/content", null, "read " + path + " on " + project + " " + branch).trim();
            // Asked with Accept: application/json, Gerrit answers the file's text as a JSON string, not Base64.
            if (reply.startsWith("\"")) {
                return Optional.of(readJsonString(reply, path));
            }
            return Optional.of(new String(Base64.getMimeDecoder().decode(reply), StandardCharsets.UTF_8));
        } catch (GerritRestException e) {
            if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String readJsonString(final String reply, final String path) {
        try {
            return JSON.readValue(reply, String.class);
        } catch (IOException e) {
            throw new GerritRestException(GerritRestException.Kind.BAD_REQUEST, 200, "Gerrit at " + baseUrl
                    + " answered the content of " + path + " with a malformed JSON string: "
                    + abbreviate(reply), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ transport

    private <T> T read(final String path, final TypeReference<T> type) {
        return send("GET", path, null, type, "read " + path.replaceAll("\\?.*", ""));
    }

    private <T> T send(final String method, final String path, final String body, final TypeReference<T> type,
            final String what) {
        String text = sendRaw(method, path, body, what);
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new GerritRestException(GerritRestException.Kind.BAD_REQUEST, 200, "Gerrit at " + baseUrl
                    + " answered " + what + " with something that is not the expected JSON: " + abbreviate(text), e);
        }
    }

    private String sendRaw(final String method, final String path, final String body, final String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "a/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (config.getUsername() + ":" + config.getPassword().reveal()).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json; charset=UTF-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String lastProblem = "";
        Exception lastCause = null;
        int lastStatus = 0;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                String reply = strip(response.body());
                if (status / 100 == 2) {
                    return reply;
                }
                if (status < 500) {
                    throw clientError(status, reply, what);
                }
                lastStatus = status;
                lastProblem = "HTTP " + status + ": " + abbreviate(mask(reply));
                lastCause = null;
            } catch (IOException e) {
                lastStatus = 0;
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + mask(e.getMessage()));
                lastCause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GerritRestException(GerritRestException.Kind.UNAVAILABLE, 0, "Interrupted while trying to "
                        + what + " at " + baseUrl, e);
            }
            if (attempt < attempts) {
                Duration delay = backoff.delay(attempt - 1);
                log.accept("Gerrit at " + baseUrl + " could not " + what + " (" + lastProblem + "); attempt " + attempt
                        + " of " + attempts + ", retrying in " + delay.toMillis() + " ms");
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GerritRestException(GerritRestException.Kind.UNAVAILABLE, 0, "Interrupted while "
                            + "waiting to retry: " + what + " at " + baseUrl, e);
                }
            }
        }
        throw new GerritRestException(GerritRestException.Kind.UNAVAILABLE, lastStatus, "Gerrit at " + baseUrl
                + " did not " + what + " after " + attempts + " attempts; last: " + lastProblem
                + ". Nothing was recorded on the change: check that Gerrit is up and reachable from this machine.",
                lastCause);
    }

    private GerritRestException clientError(final int status, final String reply, final String what) {
        String said = abbreviate(mask(reply.trim()));
        switch (status) {
            case 401:
                return new GerritRestException(GerritRestException.Kind.UNAUTHORIZED, status, "Gerrit at " + baseUrl
                        + " rejected user '" + config.getUsername() + "' (HTTP 401) trying to " + what + ": check the "
                        + "user name and HTTP password in the credentials (Gerrit: Settings → HTTP Credentials).", null);
            case 403:
                return new GerritRestException(GerritRestException.Kind.FORBIDDEN, status, "Gerrit user '"
                        + config.getUsername() + "' may not " + what + " (HTTP 403): " + said, null);
            case 404:
                return new GerritRestException(GerritRestException.Kind.NOT_FOUND, status, "Not found at " + baseUrl
                        + " (HTTP 404) trying to " + what + ", or not visible to user '" + config.getUsername() + "': "
                        + said, null);
            case 409:
                return new GerritRestException(GerritRestException.Kind.CONFLICT, status, "Gerrit refused to " + what
                        + " (HTTP 409): " + said, null);
            default:
                return new GerritRestException(GerritRestException.Kind.BAD_REQUEST, status, "Gerrit refused to "
                        + what + " (HTTP " + status + "): " + said, null);
        }
    }

    private String mask(final String text) {
        Secret password = config.getPassword();
        return password.mask(text);
    }

    private static String strip(final String body) {
        return body.startsWith(MAGIC) ? body.substring(MAGIC.length()).stripLeading() : body;
    }

    private static String abbreviate(final String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 297) + "..." : oneLine;
    }

    private static String signed(final int value) {
        return value > 0 ? "+" + value : Integer.toString(value);
    }

    /** {@code project~number} with the project URL-encoded (projects may contain slashes). */
    static String changeId(final String project, final int number) {
        return encode(project) + "~" + number;
    }

    private static String encodeId(final String restId) {
        int tilde = restId.lastIndexOf('~');
        return tilde < 0 ? encode(restId) : encode(restId.substring(0, tilde)) + "~" + restId.substring(tilde + 1);
    }

    static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "GerritRestClient[" + config.getUsername() + " at " + baseUrl + "]";
    }
}
