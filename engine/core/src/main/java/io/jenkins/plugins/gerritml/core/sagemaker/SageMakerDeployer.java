package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.JobWatcher;
import io.jenkins.plugins.gerritml.core.pipeline.WatchListener;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Promotes a trained model to an endpoint, after the approval gate: CreateModel, CreateEndpointConfig, then
 * CreateEndpoint or UpdateEndpoint, and waits on the shared watcher until the endpoint settles. Model and config
 * names are deterministic per build ({@code <endpoint>-c<change>-p<patchset>-b<build>}), so a restarted build reuses
 * what it already created. A failed update is reported with SageMaker's rollback (the old config keeps serving).
 */
public final class SageMakerDeployer {
    private final SageMakerClient sageMaker;
    private final String region;
    private final JobWatcher watcher;
    private final EndpointStatusSource source;
    private final Clock clock;
    private final AwsAccessPolicy accessPolicy;

    public SageMakerDeployer(final SageMakerClient sageMaker, final String region, final JobWatcher watcher,
            final Clock clock) {
        this(sageMaker, region, watcher, new EndpointStatusSource(sageMaker, region), clock,
                AwsAccessPolicy.unrestricted());
    }

    /** A deployer that refuses roles and images outside {@code accessPolicy} before any call. */
    public SageMakerDeployer(final SageMakerClient sageMaker, final String region, final JobWatcher watcher,
            final Clock clock, final AwsAccessPolicy accessPolicy) {
        this(sageMaker, region, watcher, new EndpointStatusSource(sageMaker, region), clock, accessPolicy);
    }

    /** On a status source shared with every deployer of the account ({@link SageMakerReader#endpoints()}). */
    public SageMakerDeployer(final SageMakerClient sageMaker, final String region, final JobWatcher watcher,
            final EndpointStatusSource sharedSource, final Clock clock) {
        this(sageMaker, region, watcher, sharedSource, clock, AwsAccessPolicy.unrestricted());
    }

