package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJob;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobBackend;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A promotion to a SageMaker endpoint for a {@link RemoteJobLifecycle}: the identity is this build's model and
 * endpoint config name; "created" means the gate passed and the endpoint was created or updated to that config, so a
 * restart after the update follows it instead of updating again, and a restart before it runs the gate again. An
 * endpoint update cannot be cancelled: {@link #stop} only says so.
 */
public final class EndpointBackend implements RemoteJobBackend<DeployResult> {
    /** What {@link JobPlan#getKind()} says. */
    public static final String KIND = "SageMaker endpoint update";

    private final SageMakerDeployer deployer;
    private final PromotionGate gate;

    public EndpointBackend(final SageMakerDeployer deployer, final PromotionGate gate) {
        this.deployer = Objects.requireNonNull(deployer, "deployer");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    /** The deploy spec and the review/build context, as one plan holds them. */
    public static final class Spec implements Serializable {
        private static final long serialVersionUID = 1L;

        private final DeploySpec deploy;
        private final TrainingContext context;

        Spec(final DeploySpec deploy, final TrainingContext context) {
            this.deploy = deploy;
            this.context = context;
        }

        public DeploySpec getDeploy() {
            return deploy;
        }

        public TrainingContext getContext() {
            return context;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Spec && deploy.equals(((Spec) o).deploy) && context.equals(((Spec) o).context);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deploy, context);
        }
    }

    /** @throws InvalidSpecException tags break AWS's rules */
    public static JobPlan plan(final DeploySpec spec, final TrainingContext context) {
        LineageTags.forTraining(context, spec.getExtraTags());
        return JobPlan.of(KIND, SageMakerDeployer.configName(spec, context), new Spec(spec, context),
                spec.getTimeout());
    }

    @Override
    public Optional<RemoteJob> find(final JobPlan plan) {
        Spec spec = plan.getSpec(Spec.class);
        Optional<DescribeEndpointResponse> endpoint = deployer.currentEndpoint(spec.getDeploy());
        // The update was issued before a restart only if the endpoint already points at this build's config.
        return endpoint.filter(e -> plan.getIdentity().equals(e.endpointConfigName())).map(e -> RemoteJob.adopted(
                spec.getDeploy().getEndpointName(), e.lastModifiedTime() != null ? e.lastModifiedTime()
                        : Instant.now(), Map.of("config", plan.getIdentity())));
    }

    @Override
    public RemoteJob create(final JobPlan plan, final Consumer<String> log) {
        Spec spec = plan.getSpec(Spec.class);
        GateDecision decision = deployer.promote(spec.getDeploy(), spec.getContext(), gate,
                TrainingJobBackend.listener(log));
        return RemoteJob.created(spec.getDeploy().getEndpointName(), Instant.now(), Map.of("config",
                plan.getIdentity(), "approvers", String.join(",", decision.getApprovers())));
    }

    @Override
    public CompletableFuture<DeployResult> follow(final JobPlan plan, final Consumer<String> log) {
        String approvers = plan.getFacts().getOrDefault("approvers", "");
        List<String> names = approvers.isEmpty() ? List.of() : Arrays.asList(approvers.split(","));
        return deployer.follow(plan.toWatchedJob(), plan.getIdentity(), names, TrainingJobBackend.listener(log));
    }

    @Override
    public String stop(final JobPlan plan, final String remoteId, final String reason) {
        return "SageMaker cannot cancel an endpoint update: it finishes it or rolls it back by itself; no longer "
                + "waiting for endpoint " + remoteId;
    }

    @Override
    public boolean isSuccess(final DeployResult result) {
        return result.isDeployed();
    }

    @Override
    public String summary(final DeployResult result) {
        return result.summary();
    }
}
