package io.jenkins.plugins.gerritml.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.gerrit.VoteAllowList;
import io.jenkins.plugins.gerritml.core.util.Formats;
import jenkins.model.Jenkins;

/**
 * The forms' checks, each the engine's own format ({@link Formats}) in a form's words: a form accepts exactly what
 * the steps accept. Callers check the permission first.
 */
public final class FormChecks {
    private FormChecks() {
    }

    /** Whether the form's user may configure {@code item} (the global configuration when there is none). */
    public static boolean mayConfigure(@CheckForNull final Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /**
     * A Gerrit label to vote on: its format, and, for a user who may configure the job, a warning when the
     * administrator's vote allow-list allows it on no server (the step would then be refused before it posts).
     */
    public static FormValidation label(final String value, final boolean required, final boolean showAllowList) {
        String label = Util.fixEmptyAndTrim(value);
        if (label == null) {
            return required ? FormValidation.error("A Gerrit label name, e.g. Verified") : FormValidation.ok();
        }
        if (!Formats.isGerritLabel(label)) {
            return FormValidation.error("A Gerrit label name: letters, digits and dashes, e.g. Verified");
        }
        VoteAllowList allowed = GerritMlConfiguration.get().voteAllowList();
        return !showAllowList || allowed.allowsAnywhere(label) ? FormValidation.ok() : FormValidation.warning("The vote allow-list "
                + "(Manage Jenkins → System → Gerrit ML Pipelines) allows only " + allowed.describe("")
                + ": a vote on " + label + " is refused until an administrator allows it");
    }

    public static FormValidation region(final String value) {
        String region = Util.fixEmptyAndTrim(value);
        return region == null || Formats.isAwsRegion(region) ? FormValidation.ok()
                : FormValidation.error("Not an AWS region: expected e.g. eu-west-1 (empty: the global default)");
    }

    public static FormValidation roleArn(final String value) {
        String arn = Util.fixEmptyAndTrim(value);
        return arn == null || Formats.isIamRoleArn(arn) ? FormValidation.ok()
                : FormValidation.error("Not an IAM role ARN: expected arn:aws:iam::123456789012:role/name");
    }

    /** An optional http(s) URL; {@code expected} says what it is, e.g. {@code the Gerrit front-end URL}. */
    public static FormValidation httpUrl(final String value, final String expected) {
        String url = Util.fixEmptyAndTrim(value);
        return url == null || Formats.isHttpUrl(url) ? FormValidation.ok()
                : FormValidation.error("Expected " + expected + " (http or https, with a host; no user or password "
                + "in the URL: use credentials)");
    }
}