    /** On a shared status source, refusing roles and images outside {@code accessPolicy} before any call. */
    public SageMakerDeployer(final SageMakerClient sageMaker, final String region, final JobWatcher watcher,
            final EndpointStatusSource sharedSource, final Clock clock, final AwsAccessPolicy accessPolicy) {
        this.accessPolicy = Objects.requireNonNull(accessPolicy, "accessPolicy");
        this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
        this.region = Objects.requireNonNull(region, "region");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.source = Objects.requireNonNull(sharedSource, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SageMakerDeployer(final AwsClients clients, final JobWatcher watcher) {
        this(clients.sageMaker(), clients.region(), watcher, Clock.systemUTC(), clients.accessPolicy());
    }

    /**
     * Runs the gate, then creates or updates the endpoint; the future completes when it settles.
     *
     * @throws DeploymentRefusedException the gate refused: nothing was called in AWS
     * @throws InvalidSpecException tags break AWS's rules: nothing was called in AWS
     * @throws AwsAccessRefusedException the administrator's policy refuses the role or image: nothing was called
     */
    public CompletableFuture<DeployResult> start(final DeploySpec spec, final TrainingContext context,
            final PromotionGate gate, final TrainingListener listener) {
        GateDecision decision = promote(spec, context, gate, listener);
        WatchedJob job = WatchedJob.startingNow(spec.getEndpointName(), clock.instant(), spec.getTimeout());
        return follow(job, configName(spec, context), decision.getApprovers(), listener);
    }

    /**
     * Runs the gate, then creates model and config (or reuses this build's) and creates or updates the endpoint,
     * without waiting: what {@link #start} does before it follows.
     *
     * @throws DeploymentRefusedException the gate refused: nothing was called in AWS
     * @throws InvalidSpecException tags break AWS's rules: nothing was called in AWS
     */
    public GateDecision promote(final DeploySpec spec, final TrainingContext context, final PromotionGate gate,
            final TrainingListener listener) {
        accessPolicy.checkDeploy(spec);
        Map<String, String> tags = LineageTags.forTraining(context, spec.getExtraTags());
        GateDecision decision = gate.check(spec, context);
        if (!decision.isApproved()) {
            throw new DeploymentRefusedException(spec.getEndpointName(), context, decision);
        }
        listener.onMessage("Approval gate: " + decision);
        String name = configName(spec, context);
        List<Tag> awsTags = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                .build()).toList();
        createModel(spec, name, awsTags, listener);
        createConfig(spec, name, awsTags, listener);
        Optional<DescribeEndpointResponse> endpoint = currentEndpoint(spec);
        if (endpoint.isEmpty()) {
            sageMaker.createEndpoint(b -> b.endpointName(spec.getEndpointName()).endpointConfigName(name)
                    .tags(awsTags));
            listener.onMessage("Creating endpoint " + spec.getEndpointName() + " with config " + name);
        } else if (name.equals(endpoint.get().endpointConfigName())) {
            listener.onMessage("Endpoint " + spec.getEndpointName() + " already uses config " + name + " ("
                    + endpoint.get().endpointStatusAsString() + "): following it");
        } else {
            sageMaker.updateEndpoint(b -> b.endpointName(spec.getEndpointName()).endpointConfigName(name));
            listener.onMessage("Updating endpoint " + spec.getEndpointName() + " from config "
                    + endpoint.get().endpointConfigName() + " to " + name);
        }
        return decision;
    }

    /** The endpoint as SageMaker describes it now, if it exists. */
    public Optional<DescribeEndpointResponse> currentEndpoint(final DeploySpec spec) {
        return find(() -> sageMaker.describeEndpoint(b -> b.endpointName(spec.getEndpointName())));
    }

    /**
     * Follows an endpoint until it settles on {@code targetConfigName} or rolls back: after {@link #start}, or again
     * after a restart from the {@link WatchedJob} (endpoint name, start, deadline) a build saved.
     */
    public CompletableFuture<DeployResult> follow(final WatchedJob job, final String targetConfigName,
            final List<String> approvers, final TrainingListener listener) {
        String name = targetConfigName;
        CompletableFuture<DeployResult> result = new CompletableFuture<>();
        watcher.watch(source, job, new WatchListener<>() {
            @Override
            public void onStatus(final String id, final EndpointState status) {
                listener.onMessage("Endpoint " + id + ": " + status);
            }

            @Override
            public void onFinished(final String id, final EndpointState status) {
                DeployResult deployed = new DeployResult(id, region, name, name, status, approvers);
                listener.onMessage(deployed.summary());
                result.complete(deployed);
            }

            @Override
            public void onTimeout(final String id, final Duration elapsed) {
                result.completeExceptionally(new IllegalStateException("SageMaker endpoint '" + id
                        + "' did not settle within " + TrainingTimeoutException.format(elapsed)
                        + "; it is left as it is (SageMaker finishes or rolls back the update by itself)"));
            }

            @Override
            public void onNotFound(final String id, final int consecutiveMisses) {
                if (consecutiveMisses >= 5) {
                    result.completeExceptionally(new IllegalStateException("SageMaker endpoint '" + id
                            + "' is not found any more"));
                }
            }
        });
        return result;
    }

    /**
     * The model and endpoint config name of one build's promotion: endpoint, CI job, change, patch set, build (two
     * pipelines promoting the same change never share a model or config).
     */
    public static String configName(final DeploySpec spec, final TrainingContext context) {
        return SageMakerNames.forBuild(spec.getEndpointName(), context);
    }

    /** {@link #start} and wait. */
    public DeployResult deploy(final DeploySpec spec, final TrainingContext context, final PromotionGate gate,
            final TrainingListener listener) throws InterruptedException {
        try {
            return start(spec, context, gate, listener).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new java.util.concurrent.CompletionException(e.getCause());
        }
    }

    private void createModel(final DeploySpec spec, final String name, final List<Tag> tags,
            final TrainingListener listener) {
        Optional<DescribeModelResponse> existing = find(() -> sageMaker.describeModel(b -> b.modelName(name)));
        if (existing.isPresent()) {
            String artifact = existing.get().primaryContainer() == null ? null
                    : existing.get().primaryContainer().modelDataUrl();
            if (!spec.getModelArtifact().equals(artifact)) {
                throw new IllegalStateException("SageMaker model '" + name + "' exists for this build with artifact "
                        + artifact + ", not " + spec.getModelArtifact() + ": run a new build");
            }
            listener.onMessage("Model " + name + " already exists for this build: reusing it");
            return;
        }
        sageMaker.createModel(b -> b.modelName(name).executionRoleArn(spec.getExecutionRoleArn()).tags(tags)
                .primaryContainer(c -> c.image(spec.getInferenceImage()).modelDataUrl(spec.getModelArtifact())
                        .environment(spec.getEnvironment().isEmpty() ? null : spec.getEnvironment())));
        listener.onMessage("Created model " + name + " from " + spec.getModelArtifact());
    }

    private void createConfig(final DeploySpec spec, final String name, final List<Tag> tags,
            final TrainingListener listener) {
        if (find(() -> sageMaker.describeEndpointConfig(b -> b.endpointConfigName(name))).isPresent()) {
            listener.onMessage("Endpoint config " + name + " already exists for this build: reusing it");
            return;
        }
        sageMaker.createEndpointConfig(b -> b.endpointConfigName(name).tags(tags)
                .productionVariants(v -> v.variantName(spec.getVariantName()).modelName(name)
                        .instanceType(spec.getInstanceType()).initialInstanceCount(spec.getInitialInstanceCount())
                        .initialVariantWeight(1.0f)));
        listener.onMessage("Created endpoint config " + name);
    }

    private static <T> Optional<T> find(final Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (SageMakerException e) {
            if (SageMakerErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
