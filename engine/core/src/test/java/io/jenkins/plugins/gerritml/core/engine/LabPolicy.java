package io.jenkins.plugins.gerritml.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.gerrit.LabGerrit;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    private LabPolicy() {
    }

    public static synchronized void install(final GerritServer gerrit) {
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
        Optional<String> current = LabGerrit.jenkinsClient(gerrit).getFileContent(GerritServer.PROJECT, "master",
                RepositoryPolicy.FILE);
        if (current.isPresent() && current.get().equals(POLICY)) {
            return;
        }
        LabChange change = gerrit.createChange(gerrit.dana(), "Add the ML review policy", RepositoryPolicy.FILE,
                POLICY);
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.submit(change);
        JsonNode merged = gerrit.readChange(change);
        if (!"MERGED".equals(merged.get("status").asText())) {
            throw new IllegalStateException("policy change did not merge: " + merged);
        }
    }
}
