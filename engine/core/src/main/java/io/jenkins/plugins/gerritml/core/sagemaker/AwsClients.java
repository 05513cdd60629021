package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Formats;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Tag;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SDK clients for one {@link AwsConnectionConfig}: SageMaker, CloudWatch Logs, S3 and STS, sharing one light
 * HTTP client (Apache; no Netty) and one credentials provider. Assumed-role sessions are renewed by the SDK
 * before they expire. Clients are made on first use; {@link #close()} closes all of them.
 */
public final class AwsClients implements AutoCloseable {

    private final String region;
    @CheckForNull
    private final URI endpoint;
    private final SdkHttpClient http;
    private final ClientOverrideConfiguration overrides;
    private final AwsCredentialsProvider baseCredentials;
    private final AwsCredentialsProvider credentials;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AwsAccessPolicy accessPolicy;
    @CheckForNull
    private StsClient stsForRole;
    @CheckForNull
    private SageMakerClient sageMaker;
    @CheckForNull
    private CloudWatchLogsClient logs;
    @CheckForNull
    private S3Client s3;
    @CheckForNull
    private StsClient sts;

    /**
     * The SDK's timers (attempt and call timeouts, retry delays) for every client of this JVM. Left to itself, each
     * client starts up to 5 threads of its own, which for a controller waiting on hundreds of jobs is thousands of
     * idle threads; the SDK never shuts down an executor it was given.
     */
    private static final ScheduledExecutorService TIMERS = timers();

    private static ScheduledExecutorService timers() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(4, task -> {
            Thread thread = new Thread(task, "gerrit-ml-aws-timer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true); // a call that returns in time cancels its timeout: drop it at once
        return timers;
    }

    private AwsClients(final Builder b) {
        AwsConnectionConfig config = b.config;
        region = config.getRegion();
        endpoint = config.getEndpointOverride().orElse(null);
        // Apache: the client aws-java-sdk2-core provides inside Jenkins (nothing else to bundle); it also honours the
        // JVM's proxy settings (https.proxyHost, ...).
        http = ApacheHttpClient.builder().connectionTimeout(b.connectTimeout).socketTimeout(b.readTimeout).build();
        closeables.add(http);
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        if (b.audit != null) {
            override.addExecutionInterceptor(new AuditingInterceptor(b.audit, b.auditActor));
        }
        overrides = override
                .scheduledExecutorService(TIMERS)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(b.maxAttempts)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(b.retryBaseDelay, Duration.ofSeconds(20)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(b.retryBaseDelay.multipliedBy(5),
                                Duration.ofSeconds(20)))
                        .build())
                .apiCallAttemptTimeout(b.attemptTimeout)
                .apiCallTimeout(b.callTimeout)
                .build();
        accessPolicy = config.getAccessPolicy();
        baseCredentials = baseProvider(config.getCredentials());
        credentials = roleProvider(config);
    }

    /** Clients with default timeouts and retries (4 attempts, 30 s per attempt). */
    public static AwsClients create(final AwsConnectionConfig config) {
        return builder(config).build();
    }

    public static Builder builder(final AwsConnectionConfig config) {
        return new Builder(config);
    }

    private static AwsCredentialsProvider baseProvider(final BaseCredentials base) {
        switch (base.getKind()) {
            case STATIC_KEYS:
                return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        Objects.requireNonNull(base.getAccessKeyId()), Objects.requireNonNull(base.getSecretAccessKey())));
            case SESSION:
                return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        Objects.requireNonNull(base.getAccessKeyId()), Objects.requireNonNull(base.getSecretAccessKey()),
                        Objects.requireNonNull(base.getSessionToken())));
            case PROVIDER:
                return Objects.requireNonNull(base.getProvider()); // asked again on every call: it refreshes
            default:
                return DefaultCredentialsProvider.builder().build();
        }
    }

    private AwsCredentialsProvider roleProvider(final AwsConnectionConfig config) {
        AwsCredentialsProvider result = baseCredentials;
        if (config.getWebIdentityRole().isPresent()) {
            WebIdentityRoleSettings role = config.getWebIdentityRole().get();
            StsClient client = configure(StsClient.builder(), AnonymousCredentialsProvider.create()).build();
            stsForRole = client;
            closeables.add(client);
            StsAssumeRoleWithWebIdentityCredentialsProvider provider = StsAssumeRoleWithWebIdentityCredentialsProvider
                    .builder().stsClient(client).asyncCredentialUpdateEnabled(false)
                    .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder()
                            .roleArn(role.getRoleArn())
                            .roleSessionName(role.getSessionName())
                            .durationSeconds((int) role.getDuration().getSeconds())
                            .webIdentityToken(role.currentToken())
                            .build())
                    .build();
            closeables.add(provider);
            result = provider;
        }
        if (config.getAssumeRole().isPresent()) {
            // With a web identity too, its session assumes this role: the step that sets SourceIdentity.
            AssumeRoleSettings role = config.getAssumeRole().get();
            StsClient client = configure(StsClient.builder(), result).build();
            stsForRole = client;
            closeables.add(client);
            List<Tag> tags = new ArrayList<>();
            role.getSessionTags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
            AssumeRoleRequest request = AssumeRoleRequest.builder()
                    .roleArn(role.getRoleArn())
                    .roleSessionName(role.getSessionName())
                    .externalId(role.getExternalId())
                    .durationSeconds((int) role.getDuration().getSeconds())
                    .sourceIdentity(role.getSourceIdentity())
                    .tags(tags.isEmpty() ? null : tags)
                    .build();
            StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().stsClient(client)
                    .refreshRequest(request).asyncCredentialUpdateEnabled(false).build();
            closeables.add(provider);
            result = provider;
        }
        return result;
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(final B builder,
            final AwsCredentialsProvider provider) {
        builder.region(Region.of(region)).credentialsProvider(provider).httpClient(http)
                .overrideConfiguration(overrides);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    public String region() {
        return region;
    }

    /** The administrator's limits this connection was checked against; the trainer and deployer check specs. */
    public AwsAccessPolicy accessPolicy() {
        return accessPolicy;
    }

    /**
     * What makes two connections read the same SageMaker jobs: region, endpoint and the principal (role to assume,
     * access key id, or the provider's description). Status reads are shared per key; it holds no secret.
     */
    public static String accountKey(final AwsConnectionConfig config) {
        BaseCredentials base = config.getCredentials();
        String principal;
        if (config.getAssumeRole().isPresent()) {
            principal = "role:" + config.getAssumeRole().get().getRoleArn();
        } else if (config.getWebIdentityRole().isPresent()) {
            principal = "web-identity:" + config.getWebIdentityRole().get().getRoleArn();
        } else if (base.getKind() == BaseCredentials.Kind.PROVIDER) {
            principal = "provider:" + base.getDescription();
        } else if (base.getAccessKeyId() != null) {
            principal = "key:" + base.getAccessKeyId();
        } else {
            principal = "default-chain";
        }
        return "sagemaker|" + config.getRegion() + "|" + config.getEndpointOverride().map(Object::toString).orElse("")
                + "|" + principal;
    }

    /** The credentials every client uses (the assumed role's, if one is configured). */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    public synchronized SageMakerClient sageMaker() {
        if (sageMaker == null) {
            sageMaker = register(configure(SageMakerClient.builder(), credentials).build());
        }
        return sageMaker;
    }

    public synchronized CloudWatchLogsClient logs() {
        if (logs == null) {
            logs = register(configure(CloudWatchLogsClient.builder(), credentials).build());
        }
        return logs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            // Through an endpoint override (VPC endpoint, moto) bucket names cannot be host names.
            s3 = register(configure(S3Client.builder(), credentials).forcePathStyle(endpoint != null).build());
        }
        return s3;
    }

    /** STS with the final credentials (e.g. for GetCallerIdentity as the assumed role). */
    public synchronized StsClient sts() {
        if (sts == null) {
            sts = register(configure(StsClient.builder(), credentials).build());
        }
        return sts;
    }

    private <T extends AutoCloseable> T register(final T client) {
        closeables.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) { // NOPMD: closing is best effort
                // nothing to do: the process goes on without this client
            }
        }
        closeables.clear();
    }

    @Override
    public String toString() {
        return "AWS clients for " + region + (endpoint == null ? "" : " via " + endpoint);
    }

    /** Timeouts and retries; the defaults suit AWS, tests shorten them. */
    public static final class Builder {
        private final AwsConnectionConfig config;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration attemptTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofMinutes(2);
        private int maxAttempts = 4;
        private Duration retryBaseDelay = Duration.ofMillis(200);
        @CheckForNull
        private io.jenkins.plugins.gerritml.core.pipeline.AuditLog audit;
        private String auditActor = "";

        private Builder(final AwsConnectionConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** One HTTP attempt; a slower reply is abandoned and retried. */
        public Builder withAttemptTimeout(final Duration timeout) {
            this.attemptTimeout = timeout;
            this.readTimeout = timeout;
            return this;
        }

        public Builder withCallTimeout(final Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** Attempts per call, first included, for throttling, 5xx and timeouts. */
        /** Every state-changing AWS call made through these clients goes to {@code log} as {@code actor}. */
        public Builder withAudit(final io.jenkins.plugins.gerritml.core.pipeline.AuditLog log, final String actor) {
            this.audit = log;
            this.auditActor = actor;
            return this;
        }

        public Builder withMaxAttempts(final int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        public Builder withRetryBaseDelay(final Duration delay) {
            this.retryBaseDelay = delay;
            return this;
        }

        /**
         * @throws InvalidSpecException naming the setting to fix, before any client exists
         * @throws AwsAccessRefusedException the administrator's policy refuses the connection, before any client exists
         */
        public AwsClients build() {
            Problems problems = new Problems();
            String region = config.getRegion();
            problems.require(Formats.isAwsRegion(region), "region",
                    "must be an AWS region like eu-west-1, was '" + region + "'");
            config.getEndpointOverride().ifPresent(uri -> problems.require(Formats.isHttpUrl(uri),
                    "endpointOverride", "must be an http(s) URL with a host and no user info, was '" + uri + "'"));
            problems.require(maxAttempts >= 1, "maxAttempts", "must be at least 1");
            problems.throwIfAny("The AWS connection");
            config.getAccessPolicy().checkConnection(config);
            return new AwsClients(this);
        }
    }
}
