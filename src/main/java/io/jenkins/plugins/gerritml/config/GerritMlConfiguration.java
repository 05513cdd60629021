package io.jenkins.plugins.gerritml.config;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.gerritml.core.gerrit.VoteAllowList;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialUse;
import io.jenkins.plugins.gerritml.core.pipeline.LostReviewPolicy;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsAccessPolicy;
import io.jenkins.plugins.gerritml.util.FormChecks;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

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
    /** {@code [server:]Label min..max} per line; Verified -1..+1 is always allowed unless a line names Verified. */
    private String voteAllowList = "";
    private String lostReview = LostReviewPolicy.DEFAULT.name();
    /** On: a new patch set Gerrit calls a trivial rebase or a message-only change leaves older ML jobs running. */
    private boolean keepOnTrivialRebase;
    private String stopGroups;
    /** Off: a build without an AWS credential fails instead of using the controller's own identity. */
    private boolean awsAllowDefaultChain;
    private String awsWebIdentityRoleArn = "";
    private String awsRolePatterns = "";
    private String awsImagePatterns = "";
    private String awsEndpointPatterns = "";

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

    public String getVoteAllowList() {
        return voteAllowList;
    }

    /** What a review the steps could not post does to the build: {@code FAIL} (default) or {@code UNSTABLE}. */
    public String getLostReview() {
        return lostReview;
    }

    @DataBoundSetter
    public void setLostReview(final String lostReview) {
        this.lostReview = LostReviewPolicy.fromSetting(lostReview).name();
        save();
    }

    /** The policy as core reads it; a hand-edited value that no longer parses fails the step, the safe side. */
    public LostReviewPolicy lostReviewPolicy() {
        try {
            return LostReviewPolicy.fromSetting(lostReview);
        } catch (IllegalArgumentException e) {
            return LostReviewPolicy.DEFAULT;
        }
    }

    /**
     * Whether a new patch set that Gerrit classifies as a trivial rebase or a commit-message-only change
     * ({@code TRIVIAL_REBASE}, {@code TRIVIAL_REBASE_WITH_MESSAGE_UPDATE}, {@code NO_CODE_CHANGE}, {@code NO_CHANGE})
     * leaves the older patch set's {@code sagemakerTrain}/{@code prefectFlowRun} jobs running; off, it stops them
     * like any new patch set. Read at each Gerrit event.
     */
    public boolean isKeepOnTrivialRebase() {
        return keepOnTrivialRebase;
    }

    @DataBoundSetter
    public void setKeepOnTrivialRebase(final boolean keepOnTrivialRebase) {
        this.keepOnTrivialRebase = keepOnTrivialRebase;
        save();
    }

    /**
     * The Gerrit groups whose members, besides the change owner, may stop a running {@code sagemakerTrain} or
     * {@code prefectFlowRun} job from the review (a comment {@code gerrit-ml stop <id>}, the Checks tab's Stop); one
     * per line or comma-separated. Read at each request.
     */
    public String getStopGroups() {
        return stopGroups == null ? "" : stopGroups;
    }

    @DataBoundSetter
    public void setStopGroups(final String stopGroups) {
        this.stopGroups = Util.fixEmptyAndTrim(stopGroups);
        save();
    }

    /** {@link #getStopGroups()} as a list. */
    public java.util.List<String> stopGroupList() {
        return io.jenkins.plugins.gerritml.core.gerrit.StopAuthority.groupNames(getStopGroups());
    }

    public ListBoxModel doFillLostReviewItems() {
        ListBoxModel items = new ListBoxModel();
        items.add("Fail the step (reviewers must not miss a result)", LostReviewPolicy.FAIL.name());
        items.add("Mark the build unstable and return the result", LostReviewPolicy.UNSTABLE.name());
        return items;
    }

    @DataBoundSetter
    public void setVoteAllowList(final String voteAllowList) {
        this.voteAllowList = Util.fixNull(voteAllowList).trim();
        save();
    }

    /**
     * The votes the steps may post, as core reads them; a list that no longer parses (hand-edited XML) allows only
     * the default, never more.
     */
    public VoteAllowList voteAllowList() {
        try {
            return VoteAllowList.parse(voteAllowList);
        } catch (IllegalArgumentException e) {
            return VoteAllowList.defaults();
        }
    }

    public boolean isAwsAllowDefaultChain() {
        return awsAllowDefaultChain;
    }

    @DataBoundSetter
    public void setAwsAllowDefaultChain(final boolean awsAllowDefaultChain) {
        this.awsAllowDefaultChain = awsAllowDefaultChain;
        save();
    }

    public String getAwsWebIdentityRoleArn() {
        return awsWebIdentityRoleArn;
    }

    @DataBoundSetter
    public void setAwsWebIdentityRoleArn(final String awsWebIdentityRoleArn) {
        this.awsWebIdentityRoleArn = Util.fixNull(awsWebIdentityRoleArn).trim();
        save();
    }

    public String getAwsRolePatterns() {
        return awsRolePatterns;
    }

    @DataBoundSetter
    public void setAwsRolePatterns(final String awsRolePatterns) {
        this.awsRolePatterns = Util.fixNull(awsRolePatterns).trim();
        save();
    }

    public String getAwsImagePatterns() {
        return awsImagePatterns;
    }

    @DataBoundSetter
    public void setAwsImagePatterns(final String awsImagePatterns) {
        this.awsImagePatterns = Util.fixNull(awsImagePatterns).trim();
        save();
    }

    public String getAwsEndpointPatterns() {
        return awsEndpointPatterns;
    }

    @DataBoundSetter
    public void setAwsEndpointPatterns(final String awsEndpointPatterns) {
        this.awsEndpointPatterns = Util.fixNull(awsEndpointPatterns).trim();
        save();
    }

    /** What builds may do with AWS, as core checks it before any call. */
    public AwsAccessPolicy awsAccessPolicy() {
        return AwsAccessPolicy.builder().withDefaultChainAllowed(awsAllowDefaultChain)
                .withRolePatterns(AwsAccessPolicy.patterns(awsRolePatterns))
                .withImagePatterns(AwsAccessPolicy.patterns(awsImagePatterns))
                .withEndpointPatterns(AwsAccessPolicy.patterns(awsEndpointPatterns))
                .withWhereToConfigure("Manage Jenkins → System → Gerrit ML Pipelines: what builds may do")
                .build();
    }

    @POST
    public FormValidation doCheckVoteAllowList(@QueryParameter final String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            return FormValidation.ok("Allowed on every server: " + VoteAllowList.parse(value).describe(""));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public FormValidation doCheckAwsWebIdentityRoleArn(@QueryParameter final String value) {
        return doCheckAwsRoleArn(value);
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
        return credentials(CredentialUse.GERRIT_REST, gerritCredentialsId, StandardUsernamePasswordCredentials.class);
    }

    /** System-scoped entries only: the key is the administrator's, and a Global one any Pipeline could read. */
    @POST
    public ListBoxModel doFillLineageKeyCredentialsIdItems(@QueryParameter final String lineageKeyCredentialsId) {
        return credentials(CredentialUse.LINEAGE_SIGNING_KEY, lineageKeyCredentialsId, StringCredentials.class);
    }

    /** AWS keys or a Secret-text OIDC ID token, as the build may use them: never System-scoped ones. */
    @POST
    public ListBoxModel doFillAwsCredentialsIdItems(@QueryParameter final String awsCredentialsId) {
        return credentials(CredentialUse.AWS, awsCredentialsId,
                com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials.class,
                StringCredentials.class);
    }

    /**
     * The root store's credentials of {@code types} whose scope serves {@code use}: the global page's lists are the
     * root context, where System-scoped entries show although a build's lookup never finds them.
     */
    @SafeVarargs
    static ListBoxModel credentials(final CredentialUse use, final String current,
            final Class<? extends com.cloudbees.plugins.credentials.common.StandardCredentials>... types) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return model.includeCurrentValue(current);
        }
        model.includeEmptyValue();
        for (Class<? extends com.cloudbees.plugins.credentials.common.StandardCredentials> type : types) {
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.of(), new ScopeMatcher(use));
        }
        return model.includeCurrentValue(current);
    }

    /** Matches the credentials whose scope serves one {@link CredentialUse}. */
    static final class ScopeMatcher implements CredentialsMatcher {
        private static final long serialVersionUID = 1L;
        private final CredentialUse use;

        ScopeMatcher(final CredentialUse use) {
            this.use = use;
        }

        @Override
        public boolean matches(final Credentials item) {
            CredentialsScope scope = item.getScope();
            return use.accepts((scope == null ? CredentialsScope.GLOBAL : scope).name());
        }
    }

    static FormValidation checkHttpUrl(final String value, final String expected) {
        return FormChecks.httpUrl(value, expected);
    }
}
