package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PrefectServerExtension.class)
class PrefectServerITest {
    @Test
    void shouldServeEveryExampleFlowBehindBasicAuth(final PrefectServer prefect) throws Exception {
        assertThat(LabProcess.httpOk(prefect.apiUrl() + "/health")).isTrue();
        for (String flow : PrefectServer.EXAMPLE_FLOWS) {
            assertThat(prefect.status("/deployments/name/" + flow + "/" + PrefectServer.EXAMPLE_DEPLOYMENT))
                    .as(flow).isEqualTo(200);
        }
        // Without the login the API refuses: the lab really runs with auth on.
        HttpResponse<Void> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(prefect.apiUrl() + "/deployments/name/train-model/gerrit-ml")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        System.out.printf("Prefect server started in %d ms, example flows served in %d ms, server RSS %d MiB%n",
                prefect.lastStartDuration().toMillis(), prefect.examplesStartDuration().toMillis(),
                prefect.residentMiB());
    }
}
