package io.jenkins.plugins.gerritml.core.prefect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterSchemaTest {
    /** The schema Prefect 3.4 generates for examples/prefect/flows.py's typed-parameters flow. */
    private static final Map<String, Object> SCHEMA = Map.of(
            "properties", Map.of(
                    "learning_rate", Map.of("type", "number"),
                    "epochs", Map.of("type", "integer"),
                    "layers", Map.of("type", "array", "items", Map.of("type", "integer")),
                    "optimizer", Map.of("type", "string", "enum", List.of("adam", "sgd")),
                    "seed", Map.of("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "null")))),
            "required", List.of("learning_rate", "epochs", "layers"));

    @Test
    void shouldAcceptWhatFits() {
        assertThatCode(() -> ParameterSchema.check("t/d", SCHEMA, Map.of(), Map.of("learning_rate", 1,
                "epochs", 3L, "layers", List.of(1, 2), "optimizer", "sgd", "seed", "anyOf is Prefect's to check")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ParameterSchema.check("t/d", null, Map.of(), Map.of("anything", 1)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldNameTheParameterThatDoesNotFit() {
        assertThatThrownBy(() -> ParameterSchema.check("t/d", SCHEMA, Map.of(), Map.of("learning_rate", 1,
                "epochs", 2.5, "layers", List.of())))
                .hasMessage("parameters.epochs: deployment 't/d' expects an integer, got 2.5 (Double)");
        assertThatThrownBy(() -> ParameterSchema.check("t/d", SCHEMA, Map.of(), Map.of("learning_rate", 1,
                "epochs", 2, "layers", List.of(1, "2"))))
                .hasMessageStartingWith("parameters.layers[1]: deployment 't/d' expects an integer");
        assertThatThrownBy(() -> ParameterSchema.check("t/d", SCHEMA, Map.of(), Map.of("learning_rate", 1,
                "epochs", 2, "layers", List.of(), "optimizer", "rmsprop")))
                .hasMessageStartingWith("parameters.optimizer: deployment 't/d' accepts only [adam, sgd]");
        assertThatThrownBy(() -> ParameterSchema.check("t/d", SCHEMA, Map.of(), Map.of("epochs", 2,
                "layers", List.of())))
                .hasMessageStartingWith("parameters.learning_rate: required");
        assertThatThrownBy(() -> ParameterSchema.check("t/d", SCHEMA, Map.of("learning_rate", 0.1),
                Map.of("epochs", 2, "layers", List.of(), "lr", 1)))
                .hasMessageStartingWith("parameters.lr: deployment 't/d' has no such parameter; it takes [epochs,");
    }
}
