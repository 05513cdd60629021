package io.jenkins.plugins.gerritml.lab;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts the test policy on master of the lab Gerrit the way a team would: a reviewed change, Code-Review+2 by alice,
 * submitted. Also creates the "Data Stewards" group (bob). Idempotent, since test classes share one Gerrit.
 */
public final class LabPolicy {
    public static final String STEWARDS = "Data Stewards";
    public static final String POLICY = String.join("\n",
            "version: 1",
            "datasets:",
            "  ML Approvers:",
            "    - s3://ml-data/approved/",
            "  Data Stewards:",
            "    - s3://ml-data/restricted/",
            "risky:",
            "  - name: production deploys",
            "    paths: [\"deploy/prod/**\"]",
            "    label: Code-Review",
            "    value: 1",
            "    group: Data Stewards",
            "  - name: training data",
            "    paths: [\"data/**\"]",
            "    group: ML Approvers",
            "");

    /** The file the engine reads the policy from, on the change's target branch. */
    public static final String FILE = ".gerrit-ml.yaml";
    /** The Gerrit servers (by URL) and projects of this JVM that have the policy on master already. */
    private static final Set<String> INSTALLED = ConcurrentHashMap.newKeySet();

    private LabPolicy() {
    }

    /** The policy on master of {@value GerritServer#PROJECT}. */
    public static void install(final GerritServer gerrit) {
        install(gerrit, GerritServer.PROJECT);
    }

    /** The policy on master of {@code project}, which must exist. */
    public static void install(final GerritServer gerrit, final String project) {
        install(gerrit, project, POLICY);
    }

    /** {@code policy} on master of {@code project} (created if missing), once per Gerrit and project. */
    public static synchronized void install(final GerritServer gerrit, final String project, final String policy) {
        try {
            gerrit.rest(gerrit.admin(), "GET", "groups/" + STEWARDS.replace(" ", "%20"), null);
        } catch (LabException missing) {
            gerrit.rest(gerrit.admin(), "PUT", "groups/" + STEWARDS.replace(" ", "%20"),
                    Map.of("description", "May use restricted datasets", "visible_to_all", true));
            gerrit.rest(gerrit.admin(), "POST", "groups/" + STEWARDS.replace(" ", "%20") + "/members.add",
                    Map.of("members", List.of(gerrit.bob().username())));
            gerrit.rest(gerrit.admin(), "POST", "groups/" + STEWARDS.replace(" ", "%20") + "/members.delete",
                    Map.of("members", List.of(gerrit.admin().username())));
        }
        if (!INSTALLED.add(gerrit.url() + " " + project)) {
            return;
        }
        gerrit.createProject(project);
        LabChange change = gerrit.createChange(gerrit.dana(), project, "Add the ML review policy", FILE, policy);
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.submit(change);
        JsonNode merged = gerrit.readChange(change);
        if (!"MERGED".equals(merged.get("status").asText())) {
            throw new IllegalStateException("policy change did not merge: " + merged);
        }
    }
}
