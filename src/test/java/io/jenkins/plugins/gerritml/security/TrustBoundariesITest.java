package io.jenkins.plugins.gerritml.security;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Result;
import io.jenkins.plugins.gerritml.LabJenkins;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.BaseCredentials;
import io.jenkins.plugins.gerritml.core.sagemaker.SimpleAwsConnectionConfig;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabPolicy;
import io.jenkins.plugins.gerritml.lab.MotoLab;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust-boundary attacks in a real Jenkins against the lab's Gerrit and moto: each is refused before anything is
 * sent, with the rule in the build log.
 */
@WithJenkins
@ExtendWith({GerritLab.class, MotoLab.class})
class TrustBoundariesITest {
    /** A project of its own: its policy must not reach the other tests' training on the shared Gerrit. */
    private static final String POLICY_PROJECT = "ml-policy";
    private static final String TRAIN = "sagemakerTrain(trainingImage: "
            + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
            + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: 's3://data/train/'], "
            + "outputPath: 's3://models/churn/')\n";

    private static List<String> trainingJobs(final MotoServer moto) {
        try (AwsClients admin = AwsClients.create(SimpleAwsConnectionConfig.builder("us-east-1",
                BaseCredentials.staticKeys(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY))
                .withEndpointOverride(moto.endpoint()).build())) {
            return admin.sageMaker().listTrainingJobs(b -> b.maxResults(100)).trainingJobSummaries().stream()
                    .map(s -> s.trainingJobName()).toList();
        }
    }

    @Test
    void shouldRefuseAVoteOutsideTheAllowListAndPostNothing(final JenkinsRule r, final GerritServer gerrit)
            throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Sneak a +1", "model/params.yaml", "lr: 0.1");
        WorkflowJob job = LabJenkins.job(r, "vote-cr", "gerritVote(labels: ['Code-Review': 1], message: 'LGTM')");

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("The vote Code-Review=+1 is not allowed on Gerrit server", run);
        r.assertLogContains("[rule: vote-allow-list]", run);
        assertThat(gerrit.readChange(change).at("/labels/Code-Review/all").findValuesAsText("username"))
                .doesNotContain("jenkins");
    }

    /**
     * The repository policy holds in Jenkins: a dataset only Data Stewards may use is refused for a change whose
     * people are not among them, before anything is created in AWS; an allowed dataset trains.
     */
    @Test
    void shouldRefuseADatasetOutsideThePeoplesGroupsBeforeAnythingIsCreated(final JenkinsRule r,
            final GerritServer gerrit, final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        gerrit.createProject(POLICY_PROJECT);
        LabPolicy.install(gerrit, POLICY_PROJECT);
        LabChange change = gerrit.createChange(gerrit.dana(), POLICY_PROJECT, "Train on PII", "model/params.yaml",
                "e: 5");
        WorkflowJob refused = LabJenkins.job(r, "pii", train("s3://ml-data/restricted/pii/"));
        List<String> before = trainingJobs(moto);

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(refused, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("sagemakerTrain: Nothing was created: the repository policy (.gerrit-ml.yaml on "
                + POLICY_PROJECT + " master) refuses it: dataset s3://ml-data/restricted/pii/ is allowed only for "
                + "members of Data Stewards", run);
        assertThat(trainingJobs(moto)).as("no training job was created").isEqualTo(before);

        WorkflowJob allowed = LabJenkins.job(r, "approved-data", train("s3://ml-data/approved/churn/"));
        r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(allowed, change)));
        assertThat(trainingJobs(moto)).hasSize(before.size() + 1);
    }

    private static String train(final String dataset) {
        return "sagemakerTrain(trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', inputs: [train: '" + dataset + "'], "
                + "outputPath: 's3://models/churn/')\n";
    }

    /** The administrator's Gerrit credential is lent only for the build's own event, never for a typed change. */
    @Test
    void shouldRefuseTheGlobalCredentialToABuildStartedWithParametersAlone(final JenkinsRule r,
            final GerritServer gerrit) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange change = gerrit.createChange(gerrit.dana(), "Typed change", "model/params.yaml", "t: 1");
        WorkflowJob job = LabJenkins.job(r, "typed", "gerritVote(labels: [Verified: 1], message: 'Typed vote')");

        WorkflowRun run = r.waitForCompletion(LabJenkins.startWithParameters(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("was named by build parameters or environment variables (GERRIT_*)", run);
        r.assertLogContains("[rule: ci-accounts-only-for-own-event]", run);
        assertThat(gerrit.readChange(change).get("messages").toString()).doesNotContain("Typed vote");
    }

    /** withEnv cannot point a build Gerrit started at another change: it is ignored, and the log says so. */
    @Test
    void shouldVoteOnTheEventsChangeAndSayThatGerritVariablesNamingAnotherAreIgnored(final JenkinsRule r,
            final GerritServer gerrit) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabChange own = gerrit.createChange(gerrit.dana(), "Own change", "model/params.yaml", "o: 1");
        LabChange other = gerrit.createChange(gerrit.dana(), "Other change", "model/params.yaml", "o: 2");
        WorkflowJob job = LabJenkins.job(r, "redirect", "withEnv(['GERRIT_CHANGE_NUMBER=" + other.number()
                + "', 'GERRIT_PATCHSET_NUMBER=" + other.patchSet() + "']) {\n"
                + "  gerritVote(labels: [Verified: 1], message: 'Redirected vote')\n}");

        WorkflowRun run = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(job, own)));

        r.assertLogContains("GERRIT_CHANGE_NUMBER=" + other.number() + " GERRIT_PATCHSET_NUMBER=" + other.patchSet()
                + " are ignored: this build was started by Gerrit's event for change " + own.number(), run);
        assertThat(gerrit.readChange(own).get("messages").toString()).contains("Redirected vote");
        assertThat(gerrit.readChange(other).get("messages").toString()).doesNotContain("Redirected vote");
    }

    @Test
    void shouldRefuseTrainingWithoutACredentialUnlessTheDefaultChainIsAllowed(final JenkinsRule r,
            final GerritServer gerrit, final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        GerritMlConfiguration.get().setAwsCredentialsId("");
        LabChange change = gerrit.createChange(gerrit.dana(), "Train on the house", "model/params.yaml", "e: 1");
        WorkflowJob job = LabJenkins.job(r, "ambient", TRAIN);
        // moto is shared by the class's tests: "nothing was created" is "no job more than before".
        List<String> before = trainingJobs(moto);

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("[rule: aws-default-chain-opt-in]", run);
        assertThat(trainingJobs(moto)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void shouldRefuseARoleOutsideTheAdministratorsPatterns(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        GerritMlConfiguration.get().setAwsRolePatterns("arn:aws:iam::123456789012:role/ml-*");
        LabChange change = gerrit.createChange(gerrit.dana(), "Train as admin", "model/params.yaml", "e: 2");
        WorkflowJob job = LabJenkins.job(r, "role", TRAIN);
        List<String> before = trainingJobs(moto);

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("roleArn 'arn:aws:iam::123456789012:role/SageMakerExecution' matches none of the allowed "
                + "patterns [arn:aws:iam::123456789012:role/ml-*]", run);
        r.assertLogContains("[rule: aws-role-arn-patterns]", run);
        assertThat(trainingJobs(moto)).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void shouldSignWithASystemScopedKeyAndRefuseAGlobalOne(final JenkinsRule r, final GerritServer gerrit,
            final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabJenkins.lineageKey("ml-lineage", CredentialsScope.SYSTEM);
        LabJenkins.lineageKey("ml-lineage-global", CredentialsScope.GLOBAL);
        LabChange change = gerrit.createChange(gerrit.dana(), "Train and sign", "model/params.yaml", "e: 3");

        GerritMlConfiguration.get().setLineageKeyCredentialsId("ml-lineage");
        WorkflowRun signed = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(
                LabJenkins.job(r, "signed", TRAIN), change)));
        r.assertLogContains("Archived signed lineage record lineage/sagemaker-", signed);

        GerritMlConfiguration.get().setLineageKeyCredentialsId("ml-lineage-global");
        WorkflowRun refused = r.assertBuildStatusSuccess(r.waitForCompletion(LabJenkins.start(
                LabJenkins.job(r, "global-key", TRAIN), change)));
        r.assertLogContains("No signed lineage record: Credentials 'ml-lineage-global' for the lineage signing key "
                + "are global-scoped, so any Pipeline could read them with withCredentials", refused);
    }

    @Test
    void shouldSignThePromotionWithTheSystemScopedKeyThatNoPipelineCanRead(final JenkinsRule r,
            final GerritServer gerrit, final MotoServer moto) throws Exception {
        LabJenkins.gerrit(gerrit);
        LabJenkins.aws(moto);
        LabJenkins.lineageKey("ml-lineage", CredentialsScope.SYSTEM);
        GerritMlConfiguration.get().setLineageKeyCredentialsId("ml-lineage");
        LabChange change = gerrit.createChange(gerrit.dana(), "Train, promote, sign", "model/params.yaml", "e: 4");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.vote(gerrit.jenkins(), change, "Verified", 1);
        gerrit.submit(change);
        WorkflowJob job = LabJenkins.job(r, "promote", "def model = " + TRAIN + "sagemakerDeploy(endpointName: "
                + "'churn-signed', modelArtifact: model.modelArtifact, inferenceImage: "
                + "'123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1', roleArn: "
                + "'arn:aws:iam::123456789012:role/SageMakerExecution', approvalGroups: ['" + GerritServer.APPROVERS
                + "'])\nwithCredentials([string(credentialsId: 'ml-lineage', variable: 'KEY')]) { echo 'read it' }\n");

        WorkflowRun run = r.waitForCompletion(LabJenkins.start(job, change));

        // Both records are signed with the administrator's key, which the same Pipeline cannot read.
        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("Archived signed lineage record lineage/sagemaker-", run);
        r.assertLogContains("Archived signed promotion record lineage/promotion-", run);
        r.assertLogNotContains("No signed promotion record", run);
        r.assertLogContains("Could not find credentials entry with ID 'ml-lineage'", run);
        r.assertLogNotContains("read it", run);
    }

    @Test
    void shouldKeepAPrefectServerToItsFolders(final JenkinsRule r) throws Exception {
        PrefectServer server = new PrefectServer("prefect-prod", "http://127.0.0.1:9/api");
        server.setFolders("ml/fraud");
        GerritMlConfiguration.get().setPrefectServers(List.of(server));
        WorkflowJob job = r.createProject(WorkflowJob.class, "playground");
        job.setDefinition(new org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition(
                "prefectFlowRun(deployment: 'train/churn', review: false)", true));

        WorkflowRun run = r.waitForCompletion(job.scheduleBuild2(0).waitForStart());

        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("Job 'playground' may not use Prefect server 'prefect-prod': an administrator limited it "
                + "to jobs in [ml/fraud]", run);
        r.assertLogContains("[rule: folder-restriction]", run);
    }
}
