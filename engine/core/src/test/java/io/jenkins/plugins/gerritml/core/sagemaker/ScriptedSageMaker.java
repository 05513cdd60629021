package io.jenkins.plugins.gerritml.core.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted SageMaker + STS endpoint for what moto cannot show: jobs that stay InProgress and move through a
 * script of statuses over time, StopTrainingJob (Stopping, then Stopped), UpdateEndpoint with rollback, throttling,
 * 5xx, slow replies, and the exact STS AssumeRole parameters. It speaks the real wire protocols (awsJson1.1 for
 * SageMaker, awsQuery/XML for STS), so the production SDK clients talk to it unchanged.
 */
public final class ScriptedSageMaker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");

    /** One scripted status and how long it lasts (the last step lasts forever). */
    public static final class Step {
        final String status;
        final String secondary;
        final Duration lasts;
        final String failureReason;

        Step(final String status, final String secondary, final Duration lasts, final String failureReason) {
            this.status = status;
            this.secondary = secondary;
            this.lasts = lasts;
            this.failureReason = failureReason;
        }
    }

    public static Step step(final String status, final String secondary, final long millis) {
        return new Step(status, secondary, Duration.ofMillis(millis), null);
    }

    static Step failed(final String reason) {
        return new Step("Failed", "Failed", Duration.ZERO, reason);
    }

    enum FaultKind { THROTTLE, SERVER_ERROR, SLOW }

    private static final class Fault {
        final String operation;
        final FaultKind kind;
        final long slowMillis;
        int remaining;

        Fault(final String operation, final FaultKind kind, final int count, final long slowMillis) {
            this.operation = operation;
            this.kind = kind;
            this.remaining = count;
            this.slowMillis = slowMillis;
        }
    }

    private static final class Job {
        final String name;
        final ObjectNode request;
        final Instant created;
        final List<Step> script;
        volatile Instant stopRequested;

        Job(final String name, final ObjectNode request, final Instant created, final List<Step> script) {
            this.name = name;
            this.request = request;
            this.created = created;
            this.script = script;
        }

        /** Current step and when it began. */
        Map.Entry<Step, Instant> at(final Instant now, final Duration stopDelay) {
            if (stopRequested != null) {
                Instant stoppedAt = stopRequested.plus(stopDelay);
                return now.isBefore(stoppedAt) ? Map.entry(step("Stopping", "Stopping", 0), stopRequested)
                        : Map.entry(step("Stopped", "Stopped", 0), stoppedAt);
            }
            Instant begin = created;
            for (int i = 0; i < script.size() - 1; i++) {
                Instant end = begin.plus(script.get(i).lasts);
                if (now.isBefore(end)) {
                    return Map.entry(script.get(i), begin);
                }
                begin = end;
            }
            return Map.entry(script.get(script.size() - 1), begin);
        }
    }

    private static final class Endpoint {
        volatile String config;
        volatile String previous;
        volatile String status;
        volatile String failureReason;
        volatile Instant settleAt;
        volatile boolean failUpdate;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-sagemaker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, List<Step>> scripts = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> models = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> configs = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<String> accessKeys = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> stsCalls = new CopyOnWriteArrayList<>();
    private volatile List<Step> defaultScript = List.of(step("InProgress", "Starting", 100),
            step("InProgress", "Training", 100), step("Completed", "Completed", 0));
    private volatile Duration stopDelay = Duration.ofMillis(100);
    private volatile Duration endpointDelay = Duration.ofMillis(100);
    private volatile boolean stsDenied;

    public ScriptedSageMaker() throws IOException {
        // Small replies otherwise wait for delayed ACKs (Nagle): ~40 ms per call instead of ~1 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The script for a job created later under {@code name}. */
    ScriptedSageMaker script(final String name, final Step... steps) {
        scripts.put(name, List.of(steps));
        return this;
    }

    /** A job that exists already, as if created earlier by another process. */
    ScriptedSageMaker existingJob(final String name, final ObjectNode request, final Step... steps) {
        jobs.put(name, new Job(name, request, Instant.now(), List.of(steps)));
        return this;
    }

    public ScriptedSageMaker defaultScript(final Step... steps) {
        defaultScript = List.of(steps);
        return this;
    }

    /** The next {@code count} calls of {@code operation} (e.g. DescribeTrainingJob, or * for any) fail so. */
    ScriptedSageMaker fault(final String operation, final FaultKind kind, final int count) {
        faults.add(new Fault(operation, kind, count, 0));
        return this;
    }

    ScriptedSageMaker slow(final String operation, final Duration delay, final int count) {
        faults.add(new Fault(operation, FaultKind.SLOW, count, delay.toMillis()));
        return this;
    }

    ScriptedSageMaker failNextUpdateOf(final String endpointName) {
        endpoints.computeIfAbsent(endpointName, n -> new Endpoint()).failUpdate = true;
        return this;
    }

    /** An endpoint already serving {@code config}, as a previous deployment left it. */
    ScriptedSageMaker existingEndpoint(final String name, final String config) {
        Endpoint e = endpoints.computeIfAbsent(name, n -> new Endpoint());
        e.config = config;
        e.status = "InService";
        e.settleAt = Instant.now();
        return this;
    }

    /** How long an endpoint takes to settle after CreateEndpoint or UpdateEndpoint. */
    ScriptedSageMaker endpointDelay(final Duration delay) {
        endpointDelay = delay;
        return this;
    }

    ScriptedSageMaker denyAssumeRole() {
        stsDenied = true;
        return this;
    }

    /** Operations received, e.g. {@code CreateTrainingJob} or {@code STS.AssumeRole}, in order. */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    public long count(final String operation) {
        return operations.stream().filter(operation::equals).count();
    }

    /** The access key id each signed request was signed with. */
    List<String> accessKeys() {
        return List.copyOf(accessKeys);
    }

    List<Map<String, String>> stsCalls() {
        return List.copyOf(stsCalls);
    }

    int jobCount() {
        return jobs.size();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                Matcher m = ACCESS_KEY.matcher(authorization);
                if (m.find()) {
                    accessKeys.add(m.group(1));
                }
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null) {
                handleSts(exchange, form(body));
                return;
            }
            String operation = target.substring(target.indexOf('.') + 1);
            operations.add(operation);
            Fault fault = takeFault(operation);
            if (fault != null) {
                switch (fault.kind) {
                    case THROTTLE:
                        error(exchange, 400, "ThrottlingException", "Rate exceeded");
                        return;
                    case SERVER_ERROR:
                        error(exchange, 500, "InternalFailure", "We encountered an internal error. Please try again.");
                        return;
                    default:
                        Thread.sleep(fault.slowMillis);
                }
            }
            ObjectNode request = body.isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(body);
            JsonNode reply = sageMaker(operation, request, Instant.now());
            if (reply instanceof ObjectNode && reply.has("__type")) {
                error(exchange, 400, reply.get("__type").asText(), reply.get("message").asText());
            } else {
                send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsString(reply));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalFailure", "fake failed: " + e);
        }
    }

    private synchronized Fault takeFault(final String operation) {
        for (Fault fault : faults) {
            if (fault.remaining > 0 && (fault.operation.equals("*") || fault.operation.equals(operation))) {
                fault.remaining--;
                return fault;
            }
        }
        return null;
    }

    private JsonNode sageMaker(final String operation, final ObjectNode request, final Instant now) {
        switch (operation) {
            case "CreateTrainingJob": {
                String name = request.path("TrainingJobName").asText();
                if (jobs.containsKey(name)) {
                    return failure("ResourceInUse", "Training job names must be unique within an AWS account and "
                            + "region, and a training job with this name already exists (" + arn("training-job", name)
                            + ")");
                }
                jobs.put(name, new Job(name, request, now, scripts.getOrDefault(name, defaultScript)));
                return JSON.createObjectNode().put("TrainingJobArn", arn("training-job", name));
            }
            case "DescribeTrainingJob": {
                Job job = jobs.get(request.path("TrainingJobName").asText());
                return job == null ? failure("ValidationException", "Could not find requested job with name "
                        + request.path("TrainingJobName").asText()) : describe(job, now);
            }
            case "ListTrainingJobs":
                return list(request, now);
            case "StopTrainingJob": {
                Job job = jobs.get(request.path("TrainingJobName").asText());
                if (job == null) {
                    return failure("ValidationException", "Could not find requested job");
                }
                String status = job.at(now, stopDelay).getKey().status;
                if (!"InProgress".equals(status)) {
                    return failure("ValidationException", "The job status is " + status);
                }
                job.stopRequested = now;
                return JSON.createObjectNode();
            }
            case "ListTags":
                return JSON.createObjectNode().set("Tags", JSON.createArrayNode());
            case "CreateModel":
                models.put(request.path("ModelName").asText(), request);
                return JSON.createObjectNode().put("ModelArn", arn("model", request.path("ModelName").asText()));
            case "DescribeModel": {
                ObjectNode model = models.get(request.path("ModelName").asText());
                return model == null ? failure("ValidationException", "Could not find model") : model;
            }
            case "CreateEndpointConfig":
                configs.put(request.path("EndpointConfigName").asText(), request);
                return JSON.createObjectNode().put("EndpointConfigArn", arn("endpoint-config",
                        request.path("EndpointConfigName").asText()));
            case "DescribeEndpointConfig": {
                ObjectNode config = configs.get(request.path("EndpointConfigName").asText());
                return config == null ? failure("ValidationException", "Could not find endpoint configuration")
                        : config;
            }
            case "CreateEndpoint": {
                Endpoint e = endpoints.computeIfAbsent(request.path("EndpointName").asText(), n -> new Endpoint());
                e.config = request.path("EndpointConfigName").asText();
                e.status = "Creating";
                e.settleAt = now.plus(endpointDelay);
                return JSON.createObjectNode().put("EndpointArn", arn("endpoint", request.path("EndpointName").asText()));
            }
            case "UpdateEndpoint": {
                Endpoint e = endpoints.get(request.path("EndpointName").asText());
                if (e == null || e.config == null) {
                    return failure("ValidationException", "Could not find endpoint");
                }
                e.previous = e.config;
                e.config = request.path("EndpointConfigName").asText();
                e.status = "Updating";
                e.failureReason = null;
                e.settleAt = now.plus(endpointDelay);
                return JSON.createObjectNode().put("EndpointArn", arn("endpoint", request.path("EndpointName").asText()));
            }
            case "DescribeEndpoint": {
                String name = request.path("EndpointName").asText();
                Endpoint e = endpoints.get(name);
                if (e == null || e.config == null) {
                    return failure("ValidationException", "Could not find endpoint \"" + name + "\"");
                }
                synchronized (e) {
                    if (!"InService".equals(e.status) && !now.isBefore(e.settleAt)) {
                        if ("Updating".equals(e.status) && e.failUpdate) {
                            e.failUpdate = false;
                            e.failureReason = "The primary container for production variant AllTraffic did not pass "
                                    + "the ping health check. Rolled back to the previous endpoint configuration.";
                            e.config = e.previous;
                        }
                        e.status = "InService";
                    }
                }
                return JSON.createObjectNode().put("EndpointName", name).put("EndpointArn", arn("endpoint", name))
                        .put("EndpointConfigName", e.config).put("EndpointStatus", e.status)
                        .put("FailureReason", e.failureReason).put("CreationTime", seconds(now))
                        .put("LastModifiedTime", seconds(now));
            }
            default:
                return failure("UnknownOperationException", "The scripted fake does not know " + operation);
        }
    }

    private ObjectNode describe(final Job job, final Instant now) {
        Map.Entry<Step, Instant> current = job.at(now, stopDelay);
        Step step = current.getKey();
        ObjectNode out = job.request.deepCopy();
        out.remove("Tags");
        out.put("TrainingJobArn", arn("training-job", job.name))
                .put("TrainingJobStatus", step.status).put("SecondaryStatus", step.secondary)
                .put("CreationTime", seconds(job.created)).put("LastModifiedTime", seconds(current.getValue()));
        if (step.failureReason != null) {
            out.put("FailureReason", step.failureReason);
        }
        if (!"InProgress".equals(step.status) && !"Stopping".equals(step.status)) {
            out.put("BillableTimeInSeconds", 42).put("TrainingTimeInSeconds", 42);
        }
        if ("Completed".equals(step.status)) {
            out.putObject("ModelArtifacts").put("S3ModelArtifacts",
                    job.request.path("OutputDataConfig").path("S3OutputPath").asText() + "/" + job.name
                            + "/output/model.tar.gz");
            ArrayNode metrics = out.putArray("FinalMetricDataList");
            metrics.addObject().put("MetricName", "validation:accuracy").put("Value", 0.93)
                    .put("Timestamp", seconds(now));
        }
        return out;
    }

    private ObjectNode list(final ObjectNode request, final Instant now) {
        List<Job> matching = new ArrayList<>();
        double modifiedAfter = request.path("LastModifiedTimeAfter").asDouble(Double.NEGATIVE_INFINITY);
        double createdAfter = request.path("CreationTimeAfter").asDouble(Double.NEGATIVE_INFINITY);
        String contains = request.path("NameContains").asText("");
        for (Job job : jobs.values()) {
            Map.Entry<Step, Instant> current = job.at(now, stopDelay);
            if (job.name.contains(contains) && seconds(current.getValue()) > modifiedAfter
                    && seconds(job.created) > createdAfter) {
                matching.add(job);
            }
        }
        matching.sort(Comparator.comparing((Job j) -> j.created).thenComparing(j -> j.name));
        int from = request.has("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
        int max = request.path("MaxResults").asInt(10);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode summaries = out.putArray("TrainingJobSummaries");
        for (Job job : matching.subList(Math.min(from, matching.size()), Math.min(from + max, matching.size()))) {
            Map.Entry<Step, Instant> current = job.at(now, stopDelay);
            summaries.addObject().put("TrainingJobName", job.name).put("TrainingJobArn", arn("training-job", job.name))
                    .put("CreationTime", seconds(job.created)).put("LastModifiedTime", seconds(current.getValue()))
                    .put("TrainingJobStatus", current.getKey().status)
                    .put("SecondaryStatus", current.getKey().secondary);
        }
        if (from + max < matching.size()) {
            out.put("NextToken", Integer.toString(from + max));
        }
        return out;
    }

    private void handleSts(final HttpExchange exchange, final Map<String, String> params) throws IOException {
        String action = params.getOrDefault("Action", "?");
        operations.add("STS." + action);
        stsCalls.add(params);
        if (stsDenied) {
            send(exchange, 403, "text/xml", "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: "
                    + "sts:AssumeRole on resource: " + params.get("RoleArn") + "</Message></Error>"
                    + "<RequestId>fake-1</RequestId></ErrorResponse>");
            return;
        }
        String session = params.getOrDefault("RoleSessionName", "session");
        String result = action + "Result";
        send(exchange, 200, "text/xml", "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<" + result + "><Credentials><AccessKeyId>ASIASCRIPTEDFAKE0001</AccessKeyId>"
                + "<SecretAccessKey>scripted-assumed-secret</SecretAccessKey><SessionToken>scripted-session-token"
                + "</SessionToken><Expiration>" + Instant.now().plus(Duration.ofHours(1)) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>AROASCRIPTED:" + session + "</AssumedRoleId><Arn>"
                + "arn:aws:sts::123456789012:assumed-role/scripted/" + session + "</Arn></AssumedRoleUser>"
                + "</" + result + "><ResponseMetadata><RequestId>fake-1</RequestId></ResponseMetadata></"
                + action + "Response>");
    }

    private static Map<String, String> form(final String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return Collections.unmodifiableMap(params);
    }

    private static ObjectNode failure(final String type, final String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void error(final HttpExchange exchange, final int code, final String type, final String message)
            throws IOException {
        send(exchange, code, "application/x-amz-json-1.1",
                JSON.writeValueAsString(JSON.createObjectNode().put("__type", type).put("message", message)));
    }

    private static void send(final HttpExchange exchange, final int code, final String type, final String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-request");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static double seconds(final Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static String arn(final String type, final String name) {
        return "arn:aws:sagemaker:eu-west-1:123456789012:" + type + "/" + name;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
