package io.jenkins.plugins.gerritml.core.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The formats every front end checks (the engine before any call, the CLI's options, the plugin's forms), each
 * written once so that a form never accepts what a step refuses, or the other way round.
 */
public final class Formats {
    /** A Gerrit label name, as a regular expression to embed: letters, digits and dashes, not starting with a dash. */
    public static final String LABEL_REGEX = "[A-Za-z0-9][A-Za-z0-9-]*";
    /** A Gerrit label name. */
    public static final Pattern GERRIT_LABEL = Pattern.compile(LABEL_REGEX);
    /** An AWS region: {@code eu-west-1}, {@code us-gov-west-1}, {@code us-isob-east-1}, {@code cn-north-1}. */
    public static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** An IAM role ARN in any partition, with a path. */
    public static final Pattern IAM_ROLE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@/-]{1,512}");

    private Formats() {
    }

    public static boolean isGerritLabel(@CheckForNull final String value) {
        return value != null && GERRIT_LABEL.matcher(value).matches();
    }

    public static boolean isAwsRegion(@CheckForNull final String value) {
        return value != null && AWS_REGION.matcher(value).matches();
    }

    public static boolean isIamRoleArn(@CheckForNull final String value) {
        return value != null && IAM_ROLE_ARN.matcher(value).matches();
    }

    /**
     * Whether {@code value} is an http(s) URL with a host and without user info (credentials never travel in a
     * URL, where logs and forms would show them).
     */
    public static boolean isHttpUrl(@CheckForNull final String value) {
        if (value == null) {
            return false;
        }
        try {
            return isHttpUrl(new URI(value.trim()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** As {@link #isHttpUrl(String)}. */
    public static boolean isHttpUrl(final URI uri) {
        return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                && uri.getUserInfo() == null;
    }
}
