package io.jenkins.plugins.gerritml.sagemaker;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.SimpleAwsConnectionConfig;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabPolicy;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sagemakerTrain and sagemakerDeploy in a real Jenkins with the real AWS SDK against moto and the lab's Gerrit.
 * (moto completes training jobs at once and has no StopTrainingJob: abort and restart mid-wait were shown by hand
 * against the core tests' scripted SageMaker; see docs/steps.md.)
 */
@WithJenkins
@ExtendWith({GerritLab.class, MotoLab.class})
class SageMakerStepsITest {
    private static final String TRAIN = "def model = sagemakerTrain(trainingImage: "
            + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
            + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
            + "outputPath: 's3://models/churn/', hyperparameters: [epochs: 3])\n"
            + "echo \"job=${model.jobName} status=${model.status} artifact=${model.modelArtifact}\"\n";

    @Test
    void shouldTrainVoteAndRecordTheLineage(final JenkinsRule r, final GerritServer gerrit, final MotoServer moto)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Train churn", "model/params.yaml", "epochs: 3");
        WorkflowJob job = LabJenkins.job(r, "train", TRAIN);

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));

        // The Jenkins job's name and the step are part of the training job's: pipelines and branches never share.
        String build = io.jenkins.plugins.gerritml.core.sagemaker.SageMakerNames.trainingJobName(
                io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext.builder().withProject("ml-demo")
                        .withChange(change.number(), change.patchSet()).withRevision("any").withJob("train")
                        .withBuild(1, null).build());
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("job=(\\S+) status=Completed")
                .matcher(run.getLog());
        assertThat(named.find()).as("the job's name in the log").isTrue();
        String jobName = named.group(1);
        assertThat(jobName).startsWith(build + "-s");
        r.assertLogContains("job=" + jobName + " status=Completed artifact=s3://models/churn/" + jobName
                + "/output/model.tar.gz", run);
        r.assertLogNotContains(MotoServer.SECRET_ACCESS_KEY, run);
        assertThat(run.getAction(LineageAction.class).getEntries()).singleElement()
                .satisfies(e -> assertThat(e.getId()).isEqualTo(jobName));
        JsonNode messages = gerrit.readChange(change).get("messages");
        assertThat(messages.get(messages.size() - 1).get("message").asText()).contains("Verified+1",
                "SageMaker training job " + jobName + ": Completed", "Model artifact: s3://models/churn/" + jobName);
    }

    /** A sweep: parallel branches of one build each train a job of their own, none adopts another's. */
    @Test
    void shouldTrainOneJobPerParallelBranch(final JenkinsRule r, final GerritServer gerrit, final MotoServer moto)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Sweep churn", "model/params.yaml", "lr: [1, 2]");
        WorkflowJob job = LabJenkins.job(r, "sweep", "parallel(['lr1', 'lr2'].collectEntries { lr -> [(lr): {\n"
                + "  def m = sagemakerTrain(trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', "
                + "roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
                + "outputPath: 's3://models/sweep/', hyperparameters: [lr: lr], review: false)\n"
                + "  echo \"${lr} trained ${m.jobName}\"\n}] })");

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));

        java.util.regex.Matcher trained = java.util.regex.Pattern.compile("lr[12] trained (\\S+)")
                .matcher(run.getLog());
        java.util.Set<String> names = new java.util.HashSet<>();
        while (trained.find()) {
            names.add(trained.group(1));
        }
        assertThat(names).hasSize(2);
        r.assertLogNotContains("exists already", run);
    }

    /** The Model Registry from a Jenkinsfile: approved when the build's gate approved the patch set; only an approved version deploys. */
    @Test
    void shouldRegisterApproveWhenTheGatePassedAndDeployOnlyAnApprovedVersion(final JenkinsRule r,
            final GerritServer gerrit, final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Register churn", "model/registry.yaml", "epochs: 4");
        String train = "sagemakerTrain(trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', "
                + "roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
                + "outputPath: 's3://models/registry/', modelPackageGroup: 'churn-" + change.number() + "')\n";
        WorkflowJob pending = LabJenkins.job(r, "register", train);
        WorkflowRun first = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(pending, change)));
        r.assertLogContains("Model package churn-" + change.number() + " version 1 (PendingManualApproval)", first);

        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        WorkflowJob approved = LabJenkins.job(r, "register-approved", "requireGerritApproval(groups: ['"
                + GerritServer.APPROVERS + "'])\n" + train);
        WorkflowRun second = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(approved, change)));

        r.assertLogContains("Model package churn-" + change.number() + " version 2 (Approved)", second);
        JsonNode messages = gerrit.readChange(change).get("messages");
        assertThat(messages.get(messages.size() - 1).get("message").asText())
                .contains("Model package churn-" + change.number() + " version 2 (Approved)");

        gerrit.vote(gerrit.jenkins(), change, "Verified", 1);
        gerrit.submit(change);
        String deploy = "sagemakerDeploy(endpointName: 'churn-registry', modelPackage: %s, modelArtifact: "
                + "m.modelArtifact, inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1', "
                + "roleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution', approvalGroups: ['"
                + GerritServer.APPROVERS + "'])\n";
        WorkflowJob fromPackage = LabJenkins.job(r, "deploy-package", "requireGerritApproval(groups: ['"
                + GerritServer.APPROVERS + "'])\ndef m = " + train + "echo \"package=${m.modelPackageArn} "
                + "${m.modelPackageStatus}\"\n" + deploy.formatted("m.modelPackageArn"));
        WorkflowRun deployed = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(fromPackage,
                change)));
        r.assertLogContains("/churn-" + change.number() + "/3 Approved", deployed);
        r.assertLogContains("Created model", deployed);

        WorkflowJob fromPending = LabJenkins.job(r, "deploy-pending", "def m = " + train
                + deploy.formatted("m.modelPackageArn"));
        WorkflowRun refused = r.waitForCompletion(LabJenkins.start(fromPending, change));
        r.assertBuildStatus(Result.FAILURE, refused);
        r.assertLogContains("version 4 (PendingManualApproval) is not Approved", refused);
        r.assertLogNotContains("Created model", refused);
    }

    /** approveModelPackage after training: refused without an approval, approves once approved, rejects on abandon. */
    @Test
    void shouldApproveAfterTrainingAndRejectWhenTheChangeIsAbandoned(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Approve later", "model/later.yaml", "epochs: 7");
        String group = "later-" + change.number();
        r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(LabJenkins.job(r, "later-train",
                "sagemakerTrain(trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
                + "outputPath: 's3://models/later/', modelPackageGroup: '" + group + "')"), change)));
        String approve = "def m = approveModelPackage(modelPackageGroup: '" + group + "')\n"
                + "echo \"approved=${m.approved} rejected=${m.rejected}\"";

        WorkflowRun unapproved = r.waitForCompletion(LabJenkins.start(LabJenkins.job(r, "later-unapproved", approve),
                change));
        r.assertBuildStatus(Result.FAILURE, unapproved);
        r.assertLogContains("is not approved: no version of " + group + " approved", unapproved);

        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        WorkflowRun approved = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(LabJenkins.job(r,
                "later-approve", "requireGerritApproval(groups: ['" + GerritServer.APPROVERS + "'])\n" + approve),
                change)));
        r.assertLogContains("Approved model package " + group + " version 1 (Approved) as alice", approved);
        r.assertLogContains("model-package/" + group + "/1 rejected=[]", approved);

        gerrit.abandon(gerrit.dana(), change);
        WorkflowRun abandoned = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(LabJenkins.job(r,
                "later-abandoned", approve), change)));
        r.assertLogContains("Rejected model package " + group + " version 1 (Rejected): Change " + change.number()
                + " was abandoned", abandoned);
    }

    /** As from the CLI, the registered version names the signed training record it came with. */
    @Test
    void shouldRegisterTheVersionWithTheDigestOfItsSignedLineage(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabJenkins.lineageKey("ml-lineage", CredentialsScope.SYSTEM);
        GerritMlConfiguration.get().setLineageKeyCredentialsId("ml-lineage");
        LabChange change = gerrit.createChange(gerrit.dana(), "Signed registry", "model/signed.yaml", "epochs: 8");
        String group = "signed-" + change.number();
        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(LabJenkins.job(r,
                "signed-register", "def m = sagemakerTrain(trainingImage: "
                + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
                + "outputPath: 's3://models/signed/', modelPackageGroup: '" + group + "')\n"
                + "echo \"package=${m.modelPackageArn}\""), change)));

        java.util.regex.Matcher digest = java.util.regex.Pattern.compile("Archived signed lineage record \\S+ "
                + "\\(digest (\\S+),").matcher(run.getLog());
        assertThat(digest.find()).as(run.getLog()).isTrue();
        r.assertLogContains("Archived signed lineage record", run);
        assertThat(run.getLog().indexOf("Archived signed lineage record")).as("signed before it is registered")
                .isLessThan(run.getLog().indexOf("Model package " + group + " version 1"));
        java.util.regex.Matcher archived = java.util.regex.Pattern.compile("Archived signed lineage record (\\S+) ")
                .matcher(run.getLog());
        assertThat(archived.find()).isTrue();
        com.fasterxml.jackson.databind.JsonNode messages = gerrit.readChange(change).get("messages");
        io.jenkins.plugins.gerritml.core.gerrit.CheckBlock check = io.jenkins.plugins.gerritml.core.gerrit.CheckBlock
                .find(messages.get(messages.size() - 1).get("message").asText()).orElseThrow();
        assertThat(check.getLinks()).as("reviewers open the signed record from the vote and the Checks tab")
                .anySatisfy(link -> {
                    assertThat(link.getTitle()).isEqualTo("Lineage record");
                    assertThat(link.getUrl()).isEqualTo(r.getURL() + run.getUrl() + "artifact/" + archived.group(1));
                });
        assertThat(run.getArtifactManager().root().child(archived.group(1)).isFile()).isTrue();
        java.util.regex.Matcher arn = java.util.regex.Pattern.compile("package=(\\S+)").matcher(run.getLog());
        assertThat(arn.find()).isTrue();
        try (AwsClients admin = AwsClients.create(SimpleAwsConnectionConfig.builder("us-east-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint()).build())) {
            assertThat(admin.sageMaker().describeModelPackage(b -> b.modelPackageName(arn.group(1)))
                    .customerMetadataProperties()).containsEntry("lineage:digest", digest.group(1));
        }
    }

    /** The project's reviewed policy names the group: a Jenkinsfile that names none registers there. */
    @Test
    void shouldRegisterInTheGroupTheRepositoryPolicyNames(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        String project = "ml-registry-jenkins";
        LabPolicy.install(gerrit, project, "modelPackageGroup: churn-from-policy\n");
        LabChange change = gerrit.createChange(gerrit.dana(), project, "Train", "model/params.yaml", "epochs: 2");
        WorkflowJob job = LabJenkins.job(r, "register-default", "def m = sagemakerTrain(trainingImage: "
                + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
                + "outputPath: 's3://models/registry/')\necho \"package=${m.modelPackageArn}\"");

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));

        r.assertLogContains("Model package churn-from-policy version 1 (PendingManualApproval)", run);
        r.assertLogContains("model-package/churn-from-policy/1", run);
    }

    @Test
    void shouldRefuseToDeployAnUnmergedChangeBeforeAnyAwsCall(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Deploy early", "model/params.yaml", "epochs: 4");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        WorkflowJob job = LabJenkins.job(r, "deploy", "sagemakerDeploy(endpointName: 'churn-test', modelArtifact: "
                + "'s3://models/churn/m/output/model.tar.gz', inferenceImage: "
                + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', approvalGroups: ['" + GerritServer.APPROVERS
                + "'])");

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("refused by the approval gate", run);
        r.assertLogContains("the change must be merged first (it is NEW)", run);
        r.assertLogNotContains("Created model", run);
    }

    @Test
    void shouldTrainThenDeployAMergedChangeToAnEndpoint(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabChange change = gerrit.createChange(gerrit.dana(), "Deploy", "model/params.yaml", "epochs: 5");
        WorkflowJob job = LabJenkins.job(r, "merge", TRAIN + "def endpoint = sagemakerDeploy(endpointName: "
                + "'churn-it', modelArtifact: model.modelArtifact, inferenceImage: "
                + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', approvalGroups: ['" + GerritServer.APPROVERS
                + "'])\necho \"endpoint=${endpoint.status} deployed=${endpoint.deployed} by=${endpoint.approvers}\"");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.vote(gerrit.jenkins(), change, "Verified", 1);
        gerrit.submit(change);

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, change)));

        r.assertLogContains("endpoint=InService deployed=true by=[alice]", run);
    }
}
