package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(GerritLab.class)
class ApprovalGateITest {
    private static final ApprovalPolicy CODE_REVIEW_2 = ApprovalPolicy.builder().build();

    private static ApprovalDecision check(final GerritServer gerrit, final GerritChange context,
            final ApprovalPolicy policy) {
        return new ApprovalGate(LabGerrit.jenkinsClient(gerrit)).check(context, policy);
    }

    @Test
    void shouldApproveCodeReviewPlusTwoByASecondUserAndSayWhoWhen(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Add augmentation", "train/augment.py", "flip=True\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);

        ApprovalDecision decision = check(gerrit, LabGerrit.context(gerrit, change), CODE_REVIEW_2);

        assertThat(decision.isApproved()).as(decision.summary()).isTrue();
        assertThat(decision.getApprovals()).singleElement().satisfies(approval -> {
            assertThat(approval.getAccount().getUsername()).isEqualTo("alice");
            assertThat(approval.getAccount().getAccountId()).isPositive();
            assertThat(approval.getLabel()).isEqualTo("Code-Review");
            assertThat(approval.getValue()).isEqualTo(2);
            assertThat(approval.getPatchSet()).isEqualTo(change.patchSet());
            assertThat(approval.getDate()).isBetween(Instant.now().minus(5, ChronoUnit.MINUTES), Instant.now());
        });
        assertThat(decision.summary()).contains("alice Code-Review+2");
    }

    @Test
    void shouldRefuseSelfApproval(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Bump epochs", "train/config.yaml", "epochs: 50\n");
        gerrit.vote(gerrit.dana(), change, "Code-Review", 2);

        ApprovalDecision decision = check(gerrit, LabGerrit.context(gerrit, change), CODE_REVIEW_2);

        assertThat(decision.isApproved()).isFalse();
        assertThat(decision.getRefusals()).singleElement().asString()
                .contains("dana +2 (self-approval: dana owns the change)");
    }

    @Test
    void shouldRefuseAStalePatchSet(final GerritServer gerrit) {
        LabChange first = gerrit.createChange(gerrit.dana(), "New tokenizer", "train/tok.py", "v1\n");
        gerrit.vote(gerrit.alice(), first, "Code-Review", 2);
        GerritChange buildOfFirst = LabGerrit.context(gerrit, first);
        gerrit.newPatchSet(gerrit.dana(), first, "train/tok.py", "v2 with a new bug\n");

        ApprovalDecision decision = check(gerrit, buildOfFirst, CODE_REVIEW_2);

        assertThat(decision.isApproved()).isFalse();
        assertThat(decision.getRefusals()).anySatisfy(r -> assertThat(r).contains("stale patch set: this build is for "
                + "patch set " + first.patchSet() + " but the change is at patch set " + (first.patchSet() + 1)));
    }

    @Test
    void shouldRefuseASpoofedParameterSet(final GerritServer gerrit) {
        LabChange approved = gerrit.createChange(gerrit.dana(), "Approved change", "a.txt", "a\n");
        gerrit.vote(gerrit.alice(), approved, "Code-Review", 2);
        LabChange other = gerrit.createChange(gerrit.dana(), "Unreviewed change", "b.txt", "b\n");
        // Someone starts a build by hand: the approved change's number, but the unreviewed change's code.
        Map<String, String> parameters = LabGerrit.triggerParameters(gerrit, approved);
        parameters.put("GERRIT_PATCHSET_REVISION", other.revision());
        parameters.put("GERRIT_CHANGE_ID", approved.changeId());

        ApprovalDecision decision = check(gerrit, GerritChangeFactory.fromParameters(parameters), CODE_REVIEW_2);

        assertThat(decision.isApproved()).isFalse();
        assertThat(decision.getRefusals()).singleElement().asString()
                .contains("the build parameters (unverified) name revision " + other.revision())
                .contains("but Gerrit has " + approved.revision());

        parameters.put("GERRIT_CHANGE_NUMBER", "999999");
        parameters.remove("GERRIT_REFSPEC");
        ApprovalDecision missing = check(gerrit, GerritChangeFactory.fromParameters(parameters), CODE_REVIEW_2);
        assertThat(missing.getRefusals()).singleElement().asString().contains("does not exist");
    }

    @Test
    void shouldRefuseAnUnapprovedChangeListingTheVotesThere(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Risky refactor", "train/model.py", "x\n");
        gerrit.vote(gerrit.bob(), change, "Code-Review", 1);

        ApprovalDecision decision = check(gerrit, LabGerrit.context(gerrit, change), CODE_REVIEW_2);

        assertThat(decision.isApproved()).isFalse();
        assertThat(decision.getRefusals()).singleElement().asString()
                .isEqualTo("needs Code-Review +2 or more on patch set " + change.patchSet()
                        + "; votes there: bob +1 (below +2)");
    }

    @Test
    void shouldRequireTheApproverGroupAndHonourAVeto(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Group check", "train/model.py", "y\n");
        gerrit.vote(gerrit.bob(), change, "Code-Review", 1);
        ApprovalPolicy byApprovers = ApprovalPolicy.builder().withMinimumValue(1)
                .withGroups(List.of(GerritServer.APPROVERS)).build();

        assertThat(check(gerrit, LabGerrit.context(gerrit, change), byApprovers).getRefusals())
                .singleElement().asString().contains("bob +1 (not in ML Approvers)");

        gerrit.vote(gerrit.alice(), change, "Code-Review", 1);
        assertThat(check(gerrit, LabGerrit.context(gerrit, change), byApprovers).isApproved()).isTrue();

        gerrit.vote(gerrit.alice(), change, "Code-Review", -2);
        assertThat(check(gerrit, LabGerrit.context(gerrit, change), byApprovers).getRefusals())
                .anySatisfy(r -> assertThat(r).contains("vetoed: alice -2"));
    }

    @Test
    void shouldSayThatAMisspelledGroupDoesNotExistWithOrWithoutVotes(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Typo in the policy", "train/model.py", "z\n");
        ApprovalPolicy misspelled = ApprovalPolicy.builder().withMinimumValue(1)
                .withGroups(List.of("ML Aprovers")).build();

        assertThat(check(gerrit, LabGerrit.context(gerrit, change), misspelled).getRefusals())
                .anySatisfy(r -> assertThat(r).startsWith("group ML Aprovers does not exist in Gerrit"));

        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        ApprovalDecision decision = check(gerrit, LabGerrit.context(gerrit, change), misspelled);
        assertThat(decision.isApproved()).isFalse();
        assertThat(decision.getRefusals())
                .anySatisfy(r -> assertThat(r).startsWith("group ML Aprovers does not exist in Gerrit"))
                .anySatisfy(r -> assertThat(r).contains("alice +2 (not in ML Aprovers)"));
    }

    @Test
    void shouldRequireAMergeWhenThePolicySaysSo(final GerritServer gerrit) {
        LabChange change = gerrit.createChange(gerrit.dana(), "Promote model", "deploy/prod.yaml", "v: 7\n");
        gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
        ApprovalPolicy merged = ApprovalPolicy.builder().withMergeRequired(true).withBranchPattern("master").build();
        GerritChange context = LabGerrit.context(gerrit, change);

        assertThat(check(gerrit, context, merged).getRefusals()).singleElement().asString()
                .isEqualTo("the change must be merged first (it is NEW)");

        gerrit.submit(change);
        ApprovalDecision decision = check(gerrit, context, merged);
        assertThat(decision.isApproved()).as(decision.summary()).isTrue();
        assertThat(check(gerrit, context, ApprovalPolicy.builder().withBranchPattern("release/*").build())
                .getRefusals()).singleElement().asString().contains("branch master does not match release/*");
    }
}
