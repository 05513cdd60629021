package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * moto (PyPI, pinned in {@code python/moto-requirements.txt}) in server mode: one HTTP endpoint on a free loopback
 * port that answers SageMaker, STS, CloudWatch Logs and S3 like AWS does, for contract tests of the AWS SDK calls.
 * What moto does not model (jobs that run for a while, StopTrainingJob, UpdateEndpoint, throttling) needs a scripted
 * fake instead. Any access key works; moto ignores signatures.
 */
public final class MotoServer implements AutoCloseable {
    /** The credentials tests hand to the SDK: moto accepts any, these are obviously not real. */
    public static final String ACCESS_KEY_ID = "AKIAMOTOLABTESTKEY01";
    public static final String SECRET_ACCESS_KEY = "moto-lab-secret-not-a-real-key-0000000000";

    private final LabProcess process;
    private final URI endpoint;
    private final Duration startTime;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(final LabProcess process, final URI endpoint, final Duration startTime) {
        this.process = process;
        this.endpoint = endpoint;
        this.startTime = startTime;
    }

    /** Creates the virtualenv on first use (minutes, once per machine), then starts moto (about a second). */
    public static MotoServer start() {
        PythonEnv env = PythonEnv.require("moto");
        int port = LabProcess.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            Path work = Files.createTempDirectory("moto-lab");
            long start = System.nanoTime();
            LabProcess process = LabProcess.start("moto_server " + endpoint,
                    List.of(env.bin("moto_server").toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                    work, Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY),
                    work.resolve("moto.log"))
                    .awaitReady(Duration.ofSeconds(60), () -> LabProcess.httpOk(endpoint + "/moto-api/"));
            return new MotoServer(process, endpoint, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new LabException("Cannot create a work folder for moto: " + e.getMessage(), e);
        }
    }

    /** The endpoint to give the SDK as endpoint override, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Forgets every resource (jobs, log groups, buckets), so a test starts from an empty account. */
    public void reset() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LabException("moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new LabException("moto reset failed: " + e.getMessage() + "\n" + process.logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted while resetting moto", e);
        }
    }

    /** From process start to the first 200 of {@code /moto-api/}. */
    /** Starts (or restarts) moto's request recorder: every request from now on is kept, bodies included. */
    public void startRecording() {
        call("POST", "/moto-api/recorder/reset-recording");
        call("POST", "/moto-api/recorder/start-recording");
    }

    /**
     * The requests recorded since {@link #startRecording()}, in order, one a line: the JSON API's target (e.g.
     * {@code SageMaker.UpdateModelPackage}) or a query API's form, then the body as sent. What moto's own services
     * ignore (e.g. STS's {@code SourceIdentity}) is there.
     */
    public java.util.List<String> recordedRequests() {
        java.util.List<String> requests = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : call("GET", "/moto-api/recorder/download-recording").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode request = json.readTree(line);
                String body = request.path("body").asText("");
                if (request.path("body_encoded").asBoolean(false)) {
                    body = new String(java.util.Base64.getDecoder().decode(body),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
                requests.add(request.path("headers").path("X-Amz-Target").asText("") + " " + body);
            } catch (IOException e) {
                throw new LabException("moto's recording has a line that is not JSON: " + line, e);
            }
        }
        return requests;
    }

    private String call(final String method, final String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LabException("moto " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new LabException("moto " + path + " failed: " + e.getMessage() + "\n" + process.logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted while calling moto " + path, e);
        }
    }

    public Duration startTime() {
        return startTime;
    }

    /** Resident memory of the server process in MiB (Linux), or -1. */
    public long residentMiB() {
        return process.residentMiB();
    }

    public String logTail(final int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "moto server at " + endpoint;
    }
}
