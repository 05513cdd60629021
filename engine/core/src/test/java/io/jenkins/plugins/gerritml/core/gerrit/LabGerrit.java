package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabUser;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Bridges the lab's Gerrit to core types for integration tests. */
public final class LabGerrit {
    private LabGerrit() {
    }

    public static GerritRestConfig config(final GerritServer gerrit, final LabUser user) {
        return GerritRestConfig.of(gerrit.url(), user.username(), Secret.of(user.httpPassword()));
    }

    /** The jenkins bot's client with short retries, so failure tests stay short. */
    public static GerritRestClient jenkinsClient(final GerritServer gerrit) {
        return new GerritRestClient(config(gerrit, gerrit.jenkins()), 3, Backoff.of(Duration.ofMillis(200),
                Duration.ofMillis(500)), message -> { });
    }

    public static GerritRestClient client(final GerritServer gerrit, final LabUser user, final int attempts,
            final Backoff backoff, final Consumer<String> log) {
        return new GerritRestClient(config(gerrit, user), attempts, backoff, log);
    }

    /**
     * The context Gerrit Trigger would hand a build for {@code change}'s patch-set-created event, built from what
     * Gerrit's REST API says about it (an independent source from the event stream).
     */
    public static java.util.Map<String, String> triggerParameters(final GerritServer gerrit, final LabChange change) {
        var info = gerrit.readChange(change);
        var owner = info.get("owner");
        var revision = info.get("revisions").get(change.revision());
        var uploader = revision.get("uploader");
        var parameters = new java.util.HashMap<String, String>();
        parameters.put("GERRIT_EVENT_TYPE", "patchset-created");
        parameters.put("GERRIT_PROJECT", change.project());
        parameters.put("GERRIT_BRANCH", change.branch());
        parameters.put("GERRIT_CHANGE_ID", change.changeId());
        parameters.put("GERRIT_CHANGE_NUMBER", Integer.toString(change.number()));
        parameters.put("GERRIT_CHANGE_SUBJECT", change.subject());
        parameters.put("GERRIT_CHANGE_URL", gerrit.url() + "c/" + change.project() + "/+/" + change.number());
        parameters.put("GERRIT_PATCHSET_NUMBER", Integer.toString(change.patchSet()));
        parameters.put("GERRIT_PATCHSET_REVISION", change.revision());
        parameters.put("GERRIT_REFSPEC", change.ref());
        parameters.put("GERRIT_CHANGE_COMMIT_MESSAGE", java.util.Base64.getEncoder().encodeToString(
                revision.get("commit").get("message").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (var entry : List.of(java.util.Map.entry("GERRIT_CHANGE_OWNER", owner),
                java.util.Map.entry("GERRIT_PATCHSET_UPLOADER", uploader),
                java.util.Map.entry("GERRIT_EVENT_ACCOUNT", uploader))) {
            parameters.put(entry.getKey() + "_NAME", entry.getValue().get("name").asText());
            parameters.put(entry.getKey() + "_EMAIL", entry.getValue().get("email").asText());
            parameters.put(entry.getKey() + "_USERNAME", entry.getValue().get("username").asText());
        }
        return parameters;
    }

    public static GerritChange context(final GerritServer gerrit, final LabChange change) {
        return GerritChangeFactory.fromParameters(triggerParameters(gerrit, change));
    }
}
