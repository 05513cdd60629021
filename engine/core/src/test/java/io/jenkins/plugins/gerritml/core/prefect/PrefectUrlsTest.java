package io.jenkins.plugins.gerritml.core.prefect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefectUrlsTest {
    @Test
    void shouldDeriveTheCloudUiFromTheWorkspaceApiUrl() {
        String api = PrefectUrls.cloudApiUrl("acc-1", "ws-2");

        assertThat(api).isEqualTo("https://api.prefect.cloud/api/accounts/acc-1/workspaces/ws-2");
        assertThat(PrefectUrls.flowRunUrl(api, "run-3"))
                .isEqualTo("https://app.prefect.cloud/account/acc-1/workspace/ws-2/runs/flow-run/run-3");
        assertThat(PrefectUrls.uiBase(api + "/")).isEqualTo("https://app.prefect.cloud/account/acc-1/workspace/ws-2");
    }

    @Test
    void shouldPutASelfHostedUiBesideItsApi() {
        assertThat(PrefectUrls.flowRunUrl("http://prefect.example:4200/api/", "r"))
                .isEqualTo("http://prefect.example:4200/runs/flow-run/r");
        assertThat(PrefectUrls.uiBase("https://ml.example/prefect/api")).isEqualTo("https://ml.example/prefect");
    }

    @Test
    void shouldRefuseBadAccountOrWorkspaceIds() {
        assertThatThrownBy(() -> PrefectUrls.cloudApiUrl("a/b", "w")).hasMessageContaining("account");
        assertThatThrownBy(() -> PrefectUrls.cloudApiUrl("a", " ")).hasMessageContaining("workspace");
    }
}
