package io.jenkins.plugins.gerritml.core.gerrit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an {@link ApprovalPolicy} against the live change in Gerrit, never against build parameters alone: the
 * build's context must match what Gerrit holds (project, branch, patch set, revision), and the votes are read from
 * Gerrit for that very patch set.
 */
public final class ApprovalGate {
    private final GerritRestClient client;
    private final Clock clock;

    public ApprovalGate(final GerritRestClient client, final Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public ApprovalGate(final GerritRestClient client) {
        this(client, Clock.systemUTC());
    }

    /**
     * Decides whether {@code context} may proceed under {@code policy}. Refusals are answers, not exceptions; only
     * an unreachable Gerrit or a rejected credential throws.
     *
     * @throws GerritRestException when Gerrit cannot be asked
     */
    public ApprovalDecision check(final GerritChange context, final ApprovalPolicy policy) {
        if (!context.hasPatchSet()) {
            return refuse(context, policy, "the build's Gerrit context names no patch set and revision, so there is "
                    + "nothing to check approvals on");
        }
        LiveChange live;
        try {
            live = client.getChange(context.getRestId(), policy.isSubmitRequirementsChecked());
        } catch (GerritRestException e) {
            if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                return refuse(context, policy, "change " + context.getRestId() + " does not exist on "
                        + client.getBaseUrl() + " (or is not visible to the CI account): the build's Gerrit context "
                        + "does not describe a real change");
            }
            throw e;
        }
        List<String> mismatches = mismatches(context, live);
        if (!mismatches.isEmpty()) {
            return ApprovalDecision.refused(context, policy, mismatches, clock.instant());
        }

        List<String> refusals = new ArrayList<>();
        int patchSet = context.getPatchSetNumber();
        if (live.getStatus() == LiveChange.Status.ABANDONED) {
            refusals.add("the change is abandoned");
        }
        if (policy.isMergeRequired() && live.getStatus() != LiveChange.Status.MERGED) {
            refusals.add("the change must be merged first (it is " + live.getStatus() + ")");
        }
        if (policy.isCurrentPatchSetRequired() && patchSet != live.getCurrentPatchSet()) {
            refusals.add("stale patch set: this build is for patch set " + patchSet + " but the change is at patch set "
                    + live.getCurrentPatchSet() + "; approvals of an older patch set do not cover the newer code");
        }
        if (!policy.matchesBranch(live.getBranch())) {
            refusals.add("branch " + live.getBranch() + " does not match " + policy.getBranchPattern());
        }

        if (policy.isSubmitRequirementsChecked()) {
            refusals.addAll(submitRequirementRefusals(policy, live, patchSet));
        }

        LiveChange review = client.getReview(context.getRestId(), context.getRevision(), patchSet);
        String label = policy.getLabel();
        List<Approval> qualified = new ArrayList<>();
        if (!review.hasLabel(label)) {
            refusals.add("label " + label + " does not apply to this change (labels: "
                    + String.join(", ", review.getLabels()) + ")");
        } else {
            int veto = review.getMinimum(label);
            List<String> notes = new ArrayList<>();
            Map<String, Set<GerritAccount>> members = new HashMap<>();
            // Every named group is read before any vote is looked at, so a misspelled group is reported as such
            // (and not as "no votes from it") whether or not anybody voted.
            for (String group : policy.getGroups()) {
                try {
                    members.put(group, client.getGroupMembers(group));
                } catch (GerritRestException e) {
                    if (e.getKind() != GerritRestException.Kind.NOT_FOUND) {
                        throw e;
                    }
                    members.put(group, Set.of());
                    refusals.add("group " + group + " does not exist in Gerrit (or the CI account cannot see it): "
                            + "check the spelling; Gerrit group names are case-sensitive");
                }
            }
            for (Approval vote : review.getApprovals(label)) {
                String who = vote.getAccount().getDisplayName() + " " + signed(vote.getValue());
                if (policy.isVetoRespected() && veto < 0 && vote.getValue() == veto) {
                    refusals.add("vetoed: " + who + " on patch set " + patchSet);
                    continue;
                }
                if (vote.getValue() < policy.getMinimumValue()) {
                    notes.add(who + " (below " + signed(policy.getMinimumValue()) + ")");
                    continue;
                }
                Optional<String> self = selfApproval(vote.getAccount(), live, patchSet);
                if (self.isPresent() && !policy.isSelfApprovalAllowed()) {
                    notes.add(who + " (self-approval: " + self.get() + ")");
                    continue;
                }
                if (!policy.getGroups().isEmpty() && policy.getGroups().stream().noneMatch(group -> members
                        .get(group).stream().anyMatch(m -> m.isSamePerson(vote.getAccount())))) {
                    notes.add(who + " (not in " + String.join(" or ", policy.getGroups()) + ")");
                    continue;
                }
                qualified.add(vote);
            }
            if (qualified.isEmpty()) {
                refusals.add("needs " + label + " " + signed(policy.getMinimumValue()) + " or more"
                        + (policy.getGroups().isEmpty() ? "" : " from " + String.join(" or ", policy.getGroups()))
                        + " on patch set " + patchSet + "; votes there: "
                        + (notes.isEmpty() ? "none" : String.join(", ", notes)));
            }
        }
        if (!refusals.isEmpty()) {
            return ApprovalDecision.refused(context, policy, refusals, clock.instant());
        }
        return ApprovalDecision.approved(context, policy, qualified, clock.instant());
    }

