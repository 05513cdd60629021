package io.jenkins.plugins.gerritml.core.sagemaker;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshingCredentialsProviderTest {
    /** Review 2.6: a job longer than one role session must get the store's new keys, not the first ones. */
    @Test
    void shouldAskTheStoreAgainOncePerPeriodAndNotOnEveryRequest() {
        AtomicInteger asked = new AtomicInteger();
        Instant[] now = {Instant.parse("2026-12-01T08:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        RefreshingCredentialsProvider provider = new RefreshingCredentialsProvider(() -> AwsSessionCredentials
                .create("ASIA" + asked.incrementAndGet(), "secret", "token"), Duration.ofMinutes(15), clock);

        String first = provider.resolveCredentials().accessKeyId();
        String same = provider.resolveCredentials().accessKeyId();
        now[0] = now[0].plus(Duration.ofMinutes(16));
        String renewed = provider.resolveCredentials().accessKeyId();

        assertThat(first).isEqualTo("ASIA1").isEqualTo(same);
        assertThat(renewed).isEqualTo("ASIA2");
        assertThat(asked).hasValue(2);
    }

    @Test
    void shouldSignWithTheProviderAndKeyStatusReadsByItsDescription() {
        BaseCredentials base = BaseCredentials.provider(() -> AwsSessionCredentials.create("ASIA1", "s", "t"),
                "Jenkins credential 'aws-prod'");

        assertThat(base.toString()).isEqualTo("AWS credentials from Jenkins credential 'aws-prod'");
        assertThat(AwsClients.accountKey(AwsConnectionConfig.of("eu-west-1", base)))
                .isEqualTo("sagemaker|eu-west-1||provider:Jenkins credential 'aws-prod'");
    }
}
