package io.jenkins.plugins.gerritml.core.prefect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowRunRequestTest {
    @Test
    void shouldParseDeploymentsByNameOrId() {
        assertThat(DeploymentRef.valueOf(" train/prod ").getFlowName()).isEqualTo("train");
        assertThat(DeploymentRef.valueOf("train/prod").getDeploymentName()).isEqualTo("prod");
        assertThat(DeploymentRef.valueOf("38054776-E238-4176-ac0a-48d46f12231e").getId())
                .isEqualTo("38054776-e238-4176-ac0a-48d46f12231e");
        assertThatThrownBy(() -> DeploymentRef.valueOf("train")).hasMessageStartingWith("deployment: 'train'");
        assertThatThrownBy(() -> DeploymentRef.valueOf("a/b/c")).hasMessageContaining("exactly one '/'");
        assertThatThrownBy(() -> DeploymentRef.valueOf("")).hasMessageStartingWith("deployment: required");
    }

    @Test
    void shouldNameTheParameterThatIsNotJson() {
        assertThatThrownBy(() -> FlowRunRequest.builder().withDeployment("f/d")
                .withParameter("config", Map.of("when", new Object())).build())
                .hasMessageStartingWith("parameters.config.when: a Object is not a JSON value");
        assertThatThrownBy(() -> FlowRunRequest.builder().withDeployment("f/d")
                .withParameter("rates", List.of(1.0, Double.NaN)).build())
                .hasMessageStartingWith("parameters.rates[1]: NaN");
        assertThatThrownBy(() -> FlowRunRequest.builder().withDeployment("f/d")
                .withJobVariable("env", Map.of(1, "x")).build()).hasMessageStartingWith("jobVariables.env");
        assertThatThrownBy(() -> FlowRunRequest.builder().withDeployment("f/d").withTag(" ").build())
                .hasMessageStartingWith("tags:");
        assertThatThrownBy(() -> FlowRunRequest.builder().withDeployment("f/d").withTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> FlowRunRequest.builder().build()).hasMessageStartingWith("deployment: required");
    }

    @Test
    void shouldKeepItsOwnCopyOfParameters() {
        List<Object> layers = new ArrayList<>(List.of(64, 32));
        FlowRunRequest request = FlowRunRequest.builder().withDeployment("f/d").withParameter("layers", layers)
                .withParameter("note", null).build();
        layers.add(16);

        assertThat(request.getParameters()).containsEntry("layers", List.of(64, 32)).containsEntry("note", null);
        assertThatThrownBy(() -> request.getParameters().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldTagTheRunWithItsReview() {
        FlowRunRequest request = FlowRunRequest.builder().withDeployment("f/d")
                .withGerritContext("ml/models", 42, 3, List.of("alice", " ", "bob")).withTag("nightly").build();

        assertThat(request.getTags()).containsExactly("gerrit", "gerrit-project:ml/models", "gerrit-change:42",
                "gerrit-patchset:3", "gerrit-approver:alice", "gerrit-approver:bob", "nightly");
        assertThatThrownBy(() -> GerritTags.of("p", 0, 1, List.of())).hasMessageContaining("positive");
    }

    @Test
    void shouldDeriveTheSameIdempotencyKeyForTheSameStep() {
        assertThat(IdempotencyKeys.of(42, 3, "ml-train#17", "train"))
                .isEqualTo("gerrit-ml:42/3:ml-train#17:train")
                .isEqualTo(IdempotencyKeys.of(42, 3, " ml-train#17 ", "train"))
                .isNotEqualTo(IdempotencyKeys.of(42, 4, "ml-train#17", "train"));
        assertThatThrownBy(() -> IdempotencyKeys.of(42, 3, "", "train")).hasMessageContaining("build id");
    }
}
