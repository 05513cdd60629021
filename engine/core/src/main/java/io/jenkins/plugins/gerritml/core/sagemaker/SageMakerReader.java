package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;

import java.time.Clock;
import java.time.Duration;

/**
 * The status reads of one AWS account, region and endpoint ({@link AwsClients#accountKey}), shared by every step
 * waiting there: its own clients (on a refreshing credentials provider when the host passes one) and one
 * {@link TrainingJobStatusSource} and {@link EndpointStatusSource}, so the watcher reads N steps' jobs with one list
 * call per tick. The first step's connection makes the clients; they live until the last step releases them.
 */
public final class SageMakerReader implements AutoCloseable {
    private final AwsClients clients;
    private final TrainingJobStatusSource trainingJobs;
    private final EndpointStatusSource endpoints;

    private SageMakerReader(final AwsClients clients, final Clock clock) {
        this.clients = clients;
        this.trainingJobs = new TrainingJobStatusSource(clients.sageMaker(), clients.region(), clock,
                Duration.ofMinutes(5), TrainingJobStatusSource.DEFAULT_OVERLAP);
        this.endpoints = new EndpointStatusSource(clients.sageMaker(), clients.region());
    }

    /** The reader shared for {@code config}'s account, made from it if none is there yet. */
    public static SharedSources.Lease<SageMakerReader> shared(final RemoteJobRuntime runtime,
            final AwsConnectionConfig config, final Clock clock) {
        return runtime.sources().acquire(AwsClients.accountKey(config), SageMakerReader.class,
                () -> new SageMakerReader(AwsClients.create(config), clock), SageMakerReader::close);
    }

    /** A reader on clients the caller made (tests, the bench). */
    public static SharedSources.Lease<SageMakerReader> shared(final RemoteJobRuntime runtime, final String key,
            final AwsClients clients, final Clock clock) {
        return runtime.sources().acquire(key, SageMakerReader.class, () -> new SageMakerReader(clients, clock),
                SageMakerReader::close);
    }

    public TrainingJobStatusSource trainingJobs() {
        return trainingJobs;
    }

    public EndpointStatusSource endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        clients.close();
    }
}
