package io.jenkins.plugins.gerritml.core.prefect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.prefect.PrefectException.Reason;
import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactCreate;
import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactFilterRequest;
import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.DeploymentFlowRunCreate;
import io.jenkins.plugins.gerritml.core.prefect.dto.DeploymentResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.ErrorResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowRunFilterRequest;
import io.jenkins.plugins.gerritml.core.prefect.dto.FlowRunResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.LogFilterRequest;
import io.jenkins.plugins.gerritml.core.prefect.dto.LogResponse;
import io.jenkins.plugins.gerritml.core.prefect.dto.OrchestrationResult;
import io.jenkins.plugins.gerritml.core.prefect.dto.PageRequest;
import io.jenkins.plugins.gerritml.core.prefect.dto.PrefectJson;
import io.jenkins.plugins.gerritml.core.prefect.dto.SetStateRequest;
import io.jenkins.plugins.gerritml.core.prefect.dto.StateDto;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prefect's REST API, the calls this project needs, for Prefect Cloud and self-hosted servers alike. Every request
 * has a timeout; every failure becomes a {@link PrefectException} naming the URL and, for auth failures, the
 * credential by name. Thread-safe.
 */
public final class PrefectClient {
    /** Prefect's server refuses {@code limit} above its default limit (200). */
    public static final int PAGE_SIZE = 200;
    /**
     * Attempts after the first when the server answers busy; 0.25, 0.5, 1, 2, 4, 8 s apart (about 16 s in all).
     * Ten flow runs created at once from one Jenkins build kept a SQLite-backed server busy past the 4 s that four
     * retries gave; creating is safe to repeat because of the idempotency key.
     */
    static final int BUSY_RETRIES = 6;

    private final PrefectConnection connection;
    private final HttpClient http;
    private final ObjectMapper json = PrefectJson.mapper();
    private final AtomicLong requests = new AtomicLong();

