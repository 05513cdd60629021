package io.jenkins.plugins.gerritml.core.util;

import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTest {
    @Test
    void shouldDoubleUpToTheCap() {
        Backoff backoff = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(15));

        assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void shouldRejectNonsense() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .withMessageContaining("below the initial delay");
    }

    @Test
    void shouldObeyEqualsContract() {
        EqualsVerifier.forClass(Backoff.class).verify();
    }
}
