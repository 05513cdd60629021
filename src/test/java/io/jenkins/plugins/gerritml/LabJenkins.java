package io.jenkins.plugins.gerritml;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.sonyericsson.hudson.plugins.gerrit.trigger.hudsontrigger.GerritCause;
import com.sonymobile.tools.gerrit.gerritevents.GerritJsonEventFactory;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Provider;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.GerritTriggeredEvent;
import hudson.model.CauseAction;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.config.PrefectServer;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.MotoServer;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

import java.util.List;

/** Points a test Jenkins at the lab servers the way an admin would, and starts builds for lab changes. */
public final class LabJenkins {
    /** The Gerrit Trigger server name the lab's events come from. */
    public static final String SERVER = "lab";
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

    /**
     * Starts a build for {@code change} the way Gerrit Trigger starts one: a {@link GerritCause} holding the
     * change's patchset-created event, from the Gerrit server named {@code lab}, and the GERRIT_* parameters.
     */
    public static WorkflowRun start(final WorkflowJob job, final LabChange change) throws Exception {
        JSONObject patchSet = new JSONObject().element("number", String.valueOf(change.patchSet()))
                .element("revision", change.revision()).element("ref", change.ref());
        JSONObject event = new JSONObject().element("type", "patchset-created")
                .element("change", new JSONObject().element("project", change.project())
                        .element("branch", change.branch()).element("id", change.changeId())
                        .element("number", String.valueOf(change.number())).element("subject", change.subject()))
                .element("patchSet", patchSet)
                .element("eventCreatedOn", System.currentTimeMillis() / 1000);
        GerritTriggeredEvent triggered = (GerritTriggeredEvent) GerritJsonEventFactory.getEvent(event);
        triggered.setProvider(new Provider(SERVER, "127.0.0.1", "29418", "ssh", "", ""));
        return job.scheduleBuild2(0, new CauseAction(new GerritCause(triggered, true)), parameters(change))
                .waitForStart();
    }

    /** Starts a build for {@code change} from GERRIT_* parameters alone, as anyone may type them: untrusted. */
    public static WorkflowRun startWithParameters(final WorkflowJob job, final LabChange change) throws Exception {
        return job.scheduleBuild2(0, parameters(change)).waitForStart();
    }

    private static ParametersAction parameters(final LabChange change) {
        return new ParametersAction(
                new StringParameterValue("GERRIT_PROJECT", change.project()),
                new StringParameterValue("GERRIT_BRANCH", change.branch()),
                new StringParameterValue("GERRIT_CHANGE_NUMBER", String.valueOf(change.number())),
                new StringParameterValue("GERRIT_PATCHSET_NUMBER", String.valueOf(change.patchSet())),
                new StringParameterValue("GERRIT_PATCHSET_REVISION", change.revision()),
                new StringParameterValue("GERRIT_CHANGE_ID", change.changeId()),
                new StringParameterValue("GERRIT_REFSPEC", change.ref()));
    }

    /** A fresh Ed25519 lineage signing key as "Secret text" credentials {@code id} of {@code scope}. */
    public static void lineageKey(final String id, final CredentialsScope scope) throws Exception {
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        String pem = "-----BEGIN PRIVATE KEY-----" + base64.encodeToString(pair.getPrivate().getEncoded())
                + "-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----"
                + base64.encodeToString(pair.getPublic().getEncoded()) + "-----END PUBLIC KEY-----";
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(scope, id, "lineage key",
                        hudson.util.Secret.fromString(pem)));
        SystemCredentialsProvider.getInstance().save();
    }
}
