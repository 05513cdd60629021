package io.jenkins.plugins.gerritml.core.pipeline;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CanonicalJsonTest {
    @Test
    void shouldSortKeysDropWhitespaceAndKeepNumbersAsWritten() {
        String text = "{ \"b\" : [1, 2.50, -0.001, 1e5 ],\n \"a\": {\"z\": true, \"y\": null}, \"B\": \"x\" }";

        assertThat(CanonicalJson.write(CanonicalJson.parse(text)))
                .isEqualTo("{\"B\":\"x\",\"a\":{\"y\":null,\"z\":true},\"b\":[1,2.50,-0.001,1E+5]}");
    }

    @Test
    void shouldEscapeOnlyWhatJsonRequiresAndWriteUtf8AsIs() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote\" back\\ tab\t nl\n bell\u0007 slash/ é 模型 😀");

        String canonical = CanonicalJson.write(value);

        assertThat(canonical).isEqualTo("{\"text\":\"quote\\\" back\\\\ tab\\t nl\\n bell\\u0007 slash/ é 模型 😀\"}");
        assertThat(CanonicalJson.parse(canonical)).isEqualTo(Map.of("text", value.get("text")));
        assertThat(CanonicalJson.bytes(value)).isEqualTo(canonical.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSortKeysByUtf16CodeUnitsLikeRfc8785() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("\u20ac", 1);
        value.put("\r", 2);
        value.put("\ud83d\ude00", 3);
        value.put("1", 4);
        value.put("\u00e9", 5);

        assertThat(CanonicalJson.write(value)).isEqualTo("{\"\\r\":2,\"1\":4,\"\u00e9\":5,\"\u20ac\":1,\"\ud83d\ude00\":3}");
    }

    @Test
    void shouldRefuseFloatsDuplicateKeysAndTrailingContent() {
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.write(Map.of("loss", 0.1)))
                .withMessageContaining("/loss").withMessageContaining("never float or double");
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}"))
                .withMessageContaining("duplicate key 'a'");
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.parse("{} {}"))
                .withMessageContaining("trailing content");
        assertThatIllegalArgumentException().isThrownBy(() -> CanonicalJson.parse("{\"a\":NaN}"))
                .withMessageContaining("not valid JSON");
    }

    @Test
    void shouldNameEveryDifferingPath() {
        Object left = CanonicalJson.parse("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\",\"e/f\":1}");
        Object right = CanonicalJson.parse("{\"a\":{\"b\":1.0,\"c\":[1,2,3]},\"d\":\"x\",\"g\":1,\"e/f\":1}");

        assertThat(CanonicalJson.diff(left, right)).containsExactly("/a/b", "/a/c/2", "/g");
        assertThat(CanonicalJson.diff(left, left)).isEmpty();
        assertThat(CanonicalJson.diff(Map.of("n", new BigDecimal("0.5")), Map.of("n", List.of()))).containsExactly("/n");
    }
}
