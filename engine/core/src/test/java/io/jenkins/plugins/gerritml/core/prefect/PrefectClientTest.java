package io.jenkins.plugins.gerritml.core.prefect;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prefect Cloud cannot be reached from the build, so its part of the wire (the workspace path and the Bearer
 * header) is checked against a loopback listener that records what arrives and answers like Cloud does.
 * Everything else is tested against a real Prefect server in {@link PrefectFlowRunsITest}.
 */
class PrefectClientTest {
    private HttpServer listener;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void listen() throws Exception {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            seen.put("path", exchange.getRequestURI().getPath());
            seen.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"detail\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
    }

    @Test
    void shouldSendTheApiKeyAsBearerToTheWorkspacePathAndKeepItOutOfErrors() {
        String api = "http://127.0.0.1:" + listener.getAddress().getPort() + "/api/accounts/acc/workspaces/ws";
        PrefectClient client = new PrefectClient(PrefectEndpoint.builder().withApiUrl(api)
                .withApiKey("pnu_topsecret").withCredentialName("credential 'prefect-cloud'").build());

        assertThatThrownBy(() -> client.readFlowRuns(List.of("r1")))
                .isInstanceOfSatisfying(PrefectException.class, e -> {
                    assertThat(e.getReason()).isEqualTo(PrefectException.Reason.FORBIDDEN);
                    assertThat(e.getMessage()).contains("credential 'prefect-cloud'").contains(api)
                            .doesNotContain("pnu_topsecret");
                });
        assertThat(seen).containsEntry("path", "/api/accounts/acc/workspaces/ws/flow_runs/filter")
                .containsEntry("authorization", "Bearer pnu_topsecret");
    }

    @Test
    void shouldRideOutABusyServerForSixRetriesAndThenGiveUp() throws Exception {
        java.util.concurrent.atomic.AtomicInteger busyLeft = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer busy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        busy.createContext("/", exchange -> {
            boolean stillBusy = busyLeft.getAndDecrement() > 0;
            byte[] body = (stillBusy ? "{\"detail\":\"database is locked\"}" : "true")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "0");
            exchange.sendResponseHeaders(stillBusy ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        busy.start();
        try {
            String api = "http://127.0.0.1:" + busy.getAddress().getPort() + "/api";
            PrefectClient patient = new PrefectClient(PrefectEndpoint.builder().withApiUrl(api).build());
            busyLeft.set(PrefectClient.BUSY_RETRIES);
            assertThat(patient.isHealthy()).isTrue();
            assertThat(patient.requestCount()).isEqualTo(PrefectClient.BUSY_RETRIES + 1);

            PrefectClient unlucky = new PrefectClient(PrefectEndpoint.builder().withApiUrl(api).build());
            busyLeft.set(Integer.MAX_VALUE);
            assertThat(unlucky.isHealthy()).isFalse();
            assertThat(unlucky.requestCount()).isEqualTo(PrefectClient.BUSY_RETRIES + 1);
        } finally {
            busy.stop(0);
        }
    }

    @Test
    void shouldMaskTheConnectionsSecretsInFlowRunLogs() throws Exception {
        HttpServer logs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        logs.createContext("/", exchange -> {
            byte[] body = ("[{\"flow_run_id\":\"r1\",\"timestamp\":\"2026-12-01T08:00:00Z\",\"level\":20,"
                    + "\"message\":\"PREFECT_API_AUTH_STRING=admin:s3cr3t-pass and again s3cr3t-pass\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        logs.start();
        try {
            PrefectClient client = new PrefectClient(PrefectEndpoint.builder()
                    .withApiUrl("http://127.0.0.1:" + logs.getAddress().getPort() + "/api")
                    .withBasicAuth("admin:s3cr3t-pass").build());

            assertThat(client.readLogs(List.of("r1"), null, 0)).singleElement()
                    .satisfies(log -> assertThat(log.message).isEqualTo("PREFECT_API_AUTH_STRING=**** and again ****"));
        } finally {
            logs.stop(0);
        }
    }
}
