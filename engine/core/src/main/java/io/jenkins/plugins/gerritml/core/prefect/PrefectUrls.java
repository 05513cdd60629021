package io.jenkins.plugins.gerritml.core.prefect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prefect API and UI addresses: Cloud's are derived from account and workspace, a self-hosted UI sits beside /api. */
public final class PrefectUrls {
    /** Prefect Cloud's API host; its UI lives on {@link #CLOUD_UI}. */
    public static final String CLOUD_API = "https://api.prefect.cloud";
    public static final String CLOUD_UI = "https://app.prefect.cloud";

    private static final Pattern CLOUD_WORKSPACE = Pattern.compile(
            "^https://api\\.prefect\\.cloud/api/accounts/([^/]+)/workspaces/([^/]+)/?$");

    private PrefectUrls() {
    }

    /** {@code https://api.prefect.cloud/api/accounts/{account}/workspaces/{workspace}}. */
    public static String cloudApiUrl(final String account, final String workspace) {
        requireSegment(account, "Prefect Cloud account id");
        requireSegment(workspace, "Prefect Cloud workspace id");
        return CLOUD_API + "/api/accounts/" + account + "/workspaces/" + workspace;
    }

    /**
     * The UI base for an API URL: Cloud's workspace page ({@code https://app.prefect.cloud/account/A/workspace/W})
     * or, for a self-hosted server, the API URL without its trailing {@code /api}.
     */
    public static String uiBase(final String apiUrl) {
        String url = PrefectEndpoint.validateApiUrl(apiUrl);
        Matcher cloud = CLOUD_WORKSPACE.matcher(url);
        if (cloud.matches()) {
            return CLOUD_UI + "/account/" + cloud.group(1) + "/workspace/" + cloud.group(2);
        }
        return url.endsWith("/api") ? url.substring(0, url.length() - "/api".length()) : url;
    }

    /** The UI page of one flow run: {@code <ui>/runs/flow-run/<id>}. */
    public static String flowRunUrl(final String apiUrl, final String flowRunId) {
        return uiBase(apiUrl) + "/runs/flow-run/" + flowRunId;
    }

    private static void requireSegment(final String value, final String what) {
        if (value == null || value.isBlank() || value.contains("/")) {
            throw new IllegalArgumentException(what + ": required, without '/' (the id from the Cloud URL)");
        }
    }
}
