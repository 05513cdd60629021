package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate on Gerrit's own submit requirements, against a real Gerrit: a project whose requirement {@value #READY}
 * needs Code-Review+2 and a project label {@value #DATA_CHECKED}+1, beside the Code-Review requirement every new
 * site has on All-Projects.
 */
@ExtendWith(GerritLab.class)
class SubmitRequirementsITest {
    private static final String READY = "Model-Ready";
    private static final String DATA_CHECKED = "Data-Checked";
    private static String project;

    @BeforeAll
    static void createProjectWithASubmitRequirement(final GerritServer gerrit) {
        project = "ml-sr-" + UUID.randomUUID().toString().substring(0, 8);
        LabUser admin = gerrit.admin();
        gerrit.rest(admin, "PUT", "projects/" + project, Map.of("create_empty_commit", true));
        gerrit.rest(admin, "PUT", "projects/" + project + "/labels/" + DATA_CHECKED, Map.of(
                "values", Map.of("-1", "Bad data", " 0", "Not checked", "+1", "Data checked"),
                "default_value", 0, "function", "NoBlock"));
        String approvers = gerrit.rest(admin, "GET", "groups/" + GerritRestClient.encode(GerritServer.APPROVERS),
                null).get("id").asText();
        gerrit.rest(admin, "POST", "projects/" + project + "/access", Map.of("add", Map.of("refs/heads/*",
                Map.of("permissions", Map.of("label-" + DATA_CHECKED, Map.of("rules", Map.of(approvers,
                        Map.of("action", "ALLOW", "min", -1, "max", 1))))))));
        gerrit.rest(admin, "PUT", "projects/" + project + "/submit_requirements/" + READY, Map.of(
                "name", READY, "description", "Reviewed, and its training data checked",
                "submittability_expression", "label:Code-Review=+2 AND label:" + DATA_CHECKED + "=+1",
                "allow_override_in_child_projects", false));
    }

    private static LabChange createChange(final GerritServer gerrit, final String subject) {
        JsonNode created = gerrit.rest(gerrit.dana(), "POST", "changes/", Map.of("project", project,
                "branch", "master", "subject", subject));
        JsonNode info = gerrit.rest(gerrit.dana(), "GET", "changes/" + project + "~" + created.get("_number").asInt()
                + "?o=CURRENT_REVISION", null);
        String revision = info.get("current_revision").asText();
        JsonNode rev = info.get("revisions").get(revision);
        return new LabChange(project, "master", info.get("_number").asInt(), info.get("change_id").asText(),
                rev.get("_number").asInt(), revision, rev.get("ref").asText(), subject);
    }

    private static ApprovalDecision check(final GerritServer gerrit, final LabChange change,
            final List<String> requirements) {
        return new ApprovalGate(LabGerrit.jenkinsClient(gerrit)).check(LabGerrit.context(gerrit, change),
                ApprovalPolicy.builder().withSubmitRequirements(requirements).build());
    }

    @Test
    void shouldRefuseAndNameTheUnsatisfiedRequirementAndItsFailingLabel(final GerritServer gerrit) {
        LabChange change = createChange(gerrit, "Larger batch size");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);

        ApprovalDecision named = check(gerrit, change, List.of(READY));
        ApprovalDecision all = check(gerrit, change, List.of("all"));
        ApprovalDecision codeReviewOnly = check(gerrit, change, List.of("Code-Review"));

        assertThat(named.isApproved()).as(named.summary()).isFalse();
        assertThat(named.getRefusals()).singleElement().asString()
                .startsWith("submit requirement " + READY + " is UNSATISFIED")
                .contains("label:" + DATA_CHECKED + "=+1");
        assertThat(all.isApproved()).as(all.summary()).isFalse();
        assertThat(all.getRefusals()).singleElement().asString().contains(READY).doesNotContain("Code-Review is");
        assertThat(all.summary()).contains("all submit requirements satisfied");
        assertThat(codeReviewOnly.isApproved()).as(codeReviewOnly.summary()).isTrue();
    }

    @Test
    void shouldApproveWhenGerritSaysEveryRequirementIsSatisfied(final GerritServer gerrit) {
        LabChange change = createChange(gerrit, "Checked data, reviewed code");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.vote(gerrit.alice(), change, DATA_CHECKED, 1);

        ApprovalDecision all = check(gerrit, change, List.of("all"));
        ApprovalDecision named = check(gerrit, change, List.of(READY, "Code-Review"));

        assertThat(all.isApproved()).as(all.summary()).isTrue();
        assertThat(named.isApproved()).as(named.summary()).isTrue();
        assertThat(named.summary()).contains("submit requirements " + READY + ", Code-Review satisfied");
    }

    @Test
    void shouldRefuseBeforeAnyVoteEvenWhenTheDataIsChecked(final GerritServer gerrit) {
        LabChange change = createChange(gerrit, "Data checked, not reviewed");
        gerrit.vote(gerrit.alice(), change, DATA_CHECKED, 1);

        ApprovalDecision decision = check(gerrit, change, List.of(READY));

        assertThat(decision.getRefusals()).anySatisfy(r -> assertThat(r)
                .startsWith("submit requirement " + READY + " is UNSATISFIED").contains("label:Code-Review=+2"));
    }

    @Test
    void shouldRefuseARequirementTheChangeDoesNotHaveAndListThoseItHas(final GerritServer gerrit) {
        LabChange change = createChange(gerrit, "Typo in the name");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        gerrit.vote(gerrit.alice(), change, DATA_CHECKED, 1);

        ApprovalDecision decision = check(gerrit, change, List.of("Model-Redy"));

        assertThat(decision.getRefusals()).singleElement().asString()
                .contains("submit requirement Model-Redy does not apply to this change")
                .contains(READY).contains("Code-Review");
    }
}
