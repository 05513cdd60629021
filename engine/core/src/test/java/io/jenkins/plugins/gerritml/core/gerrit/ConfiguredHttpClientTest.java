package io.jenkins.plugins.gerritml.core.gerrit;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.PrefectConnection;
import io.jenkins.plugins.gerritml.core.util.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Gerrit and Prefect clients build their HTTP client from what the connection settings hand them, so Jenkins'
 * proxy configuration reaches them. A loopback server plays the proxy: requests for hosts that do not exist arrive
 * there with their absolute URI.
 */
class ConfiguredHttpClientTest {
    private HttpServer proxy;
    private final List<String> proxied = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startProxy() throws IOException {
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            proxied.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = (exchange.getRequestURI().getPath().endsWith("/health") ? "true" : ")]}'\n[]")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
    }

    @AfterEach
    void stopProxy() {
        proxy.stop(0);
    }

    private HttpClient.Builder viaProxy() {
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy.getAddress()));
    }

    @Test
    void shouldSendGerritRequestsThroughTheConfiguredHttpClient() {
        GerritRestClient client = new GerritRestClient(GerritRestConfig.of("http://gerrit.example.invalid/", "jenkins",
                Secret.of("pw"), this::viaProxy));

        assertThat(client.getGroupMembers("ML Approvers")).isEmpty();

        assertThat(proxied).containsExactly(
                "GET http://gerrit.example.invalid/a/groups/ML%20Approvers/members?recursive");
    }

    @Test
    void shouldSendPrefectRequestsThroughTheConfiguredHttpClient() {
        PrefectClient client = new PrefectClient(new PrefectConnection() {
            @Override
            public String getApiUrl() {
                return "http://prefect.example.invalid:4200/api";
            }

            @Override
            public String getApiKey() {
                return null;
            }

            @Override
            public String getBasicAuth() {
                return null;
            }

            @Override
            public HttpClient.Builder newHttpClientBuilder() {
                return viaProxy();
            }
        });

        assertThat(client.isHealthy()).isTrue();

        assertThat(proxied).containsExactly("GET http://prefect.example.invalid:4200/api/health");
    }
}
