package io.jenkins.plugins.gerritml.core.prefect;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefectEndpointTest {
    @Test
    void shouldNeverShowTheSecretInToString() {
        PrefectEndpoint cloud = PrefectEndpoint.cloud("a", "w", "pnu_secretkey123");
        PrefectEndpoint basic = PrefectEndpoint.builder().withApiUrl("http://h:4200/api")
                .withBasicAuth("admin:hunter2").withCredentialName("credential 'prefect'").build();

        assertThat(cloud.toString()).doesNotContain("pnu_secretkey123").contains("API key");
        assertThat(basic.toString()).doesNotContain("hunter2").contains("credential 'prefect'");
        assertThat(basic.getBasicAuth()).isEqualTo("admin:hunter2");
    }

    @Test
    void shouldNameTheFieldToFix() {
        assertThatThrownBy(() -> PrefectEndpoint.valueOf(" ")).hasMessageStartingWith("Prefect API URL: required");
        assertThatThrownBy(() -> PrefectEndpoint.valueOf("ftp://h/api")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> PrefectEndpoint.valueOf("http://u:p@h/api"))
                .hasMessageContaining("must not contain a user or password").hasMessageNotContaining("u:p");
        assertThatThrownBy(() -> PrefectEndpoint.builder().withApiUrl("http://h/api").withApiKey("k")
                .withBasicAuth("u:p").build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> PrefectEndpoint.builder().withApiUrl("http://h/api").withBasicAuth("nocolon")
                .build()).hasMessageContaining("user:password").hasMessageNotContaining("nocolon");
        assertThatThrownBy(() -> PrefectEndpoint.builder().withApiUrl("http://h/api")
                .withRequestTimeout(Duration.ZERO).build()).hasMessageContaining("request timeout");
    }

    @Test
    void shouldTrimTrailingSlashes() {
        assertThat(PrefectEndpoint.valueOf("http://h:4200/api//").getApiUrl()).isEqualTo("http://h:4200/api");
    }
}
