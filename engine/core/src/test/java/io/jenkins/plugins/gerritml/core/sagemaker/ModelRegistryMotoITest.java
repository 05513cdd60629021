package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The Model Registry mirroring the review, against moto in server mode (which implements the model-package APIs). */
@ExtendWith(MotoLab.class)
class ModelRegistryMotoITest {
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100));
    private static final String GROUP = "fraud-model";
    private static final String SERVING_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serve:1";
    private static final String APPROVER_ROLE = "arn:aws:iam::123456789012:role/model-approver";

    private final MotoServer moto;

    ModelRegistryMotoITest(final MotoServer moto) {
        this.moto = moto;
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    private SimpleAwsConnectionConfig.Builder config() {
        return SimpleAwsConnectionConfig.builder("eu-west-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint());
    }

    private TrainingResult train(final AwsClients clients, final TrainingContext context) throws Exception {
        try (SageMakerTrainer trainer = SageMakerTrainer.builder(clients).withBackoff(FAST).build()) {
            return trainer.train(Fixtures.spec().build(), context, TrainingListener.silent());
        }
    }

    private static int indexOf(final List<String> requests, final String part) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldRegisterEachPatchSetApproveOnlyItsOwnAndRejectWhatTheReviewMovedPast() throws Exception {
        TrainingContext patchSet2 = Fixtures.context(1).withChange(1234, 2).build();
        TrainingContext patchSet3 = Fixtures.context(2).withChange(1234, 3).build();
        try (AwsClients clients = AwsClients.create(config().build())) {
            ModelRegistry registry = new ModelRegistry(clients.sageMaker());

            TrainingResult trained = train(clients, patchSet2);
            ModelVersion first = registry.register(GROUP, trained, SERVING_IMAGE, patchSet2,
                    "sha256:" + "a".repeat(64));
            assertThat(registry.register(GROUP, trained, SERVING_IMAGE, patchSet2, "sha256:" + "a".repeat(64)))
                    .as("the same build registering again (after a restart) gets its version back").isEqualTo(first);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(first.getVersion()).isEqualTo(1);
            softly.assertThat(first.getStatus()).isEqualTo(ModelVersion.PENDING);
            softly.assertThat(first.getMetadata()).containsEntry(ModelRegistry.PROJECT, "ml/fraud-model")
                    .containsEntry(ModelRegistry.CHANGE, "1234").containsEntry(ModelRegistry.PATCH_SET, "2")
                    .containsEntry(ModelRegistry.REVISION, "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d")
                    .containsEntry(ModelRegistry.BUILD, "https://ci.example.com/job/fraud%20model/1/")
                    .containsEntry(ModelRegistry.LINEAGE, "sha256:" + "a".repeat(64));
            softly.assertAll();
            assertThatIllegalStateException().isThrownBy(() -> ModelRegistry.requireApproved(first))
                    .withMessageContaining("is not Approved").withMessageContaining("patch set 2");

            // The approver's session: a role assumed with SourceIdentity = the approver.
            moto.startRecording();
            ModelVersion approved;
            try (AwsClients approver = AwsClients.create(config().withAssumeRole(AssumeRoleSettings
                    .builder(APPROVER_ROLE).forReview(patchSet2).build()).build())) {
                approved = new ModelRegistry(approver.sageMaker()).approve(first, 2,
                        "ml/fraud-model change 1234 patch set 2: Code-Review+2 by alice");
            }
            List<String> requests = moto.recordedRequests();
            assertThat(approved.getStatus()).isEqualTo(ModelVersion.APPROVED);
            assertThat(approved.getApprovalDescription()).contains("patch set 2", "alice");
            assertThat(approved.getMetadata()).as("the whole state is sent again").isEqualTo(first.getMetadata());
            int assumeRole = indexOf(requests, "Action=AssumeRole");
            int update = indexOf(requests, "SageMaker.UpdateModelPackage");
            assertThat(assumeRole).as("an AssumeRole: %s", requests).isNotNegative();
            assertThat(requests.get(assumeRole)).as("it carried the approver as SourceIdentity")
                    .contains("RoleArn=" + APPROVER_ROLE.replace(":", "%3A").replace("/", "%2F"))
                    .contains("SourceIdentity=alice");
            assertThat(update).as("the update came after, in that session").isGreaterThan(assumeRole);

            DeploySpec deploy = registry.deploySpec(first.getArn(), DeploySpec.builder().withEndpointName("fraud")
                    .withExecutionRoleArn("arn:aws:iam::123456789012:role/SageMakerExecution"));
            assertThat(deploy.getInferenceImage()).isEqualTo(SERVING_IMAGE);
            assertThat(deploy.getModelArtifact()).isEqualTo(
                    "s3://ml-models/fraud/ml-fraud-model-c1234-p2-b1/output/model.tar.gz");
            assertThat(registry.refusalToDeploy(first.getArn(), deploy.getModelArtifact(), patchSet3)).isEmpty();
            assertThat(registry.refusalToDeploy(first.getArn(), deploy.getModelArtifact(),
                    Fixtures.context(3).withChange(4321, 1).build())).as("another change's gate does not count")
                    .hasValueSatisfying(why -> assertThat(why).contains("was trained from change")
                            .contains("~1234, not ").contains("~4321"));
            assertThat(registry.refusalToDeploy(first.getArn(), "s3://ml-models/other/model.tar.gz", patchSet3))
                    .hasValueSatisfying(why -> assertThat(why).contains("holds " + deploy.getModelArtifact()));

            ModelVersion second = registry.register(GROUP, train(clients, patchSet3), SERVING_IMAGE, patchSet3, "");
            assertThatIllegalStateException().as("a pending version is not deployed").isThrownBy(() -> registry
                    .deploySpec(second.getArn(), DeploySpec.builder().withEndpointName("fraud")
                            .withExecutionRoleArn("arn:aws:iam::123456789012:role/SageMakerExecution")))
                    .withMessageContaining("fraud-model version 2 (PendingManualApproval) is not Approved");
            assertThat(registry.refusalToDeploy(second.getArn(), deploy.getModelArtifact(), patchSet3))
                    .hasValueSatisfying(why -> assertThat(why).contains("is not Approved"));
            assertThat(registry.checksToDeploy(" ", deploy.getModelArtifact(), patchSet3)).as("no package, no check").isEmpty();
            assertThat(registry.checksToDeploy(second.getArn(), deploy.getModelArtifact(), patchSet3).get(0).refusal())
                    .hasValueSatisfying(why -> assertThat(why).contains("is not Approved"));
            ModelRegistry.Mirrored notApproved = registry.mirrorReview(GROUP, patchSet3,
                    io.jenkins.plugins.gerritml.core.gerrit.LiveChange.Status.NEW, "");
            assertThat(notApproved.isMirrored()).isFalse();
            assertThat(notApproved.describe()).containsExactly("Patch set 3 of change 1234 is not approved: no "
                    + "version of " + GROUP + " approved");
            assertThat(registry.describe(second.getArn()).getStatus()).isEqualTo("PendingManualApproval");
            List<ModelVersion> rejected = registry.rejectSuperseded(GROUP, patchSet3);

            assertThat(second.getVersion()).isEqualTo(2);
            assertThat(rejected).extracting(ModelVersion::getVersion).containsExactly(1);
            assertThat(registry.describe(first.getArn()).getStatus()).isEqualTo(ModelVersion.REJECTED);
            assertThat(registry.describe(first.getArn()).getApprovalDescription())
                    .isEqualTo("Superseded by patch set 3 of change 1234");
            assertThat(registry.versionFor(GROUP, "ml/fraud-model", 1234, 3)).hasValue(second);
            assertThatIllegalArgumentException().isThrownBy(() -> registry.approve(second, 2, "a patch set 2 vote"))
                    .withMessageContaining("was trained from patch set 3, not 2");
            assertThat(registry.describe(second.getArn()).getStatus()).isEqualTo(ModelVersion.PENDING);
        }
    }

    /** An approved version deploys, and the signed promotion record names the package and verifies. */
    @Test
    void shouldDeployTheApprovedVersionAndSignAPromotionNamingIt() throws Exception {
        TrainingContext patchSet2 = Fixtures.context(7).withChange(4242, 2).build();
        ModelVersion version;
        try (AwsClients clients = AwsClients.create(config().build())) {
            ModelRegistry registry = new ModelRegistry(clients.sageMaker());
            version = registry.approve(registry.register(GROUP + "-promoted", train(clients, patchSet2),
                    SERVING_IMAGE, patchSet2, ""), 2, "ml/fraud-model~4242 patch set 2 approved: Alice Code-Review+2");
            DeploySpec spec = registry.deploySpec(version.getArn(), DeploySpec.builder().withEndpointName("fraud-pkg")
                    .withExecutionRoleArn("arn:aws:iam::123456789012:role/SageMakerExecution"));
            assertThat(registry.refusalToDeploy(version.getArn(), spec.getModelArtifact(), patchSet2)).isEmpty();
            DeployResult result;
            try (io.jenkins.plugins.gerritml.core.pipeline.JobWatcher watcher =
                         new io.jenkins.plugins.gerritml.core.pipeline.JobWatcher(FAST, java.time.Clock.systemUTC())) {
                result = new SageMakerDeployer(clients, watcher).deploy(spec, patchSet2,
                        (s, c) -> GateDecision.approved("Code-Review+2 by alice", List.of("alice")),
                        TrainingListener.silent());
            }
            assertThat(result.isDeployed()).isTrue();

            io.jenkins.plugins.gerritml.core.gerrit.GerritAccount dana = io.jenkins.plugins.gerritml.core.gerrit
                    .GerritAccount.valueOf(1000004, "Dana", "dana@example.com", "dana");
            io.jenkins.plugins.gerritml.core.gerrit.GerritChange change = io.jenkins.plugins.gerritml.core.gerrit
                    .GerritChange.builder().withSource(io.jenkins.plugins.gerritml.core.gerrit.ContextSource
                            .GERRIT_EVENT).withProject("ml/fraud-model").withBranch("master").withChangeNumber(4242)
                    .withChangeId("I" + "4".repeat(40)).withPatchSetNumber(2).withRevision("b".repeat(40))
                    .withEventType("change-merged").withUploader(dana).build();
            io.jenkins.plugins.gerritml.core.pipeline.LineageKey key = io.jenkins.plugins.gerritml.core.pipeline
                    .LineageKey.generateEd25519();
            io.jenkins.plugins.gerritml.core.pipeline.SignedLineage signed = io.jenkins.plugins.gerritml.core
                    .pipeline.SignedLineage.sign(io.jenkins.plugins.gerritml.core.engine.LineageRecords.training(
                            change, dana, List.of(), java.time.Instant.now(), "https://review.example.com/")
                    .withJob(io.jenkins.plugins.gerritml.core.engine.LineageJobs.promotion(spec, result,
                            registry.describeIfNamed(version.getArn()))).build(), key);

            io.jenkins.plugins.gerritml.core.pipeline.LineageVerification verified =
                    new io.jenkins.plugins.gerritml.core.pipeline.LineageVerifier(List.of(key))
                            .verify(signed.toJsonText());
            assertThat(verified.isValid()).as(verified.summary()).isTrue();
            assertThat(verified.getRecord().orElseThrow().getJob().getParameters())
                    .containsEntry("modelPackage", version.getArn()).containsEntry("modelPackageVersion", "1");
        }
    }
}
