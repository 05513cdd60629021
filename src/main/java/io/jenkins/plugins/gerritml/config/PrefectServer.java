package io.jenkins.plugins.gerritml.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gerritml.core.pipeline.FolderRestriction;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Prefect API a pipeline may name: Prefect Cloud ({@code https://api.prefect.cloud/api/accounts/A/workspaces/W},
 * an API key as Secret text) or a self-hosted server (optional basic auth as Username with password).
 */
public class PrefectServer implements Describable<PrefectServer> {
    private final String name;
    private final String apiUrl;
    private String credentialsId = "";
    /** Job full-name prefixes (folders) that may use this server and its key; empty: every job. */
    private String folders = "";

    @DataBoundConstructor
    public PrefectServer(final String name, final String apiUrl) {
        this.name = Util.fixNull(name).trim();
        this.apiUrl = Util.fixNull(apiUrl).trim();
    }

    public String getName() {
        return name;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId);
    }

    public String getFolders() {
        return folders;
    }

    @DataBoundSetter
    public void setFolders(final String folders) {
        this.folders = Util.fixNull(folders).trim();
    }

    /** Which jobs may use this server, as core checks it. */
    public FolderRestriction folderRestriction() {
        return FolderRestriction.parse(folders);
    }

    /** Descriptor with form validation for the admin page. */
    @Extension
    public static class DescriptorImpl extends Descriptor<PrefectServer> {
        @Override
        public String getDisplayName() {
            return "Prefect server";
        }

        @POST
        public FormValidation doCheckName(@QueryParameter final String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Give the server a name that pipelines "
                    + "use, e.g. prefect-prod") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckApiUrl(@QueryParameter final String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("The API URL is required, e.g. http://prefect.internal:4200/api or "
                        + "https://api.prefect.cloud/api/accounts/<account>/workspaces/<workspace>");
            }
            return GerritMlConfiguration.checkHttpUrl(value, "the Prefect API URL ending in /api or in the workspace");
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter final String credentialsId) {
            // Secret text: a Prefect Cloud API key; username with password: a self-hosted server's basic auth.
            com.cloudbees.plugins.credentials.common.StandardListBoxModel model =
                    new com.cloudbees.plugins.credentials.common.StandardListBoxModel();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return model.includeCurrentValue(credentialsId);
            }
            return model.includeEmptyValue()
                    .includeAs(hudson.security.ACL.SYSTEM2, Jenkins.get(), StringCredentials.class)
                    .includeAs(hudson.security.ACL.SYSTEM2, Jenkins.get(),
                            com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials.class)
                    .includeCurrentValue(credentialsId);
        }
    }
}