    public PrefectClient(final PrefectConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
        PrefectEndpoint.validateApiUrl(connection.getApiUrl());
        this.http = connection.newHttpClientBuilder().connectTimeout(connection.getConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public String getApiUrl() {
        return PrefectEndpoint.validateApiUrl(connection.getApiUrl());
    }

    /** HTTP requests sent so far (for benchmarks and tests). */
    public long requestCount() {
        return requests.get();
    }

    /** {@code GET /health}: whether the server answers at all. */
    public boolean isHealthy() {
        try {
            return Boolean.TRUE.equals(send("GET", "/health", null, new TypeReference<Boolean>() { }));
        } catch (PrefectException e) {
            return false;
        }
    }

    /** {@code GET /deployments/{id}} or {@code GET /deployments/name/{flow}/{deployment}}; null if there is none. */
    @CheckForNull
    public DeploymentResponse findDeployment(final DeploymentRef ref) {
        String path = ref.isId() ? "/deployments/" + ref.getId()
                : "/deployments/name/" + segment(ref.getFlowName()) + "/" + segment(ref.getDeploymentName());
        try {
            return send("GET", path, null, new TypeReference<DeploymentResponse>() { });
        } catch (PrefectException e) {
            if (e.getReason() == Reason.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** All deployments as {@code flow/deployment} names (first {@link #PAGE_SIZE} flows and deployments). */
    public List<String> listDeploymentNames() {
        List<FlowResponse> flows = send("POST", "/flows/filter", PageRequest.of(0, PAGE_SIZE),
                new TypeReference<List<FlowResponse>>() { });
        List<DeploymentResponse> deployments = send("POST", "/deployments/filter", PageRequest.of(0, PAGE_SIZE),
                new TypeReference<List<DeploymentResponse>>() { });
        List<String> names = new ArrayList<>();
        for (DeploymentResponse deployment : deployments) {
            flows.stream().filter(flow -> Objects.equals(flow.id, deployment.flowId)).findFirst()
                    .ifPresent(flow -> names.add(flow.name + "/" + deployment.name));
        }
        return names;
    }

    /**
     * {@code POST /deployments/{id}/create_flow_run}. With an idempotency key Prefect returns the run already created
     * with that key (HTTP 200 instead of 201); {@link CreatedFlowRun#isNew()} tells which.
     */
    public CreatedFlowRun createFlowRun(final String deploymentId, final DeploymentFlowRunCreate body) {
        Answer<FlowRunResponse> answer = exchange("POST", "/deployments/" + segment(deploymentId) + "/create_flow_run",
                body, new TypeReference<FlowRunResponse>() { });
        return new CreatedFlowRun(FlowRun.valueOf(answer.body), answer.status == 201);
    }

    /** {@code GET /flow_runs/{id}}. */
    public FlowRun readFlowRun(final String id) {
        return FlowRun.valueOf(send("GET", "/flow_runs/" + segment(id), null, new TypeReference<FlowRunResponse>() { }));
    }

    /** {@code POST /flow_runs/filter} by ids: one call per {@link #PAGE_SIZE} runs. */
    public List<FlowRun> readFlowRuns(final Collection<String> ids) {
        List<FlowRun> runs = new ArrayList<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += PAGE_SIZE) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PAGE_SIZE));
            List<FlowRunResponse> page = send("POST", "/flow_runs/filter",
                    FlowRunFilterRequest.byIds(chunk, PAGE_SIZE), new TypeReference<List<FlowRunResponse>>() { });
            page.forEach(dto -> runs.add(FlowRun.valueOf(dto)));
        }
        return runs;
    }

    /**
     * {@code POST /flow_runs/filter} by idempotency key: the runs an earlier create with {@code key} made (a restarted
     * caller finds its run without creating one). Prefect keeps a key unique per flow, so this is at most one run per
     * flow.
     */
    public List<FlowRun> findFlowRunsByIdempotencyKey(final String key) {
        List<FlowRunResponse> page = send("POST", "/flow_runs/filter",
                FlowRunFilterRequest.byIdempotencyKey(key, PAGE_SIZE), new TypeReference<List<FlowRunResponse>>() { });
        List<FlowRun> runs = new ArrayList<>();
        page.forEach(dto -> runs.add(FlowRun.valueOf(dto)));
        return runs;
    }

    /**
     * {@code POST /flow_runs/{id}/set_state} to CANCELLING through Prefect's orchestration rules (no force), so a
     * finished run answers ABORT instead of being reopened.
     */
    public CancelResult cancelFlowRun(final String id, final String message) {
        OrchestrationResult result = send("POST", "/flow_runs/" + segment(id) + "/set_state",
                SetStateRequest.of(StateDto.create("CANCELLING", message), false),
                new TypeReference<OrchestrationResult>() { });
        return CancelResult.valueOf(id, result);
    }

    /**
     * {@code POST /flow_runs/{id}/set_state} straight to CANCELLED, still through Prefect's orchestration rules (no
     * force): for a run no worker has picked up, where there is no process for CANCELLING to stop.
     */
    public CancelResult cancelQueuedFlowRun(final String id, final String message) {
        OrchestrationResult result = send("POST", "/flow_runs/" + segment(id) + "/set_state",
                SetStateRequest.of(StateDto.create("CANCELLED", message), false),
                new TypeReference<OrchestrationResult>() { });
        return CancelResult.valueOf(id, result);
    }

    /** {@code GET /flows/{id}}: the flow's name, or null if there is no such flow. */
    @CheckForNull
    public String readFlowName(final String flowId) {
        try {
            return send("GET", "/flows/" + segment(flowId), null, new TypeReference<FlowResponse>() { }).name;
        } catch (PrefectException e) {
            if (e.getReason() == Reason.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * {@code POST /logs/filter}: one page of logs of {@code flowRunIds} at or after {@code after}, oldest first. The
     * connection's own secrets (API key, basic auth string and its password) are masked in every message: a flow
     * that prints its environment must not put the key into a build log.
     */
    public List<LogResponse> readLogs(final Collection<String> flowRunIds, @CheckForNull final String after,
            final int offset) {
        List<LogResponse> logs = send("POST", "/logs/filter", LogFilterRequest.of(flowRunIds, after, offset,
                PAGE_SIZE), new TypeReference<List<LogResponse>>() { });
        List<io.jenkins.plugins.gerritml.core.util.Secret> secrets = connectionSecrets();
        for (LogResponse log : logs) {
            for (io.jenkins.plugins.gerritml.core.util.Secret secret : secrets) {
                log.message = secret.mask(log.message);
            }
        }
        return logs;
    }

    /** The secrets this client sends, longest first, so a password is masked inside and outside its auth string. */
    List<io.jenkins.plugins.gerritml.core.util.Secret> connectionSecrets() {
        List<String> values = new ArrayList<>();
        String key = connection.getApiKey();
        if (key != null && !key.isEmpty()) {
            values.add(key);
        }
        String auth = connection.getBasicAuth();
        if (auth != null && !auth.isEmpty()) {
            values.add(auth);
            int colon = auth.indexOf(':');
            if (colon >= 0 && colon < auth.length() - 1) {
                values.add(auth.substring(colon + 1));
            }
        }
        values.sort((a, b) -> b.length() - a.length());
        return values.stream().map(io.jenkins.plugins.gerritml.core.util.Secret::of).toList();
    }

    /** {@code POST /artifacts/filter} for one flow run. */
    public List<FlowRunArtifact> readArtifacts(final String flowRunId) {
        List<ArtifactResponse> artifacts = send("POST", "/artifacts/filter",
                ArtifactFilterRequest.forFlowRun(flowRunId, PAGE_SIZE), new TypeReference<List<ArtifactResponse>>() { });
        List<FlowRunArtifact> result = new ArrayList<>();
        artifacts.forEach(dto -> result.add(FlowRunArtifact.valueOf(dto)));
        return result;
    }

    /** {@code POST /artifacts/}: attaches an artifact (e.g. markdown) to a flow run; returns Prefect's answer. */
    public ArtifactResponse createArtifact(final ArtifactCreate artifact) {
        return send("POST", "/artifacts/", artifact, new TypeReference<ArtifactResponse>() { });
    }

    /** A created or found-again flow run. */
    public static final class CreatedFlowRun {
        private final FlowRun flowRun;
        private final boolean isNew;

        CreatedFlowRun(final FlowRun flowRun, final boolean isNew) {
            this.flowRun = flowRun;
            this.isNew = isNew;
        }

        public FlowRun getFlowRun() {
            return flowRun;
        }

        /** False when Prefect returned an existing run for the same idempotency key. */
        public boolean isNew() {
            return isNew;
        }
    }

    private <T> T send(final String method, final String path, @CheckForNull final Object body,
            final TypeReference<T> type) {
        return exchange(method, path, body, type).body;
    }

    private <T> Answer<T> exchange(final String method, final String path, @CheckForNull final Object body,
            final TypeReference<T> type) {
        String url = getApiUrl() + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(connection.getRequestTimeout())
                .header("Accept", "application/json");
        authorize(request);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the request to " + url + " as JSON: " + e.getMessage(), e);
        }
        HttpResponse<byte[]> response;
        try {
            response = sendWithRetries(request.build());
        } catch (HttpTimeoutException e) {
            throw new PrefectException(Reason.UNREACHABLE, "Prefect API at " + url + " did not answer within "
                    + connection.getRequestTimeout().toSeconds() + " s (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new PrefectException(Reason.UNREACHABLE, "Cannot reach the Prefect API at " + url + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrefectException(Reason.UNREACHABLE, "Interrupted while calling " + url, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return new Answer<>(status, json.readValue(response.body(), type));
            } catch (IOException e) {
                throw new PrefectException(Reason.SERVER_ERROR, "Prefect API at " + url + " answered HTTP " + status
                        + " with a body that is not the expected JSON: " + firstLine(e.getMessage()), e);
            }
        }
        throw failure(method, url, status, response.body());
    }

    /**
     * Sends, retrying a few times when the server says it is busy (429/502/503/504): a self-hosted Prefect on SQLite
     * answers 503 while its database is locked, and Prefect's own client retries these too. Nothing is retried
     * after an I/O failure, where the server may have acted on a request that was not idempotent.
     */
    private HttpResponse<byte[]> sendWithRetries(final HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            requests.incrementAndGet();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            boolean busy = status == 429 || status == 502 || status == 503 || status == 504;
            if (!busy || attempt >= BUSY_RETRIES) {
                return response;
            }
            long delay = Math.min(10_000L, response.headers().firstValue("Retry-After").map(PrefectClient::seconds)
                    .orElse(250L << attempt));
            Thread.sleep(delay);
        }
    }

    private static long seconds(final String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim()) * 1000L;
        } catch (NumberFormatException e) {
            return 1000L;
        }
    }

    private void authorize(final HttpRequest.Builder request) {
        String apiKey = connection.getApiKey();
        String basic = connection.getBasicAuth();
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        } else if (basic != null && !basic.isBlank()) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private PrefectException failure(final String method, final String url, final int status, final byte[] body) {
        String detail = detail(body);
        String what = method + " " + url;
        switch (status) {
            case 401:
                return new PrefectException(Reason.UNAUTHORIZED, status, "Prefect API at " + getApiUrl()
                        + " refused the login (HTTP 401) for " + what + ": check " + connection.getCredentialName()
                        + (connection.getApiKey() == null && connection.getBasicAuth() == null
                        ? " (none is configured; the server requires one)" : ""));
            case 403:
                return new PrefectException(Reason.FORBIDDEN, status, "Prefect API at " + getApiUrl()
                        + " denied " + what + " (HTTP 403): " + connection.getCredentialName()
                        + " lacks the permission" + (detail.isEmpty() ? "" : " (" + detail + ")"));
            case 404:
                return new PrefectException(Reason.NOT_FOUND, status, "Not found (HTTP 404): " + what
                        + (detail.isEmpty() ? "" : " (" + detail + ")"));
            case 400:
            case 409:
            case 422:
                return new PrefectException(Reason.REJECTED, status, "Prefect refused " + what + " (HTTP " + status
                        + "): " + detail);
            default:
                return new PrefectException(Reason.SERVER_ERROR, status, "Prefect API answered HTTP " + status
                        + " to " + what + (detail.isEmpty() ? "" : ": " + detail));
        }
    }

    /** The readable part of an error body, without echoing the request (which may hold parameters). */
    private String detail(final byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            ErrorResponse error = json.readValue(body, ErrorResponse.class);
            Object detail = error.detail != null ? error.detail : error.exceptionDetail;
            StringBuilder text = new StringBuilder();
            if (detail instanceof String) {
                text.append(detail);
            } else if (detail instanceof List) {
                for (Object item : (List<?>) detail) {
                    if (item instanceof Map) {
                        Map<?, ?> map = (Map<?, ?>) item;
                        if (text.length() > 0) {
                            text.append("; ");
                        }
                        text.append(location(map.get("loc"))).append(": ").append(map.get("msg"));
                    }
                }
            }
            if (text.length() == 0 && error.exceptionMessage != null) {
                text.append(error.exceptionMessage);
            }
            return text.toString();
        } catch (IOException e) {
            String raw = new String(body, StandardCharsets.UTF_8).strip();
            return raw.length() > 300 ? raw.substring(0, 300) + "..." : raw;
        }
    }

    /** FastAPI's {@code ["body", "parameters", "epochs"]} as {@code parameters.epochs}. */
    private static String location(@CheckForNull final Object loc) {
        if (!(loc instanceof List)) {
            return String.valueOf(loc);
        }
        List<String> parts = new ArrayList<>();
        for (Object part : (List<?>) loc) {
            if (!"body".equals(part)) {
                parts.add(String.valueOf(part));
            }
        }
        return String.join(".", parts);
    }

    private static String firstLine(@CheckForNull final String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    private static String segment(@CheckForNull final String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "path segment"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static final class Answer<T> {
        private final int status;
        private final T body;

        Answer(final int status, final T body) {
            this.status = status;
            this.body = body;
        }
    }
}
