package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Credentials asked again from the host's store every {@code refreshEvery}, so that keys a store hands out for one
 * role session (aws-credentials assumes its IAM role for one hour) are replaced before they expire, without asking
 * the store (and STS) on every signed request. For {@link BaseCredentials#provider}.
 */
public final class RefreshingCredentialsProvider implements AwsCredentialsProvider {
    private final Supplier<AwsCredentials> store;
    private final Duration refreshEvery;
    private final Clock clock;
    @CheckForNull
    private AwsCredentials current;
    @CheckForNull
    private Instant fetchedAt;

    public RefreshingCredentialsProvider(final Supplier<AwsCredentials> store, final Duration refreshEvery,
            final Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        if (current == null || fetchedAt == null || !now.isBefore(fetchedAt.plus(refreshEvery))) {
            current = Objects.requireNonNull(store.get(), "the credentials store returned no credentials");
            fetchedAt = now;
        }
        return current;
    }

    @Override
    public String toString() {
        return "credentials refreshed every " + refreshEvery;
    }
}
