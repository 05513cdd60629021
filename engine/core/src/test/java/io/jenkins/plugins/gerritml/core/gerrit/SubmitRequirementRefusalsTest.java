package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.gerrit.dto.ChangeInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.RevisionInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.SubmitRequirementExpressionInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.SubmitRequirementResultInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SubmitRequirementRefusalsTest {
    private static LiveChange change(final int current, final SubmitRequirementResultInfo... requirements) {
        ChangeInfo info = new ChangeInfo();
        info.project = "ml-demo";
        info._number = 7;
        info.revisions = new LinkedHashMap<>();
        for (int ps = 1; ps <= current; ps++) {
            RevisionInfo revision = new RevisionInfo();
            revision._number = ps;
            info.revisions.put("sha" + ps, revision);
        }
        info.current_revision = "sha" + current;
        info.submit_requirements = new ArrayList<>(List.of(requirements));
        return LiveChange.fromChangeInfo(info);
    }

    private static SubmitRequirementResultInfo requirement(final String name, final String status,
            final String... failing) {
        SubmitRequirementResultInfo info = new SubmitRequirementResultInfo();
        info.name = name;
        info.status = status;
        info.submittability_expression_result = new SubmitRequirementExpressionInfo();
        info.submittability_expression_result.expression = "label:" + name + "=MAX";
        info.submittability_expression_result.failing_atoms = List.of(failing);
        return info;
    }

    private static ApprovalPolicy policy(final String... names) {
        return ApprovalPolicy.builder().withSubmitRequirements(List.of(names)).build();
    }

    @Test
    void shouldLetThroughWhatGerritWouldLetSubmit() {
        LiveChange live = change(2, requirement("Code-Review", "SATISFIED"), requirement("Verified", "OVERRIDDEN"),
                requirement("Release-Notes", "NOT_APPLICABLE"));

        assertThat(ApprovalGate.submitRequirementRefusals(policy("all"), live, 2)).isEmpty();
    }

    @Test
    void shouldRefuseUnsatisfiedErroneousAndUnknownStatusesAndNameEach() {
        LiveChange live = change(1, requirement("Code-Review", "UNSATISFIED", "label:Code-Review=MAX"),
                requirement("Broken", "ERROR"), requirement("Future", "SOMETHING_NEW"),
                requirement("Verified", "SATISFIED"));

        assertThat(ApprovalGate.submitRequirementRefusals(policy("ALL"), live, 1)).containsExactly(
                "submit requirement Code-Review is UNSATISFIED (fails: label:Code-Review=MAX); Gerrit requires "
                        + "label:Code-Review=MAX",
                "submit requirement Broken is ERROR; Gerrit requires label:Broken=MAX",
                "submit requirement Future is ERROR; Gerrit requires label:Future=MAX");
        assertThat(ApprovalGate.submitRequirementRefusals(policy("Verified"), live, 1)).isEmpty();
    }

    @Test
    void shouldRefuseForAnOlderPatchSetBecauseGerritEvaluatesOnlyTheCurrentOne() {
        LiveChange live = change(3, requirement("Code-Review", "SATISFIED"));

        assertThat(ApprovalGate.submitRequirementRefusals(policy("all"), live, 2)).singleElement().asString()
                .contains("current patch set 3 only").contains("patch set 2");
    }

    @Test
    void shouldRefuseAllWhenGerritEvaluatesNone() {
        assertThat(ApprovalGate.submitRequirementRefusals(policy("all"), change(1), 1)).singleElement().asString()
                .contains("no submit requirements");
    }

    @Test
    void shouldTakeAllOrNamesButNotBoth() {
        assertThat(policy("all").isAllSubmitRequirements()).isTrue();
        assertThat(policy(" Code-Review ", "Code-Review").getSubmitRequirements()).containsExactly("Code-Review");
        assertThat(policy().isSubmitRequirementsChecked()).isFalse();
        assertThat(ApprovalPolicy.builder().build().isSubmitRequirementsChecked()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> policy("all", "Verified")).withMessageContaining("not both");
        assertThatIllegalArgumentException().isThrownBy(() -> policy(" ")).withMessageContaining("blank");
    }
}
