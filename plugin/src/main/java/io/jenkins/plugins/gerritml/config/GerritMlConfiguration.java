package io.jenkins.plugins.gerritml.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.GlobalConfiguration;
import io.jenkins.plugins.gerritml.util.CredentialsListBoxes;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Manage Jenkins → System → Gerrit ML Pipelines (and JCasC {@code unclassified: gerritMl:}): Gerrit REST defaults
 * when Gerrit Trigger's server configuration has none, Prefect servers, AWS defaults, the lineage signing key.
 * Only credential ids are stored here, never secrets.
 */
@Extension
@Symbol("gerritMl")
public class GerritMlConfiguration extends GlobalConfiguration {
    private String gerritUrl = "";
    private String gerritCredentialsId = "";
    private List<PrefectServer> prefectServers = new ArrayList<>();
    private String awsRegion = "";
    private String awsCredentialsId = "";
    private String awsRoleArn = "";
    private String awsExternalId = "";
    private String awsEndpointOverride = "";
    private String lineageKeyCredentialsId = "";

    public GerritMlConfiguration() {
        load();
    }

    public static GerritMlConfiguration get() {
        return hudson.ExtensionList.lookupSingleton(GerritMlConfiguration.class);
    }

    @Override
    public boolean configure(final org.kohsuke.stapler.StaplerRequest2 req, final net.sf.json.JSONObject json)
            throws FormException {
        // A form with no Prefect server left sends no prefectServers key, so binding alone would keep the last one.
        prefectServers = new ArrayList<>();
        return super.configure(req, json);
    }

    public String getGerritUrl() {
        return gerritUrl;
    }

    @DataBoundSetter
    public void setGerritUrl(final String gerritUrl) {
        this.gerritUrl = Util.fixNull(gerritUrl).trim();
        save();
    }

    public String getGerritCredentialsId() {
        return gerritCredentialsId;
    }

    @DataBoundSetter
    public void setGerritCredentialsId(final String gerritCredentialsId) {
        this.gerritCredentialsId = Util.fixNull(gerritCredentialsId);
        save();
    }

    public List<PrefectServer> getPrefectServers() {
        return prefectServers;
    }

    @DataBoundSetter
    public void setPrefectServers(final List<PrefectServer> prefectServers) {
        this.prefectServers = prefectServers == null ? new ArrayList<>() : new ArrayList<>(prefectServers);
        save();
    }

    public Optional<PrefectServer> findPrefectServer(final String name) {
        return prefectServers.stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    public String getAwsRegion() {
        return awsRegion;
    }

    @DataBoundSetter
    public void setAwsRegion(final String awsRegion) {
        this.awsRegion = Util.fixNull(awsRegion).trim();
        save();
    }

    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    @DataBoundSetter
    public void setAwsCredentialsId(final String awsCredentialsId) {
        this.awsCredentialsId = Util.fixNull(awsCredentialsId);
        save();
    }

    public String getAwsRoleArn() {
        return awsRoleArn;
    }

    @DataBoundSetter
    public void setAwsRoleArn(final String awsRoleArn) {
        this.awsRoleArn = Util.fixNull(awsRoleArn).trim();
        save();
    }

    public String getAwsExternalId() {
        return awsExternalId;
    }

    @DataBoundSetter
    public void setAwsExternalId(final String awsExternalId) {
        this.awsExternalId = Util.fixNull(awsExternalId).trim();
        save();
    }

    public String getAwsEndpointOverride() {
        return awsEndpointOverride;
    }

    @DataBoundSetter
    public void setAwsEndpointOverride(final String awsEndpointOverride) {
        this.awsEndpointOverride = Util.fixNull(awsEndpointOverride).trim();
        save();
    }

    public String getLineageKeyCredentialsId() {
        return lineageKeyCredentialsId;
    }

    @DataBoundSetter
    public void setLineageKeyCredentialsId(final String lineageKeyCredentialsId) {
        this.lineageKeyCredentialsId = Util.fixNull(lineageKeyCredentialsId);
        save();
    }

    @POST
    public FormValidation doCheckGerritUrl(@QueryParameter final String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return checkHttpUrl(value, "the Gerrit front-end URL, e.g. https://review.example.com/");
    }

    @POST
    public FormValidation doCheckAwsEndpointOverride(@QueryParameter final String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok()
                : checkHttpUrl(value, "an endpoint URL such as https://vpce-123.api.sagemaker.eu-west-1.vpce.amazonaws.com");
    }

    @POST
    public FormValidation doCheckAwsRoleArn(@QueryParameter final String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String arn = Util.fixEmptyAndTrim(value);
        if (arn == null || arn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
            return FormValidation.ok();
        }
        return FormValidation.error("Not an IAM role ARN: expected arn:aws:iam::123456789012:role/name");
    }

    @POST
    public ListBoxModel doFillGerritCredentialsIdItems(@QueryParameter final String gerritCredentialsId) {
        return credentials(StandardUsernamePasswordCredentials.class, gerritCredentialsId);
    }

    @POST
    public ListBoxModel doFillLineageKeyCredentialsIdItems(@QueryParameter final String lineageKeyCredentialsId) {
        return credentials(StringCredentials.class, lineageKeyCredentialsId);
    }

    @POST
    public ListBoxModel doFillAwsCredentialsIdItems(@QueryParameter final String awsCredentialsId) {
        return credentials(com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials.class,
                awsCredentialsId);
    }

    static ListBoxModel credentials(final Class<? extends com.cloudbees.plugins.credentials.common.StandardCredentials> type,
            final String current) {
        return CredentialsListBoxes.forAdministrator(type, current);
    }

    static FormValidation checkHttpUrl(final String value, final String expected) {
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            return FormValidation.ok();
        }
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null) {
                return FormValidation.ok();
            }
        } catch (java.net.URISyntaxException e) {
            return FormValidation.error("Malformed URL: " + e.getMessage());
        }
        return FormValidation.error("Expected " + expected + " (no user or password in the URL: use credentials)");
    }
}
