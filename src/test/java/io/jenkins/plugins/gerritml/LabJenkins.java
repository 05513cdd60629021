package io.jenkins.plugins.gerritml;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

import java.util.List;

/** Points a test Jenkins at the lab servers the way an admin would, and starts builds for lab changes. */
public final class LabJenkins {
    public static final String GERRIT_CREDENTIALS = "gerrit-bot";
    public static final String PREFECT_CREDENTIALS = "prefect-lab";
    public static final String AWS_CREDENTIALS = "aws-lab";
    private static final List<String> GERRIT_PARAMETERS = List.of("GERRIT_PROJECT", "GERRIT_BRANCH",
            "GERRIT_CHANGE_NUMBER", "GERRIT_PATCHSET_NUMBER", "GERRIT_PATCHSET_REVISION", "GERRIT_CHANGE_ID",
            "GERRIT_REFSPEC");

    private LabJenkins() {
    }

    /** Gerrit REST defaults: the lab's URL and its jenkins bot as a username-with-password credential. */
    public static void gerrit(final GerritServer gerrit) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, GERRIT_CREDENTIALS, "lab bot", gerrit.jenkins().username(),
                gerrit.jenkins().httpPassword()));
        SystemCredentialsProvider.getInstance().save();
        GerritMlConfiguration.get().setGerritUrl(gerrit.url());
        GerritMlConfiguration.get().setGerritCredentialsId(GERRIT_CREDENTIALS);
    }

    /** One Prefect server, {@code prefect-lab}, with the lab's basic auth as a username-with-password credential. */
    public static void prefect(final io.jenkins.plugins.gerritml.lab.PrefectServer prefect) throws Exception {
        String auth = prefect.authString();
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, PREFECT_CREDENTIALS, "lab prefect", auth.substring(0, auth.indexOf(':')),
                auth.substring(auth.indexOf(':') + 1)));
        SystemCredentialsProvider.getInstance().save();
        PrefectServer server = new PrefectServer("prefect-lab", prefect.apiUrl());
        server.setCredentialsId(PREFECT_CREDENTIALS);
        GerritMlConfiguration.get().setPrefectServers(List.of(server));
    }

    /** AWS defaults: moto as endpoint override, its keys as an AWS Credentials entry. */
    public static void aws(final MotoServer moto) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new AWSCredentialsImpl(CredentialsScope.GLOBAL,
                AWS_CREDENTIALS, MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY, "moto"));
        SystemCredentialsProvider.getInstance().save();
        GerritMlConfiguration.get().setAwsRegion("us-east-1");
        GerritMlConfiguration.get().setAwsCredentialsId(AWS_CREDENTIALS);
        GerritMlConfiguration.get().setAwsEndpointOverride(moto.endpoint().toString());
    }

    /** A Pipeline job taking the GERRIT_* parameters Gerrit Trigger would set. */
    public static WorkflowJob job(final JenkinsRule r, final String name, final String script) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        job.addProperty(new ParametersDefinitionProperty(GERRIT_PARAMETERS.stream()
                .map(p -> new StringParameterDefinition(p, "", "")).toList().toArray(new StringParameterDefinition[0])));
        return job;
    }

    /** Starts a build for {@code change} as Gerrit Trigger's parameters describe it. */
    public static WorkflowRun start(final WorkflowJob job, final LabChange change) throws Exception {
        return job.scheduleBuild2(0, new ParametersAction(
                new StringParameterValue("GERRIT_PROJECT", change.project()),
                new StringParameterValue("GERRIT_BRANCH", change.branch()),
                new StringParameterValue("GERRIT_CHANGE_NUMBER", String.valueOf(change.number())),
                new StringParameterValue("GERRIT_PATCHSET_NUMBER", String.valueOf(change.patchSet())),
                new StringParameterValue("GERRIT_PATCHSET_REVISION", change.revision()),
                new StringParameterValue("GERRIT_CHANGE_ID", change.changeId()),
                new StringParameterValue("GERRIT_REFSPEC", change.ref()))).waitForStart();
    }
}