    /**
     * What Gerrit's own submit requirements say against proceeding. Gerrit evaluates them on the current patch set
     * only, so for an older patch set they cannot vouch for the code being built.
     */
    static List<String> submitRequirementRefusals(final ApprovalPolicy policy, final LiveChange live,
            final int patchSet) {
        List<String> refusals = new ArrayList<>();
        if (patchSet != live.getCurrentPatchSet()) {
            refusals.add("Gerrit evaluates submit requirements on the current patch set " + live.getCurrentPatchSet()
                    + " only, so they say nothing about patch set " + patchSet + " this build is for");
            return refusals;
        }
        List<SubmitRequirement> present = live.getSubmitRequirements();
        List<SubmitRequirement> checked = new ArrayList<>();
        if (policy.isAllSubmitRequirements()) {
            if (present.isEmpty()) {
                refusals.add("Gerrit evaluates no submit requirements on this change, so 'all' has nothing to "
                        + "vouch for it (was the change read from a Gerrit older than 3.5?)");
            }
            checked.addAll(present);
        } else {
            for (String name : policy.getSubmitRequirements()) {
                Optional<SubmitRequirement> found = present.stream().filter(r -> r.getName().equals(name)).findFirst();
                if (found.isPresent()) {
                    checked.add(found.get());
                } else {
                    refusals.add("submit requirement " + name + " does not apply to this change (Gerrit evaluates: "
                            + (present.isEmpty() ? "none" : String.join(", ", present.stream()
                                    .map(SubmitRequirement::getName).toList())) + ")");
                }
            }
        }
        for (SubmitRequirement requirement : checked) {
            if (!requirement.permitsSubmit()) {
                refusals.add("submit requirement " + requirement.explain());
            }
        }
        return refusals;
    }

    /** Where the build's context disagrees with Gerrit: a typo, a stale retrigger, or a spoofed parameter set. */
    private static List<String> mismatches(final GerritChange context, final LiveChange live) {
        List<String> problems = new ArrayList<>();
        String source = context.isVerified() ? "the Gerrit event" : "the build parameters (unverified)";
        if (!live.getProject().equals(context.getProject())) {
            problems.add(source + " name project " + context.getProject() + " but change " + live.getNumber()
                    + " is in " + live.getProject());
        }
        if (!context.getBranch().isEmpty() && !live.getBranch().equals(context.getBranch())) {
            problems.add(source + " name branch " + context.getBranch() + " but the change targets " + live.getBranch());
        }
        if (!context.getChangeId().isEmpty() && !live.getChangeId().equals(context.getChangeId())) {
            problems.add(source + " name Change-Id " + context.getChangeId() + " but change " + live.getNumber()
                    + " is " + live.getChangeId());
        }
        Optional<String> revision = live.getRevision(context.getPatchSetNumber());
        if (revision.isEmpty()) {
            problems.add(source + " name patch set " + context.getPatchSetNumber() + " but change " + live.getNumber()
                    + " has patch sets 1.." + live.getCurrentPatchSet());
        } else if (!revision.get().equals(context.getRevision())) {
            problems.add(source + " name revision " + context.getRevision() + " for patch set "
                    + context.getPatchSetNumber() + " but Gerrit has " + revision.get());
        }
        return problems;
    }

    private static Optional<String> selfApproval(final GerritAccount approver, final LiveChange live,
            final int patchSet) {
        if (approver.isSamePerson(live.getOwner())) {
            return Optional.of(approver.getDisplayName() + " owns the change");
        }
        if (approver.isSamePerson(live.getUploader(patchSet))) {
            return Optional.of(approver.getDisplayName() + " uploaded patch set " + patchSet);
        }
        return Optional.empty();
    }

    private ApprovalDecision refuse(final GerritChange context, final ApprovalPolicy policy, final String reason) {
        return ApprovalDecision.refused(context, policy, List.of(reason), clock.instant());
    }

    private static String signed(final int value) {
        return value > 0 ? "+" + value : Integer.toString(value);
    }
}
