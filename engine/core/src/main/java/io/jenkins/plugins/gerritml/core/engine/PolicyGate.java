package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritAccount;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestException;
import io.jenkins.plugins.gerritml.core.gerrit.LiveChange;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.RunCheck;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The approval gate plus the repository's own policy, checked before any remote call that starts work: which
 * datasets the people behind the change may train on, and which paths make a change risky enough to need more.
 *
 * <p>The policy is read from {@value RepositoryPolicy#FILE} on the change's target branch as Gerrit holds it, never
 * from the change itself, so a change cannot relax its own policy. Group membership comes from Gerrit's REST API;
 * the people are the patch set's uploader (as Gerrit recorded it, not as the build parameters claim) and the
 * approvers that passed the gate. A dataset is allowed when a group whose prefixes cover it has one of them as a
 * member: the uploader's own access, or an approver's who vouched for the change.
 */
public final class PolicyGate {
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");

    private final GerritRestClient client;
    private final Clock clock;

    public PolicyGate(final GerritRestClient client, final Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public PolicyGate(final GerritRestClient client) {
        this(client, Clock.systemUTC());
    }

    /**
     * Checks that dataset URIs are usable before anything is asked of Gerrit.
     *
     * @throws IllegalArgumentException naming the first blank URI or one with {@code .}/{@code ..} segments
     */
    public static List<String> validateDatasets(final List<String> datasets) {
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            String uri = datasets.get(i) == null ? "" : datasets.get(i).trim();
            if (uri.isEmpty()) {
                throw new IllegalArgumentException("dataset " + (i + 1) + " is blank: give a URI such as "
                        + "s3://ml-data/approved/images/");
            }
            String path = uri.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
            if (DOT_SEGMENT.matcher(path).find()) {
                throw new IllegalArgumentException("dataset '" + uri + "' has . or .. segments, which could step "
                        + "outside an allowed prefix: write the plain path");
            }
            clean.add(uri);
        }
        return clean;
    }

    /**
     * The policy on {@code branch} of {@code project}, or {@link RepositoryPolicy#none()} when the file is absent.
     *
     * @throws PolicyException when the file is malformed
     */
    public RepositoryPolicy readPolicy(final String project, final String branch) {
        String source = RepositoryPolicy.FILE + " on " + project + " " + branch;
        return client.getFileContent(project, branch, RepositoryPolicy.FILE)
                .map(text -> RepositoryPolicy.parse(text, source))
                .orElse(RepositoryPolicy.none());
    }

    /**
     * The Model Package Group a run of {@code context} registers its model in: {@code named} when a step names one,
     * else the repository policy's {@code modelPackageGroup} on the change's target branch; empty for none.
     *
     * @throws PolicyException when the policy file on the target branch is malformed
     */
    public String modelPackageGroup(final GerritChange context, final String named) {
        return named != null && !named.isBlank() ? named.trim()
                : readPolicy(context.getProject(), context.getBranch()).getModelPackageGroup();
    }

    /**
     * Runs the approval gate and the repository policy for a run of {@code context} that reads {@code datasets}.
     *
     * @throws IllegalArgumentException when a dataset URI is malformed (before any remote call)
     * @throws PolicyException when the policy file on the target branch is malformed
     * @throws GerritRestException when Gerrit cannot be asked
     */
    public GateResult check(final GerritChange context, final ApprovalPolicy approvalPolicy,
            final List<String> datasets) {
        List<String> uris = validateDatasets(datasets);
        return withPolicy(context, new ApprovalGate(client, clock).check(context, approvalPolicy), uris);
    }

    /**
     * The repository policy alone, for a run whose approvals were established earlier (a Jenkins build keeps what
     * its {@code requireGerritApproval} found; a training run on a new patch set has none): the datasets must be
     * allowed for the uploader or one of {@code approvals}, and a risky change needs what its rule asks.
     *
     * @throws IllegalArgumentException when a dataset URI is malformed (before any remote call)
     * @throws PolicyException when the policy file on the target branch is malformed or names an unknown group
     */
    public GateResult checkPolicy(final GerritChange context, final List<Approval> approvals,
            final List<String> datasets) {
        List<String> uris = validateDatasets(datasets);
        ApprovalPolicy none = ApprovalPolicy.builder().build();
        return withPolicy(context, approvals.isEmpty() ? ApprovalDecision.refused(context, none, List.of("no "
                + "approval was asked of this run; only the repository policy was checked"), clock.instant())
                : ApprovalDecision.approved(context, none, approvals, clock.instant()), uris);
    }

    /**
     * The check of {@link #checkPolicy} as a {@link RunCheck} a remote-job lifecycle makes before its create call:
     * a refusal names every rule broken, and nothing is created.
     */
    public RunCheck asRunCheck(final GerritChange context, final List<Approval> approvals,
            final List<String> datasets) {
        validateDatasets(datasets);
        return () -> {
            GateResult result = checkPolicy(context, approvals, datasets);
            return result.getPolicyRefusals().isEmpty() ? Optional.empty() : Optional.of("the repository policy ("
                    + result.getPolicy().getSource() + ") refuses it: " + String.join("; ",
                    result.getPolicyRefusals()));
        };
    }

    /**
     * The check for a run with no Gerrit change (a build started by hand): there is no repository whose policy could
     * allow a dataset, so declared datasets are refused; a run that declares none may go on.
     */
    public static RunCheck withoutChange(final List<String> datasets) {
        List<String> uris = validateDatasets(datasets);
        return () -> uris.isEmpty() ? Optional.empty() : Optional.of("datasets " + String.join(", ", uris)
                + " are checked against the policy of a Gerrit change's repository, and this build has no Gerrit "
                + "change: start it from Gerrit Trigger or with the GERRIT_* parameters");
    }

    private GateResult withPolicy(final GerritChange context, final ApprovalDecision decision,
            final List<String> uris) {
        LiveChange live;
        try {
            live = client.getChange(context.getRestId());
        } catch (GerritRestException e) {
            if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                return new GateResult(decision, RepositoryPolicy.none(), uris, List.of("change "
                        + context.getRestId() + " is not in Gerrit or not visible to the CI account, so its "
                        + RepositoryPolicy.FILE + " cannot be checked: let the CI account read the project"),
                        List.of(), GerritAccount.unknown());
            }
            throw e;
        }
        int patchSet = context.getPatchSetNumber();
        Optional<String> revision = live.getRevision(patchSet);
        RepositoryPolicy policy = readPolicy(live.getProject(), live.getBranch());
        List<String> refusals = new ArrayList<>();
        Map<String, Set<GerritAccount>> members = new HashMap<>();

        Map<GerritAccount, String> people = new LinkedHashMap<>();
        GerritAccount uploader = live.getUploader(patchSet);
        if (uploader.isKnown()) {
            people.put(uploader, "uploader");
        }
        for (Approval approval : decision.getApprovals()) {
            people.putIfAbsent(approval.getAccount(), "approver");
        }
        if (policy.restrictsDatasets()) {
            for (String uri : uris) {
                checkDataset(uri, policy, people, members).ifPresent(refusals::add);
            }
        }

        List<String> riskyFiles = new ArrayList<>();
        if (!policy.getRiskRules().isEmpty() && revision.isPresent()) {
            List<String> changed = client.getChangedFiles(context.getRestId(), revision.get());
            LiveChange review = null;
            for (RiskRule rule : policy.getRiskRules()) {
                List<String> hits = rule.matching(changed);
                if (hits.isEmpty()) {
                    continue;
                }
                hits.stream().filter(f -> !riskyFiles.contains(f)).forEach(riskyFiles::add);
                if (!rule.getLabel().isEmpty() && review == null) {
                    review = client.getReview(context.getRestId(), revision.get(), patchSet);
                }
                if (!riskSatisfied(rule, review, live, patchSet, decision, members)) {
                    refusals.add("risky change: it touches " + String.join(", ", hits) + " (rule '" + rule.getName()
                            + "': " + String.join(", ", rule.getPaths()) + "), so automation waits for "
                            + rule.describeRequirement() + " on patch set " + patchSet
                            + (review != null && !rule.getLabel().isEmpty() && !review.hasLabel(rule.getLabel())
                            ? "; label " + rule.getLabel() + " does not exist on this project yet" : ""));
                }
            }
        }
        return new GateResult(decision, policy, uris, refusals, riskyFiles, uploader);
    }

    private Optional<String> checkDataset(final String uri, final RepositoryPolicy policy,
            final Map<GerritAccount, String> people, final Map<String, Set<GerritAccount>> members) {
        List<String> allowing = policy.groupsAllowing(uri);
        for (String group : allowing) {
            Set<GerritAccount> inGroup = membersOf(group, members);
            if (people.keySet().stream().anyMatch(person -> inGroup.stream().anyMatch(person::isSamePerson))) {
                return Optional.empty();
            }
        }
        List<String> who = new ArrayList<>();
        for (Map.Entry<GerritAccount, String> person : people.entrySet()) {
            List<String> groups = new ArrayList<>();
            for (String group : policy.getDatasets().keySet()) {
                if (membersOf(group, members).stream().anyMatch(person.getKey()::isSamePerson)) {
                    groups.add(group);
                }
            }
            who.add(person.getKey().getDisplayName() + " (" + person.getValue() + ", in "
                    + (groups.isEmpty() ? "none of the policy's groups" : String.join(", ", groups)) + ")");
        }
        String people1 = who.isEmpty() ? "nobody known" : String.join(", ", who);
        if (allowing.isEmpty()) {
            return Optional.of("dataset " + uri + " is not allowed by any group in " + policy.getSource()
                    + " (groups there: " + String.join(", ", policy.getDatasets().keySet()) + "); people on this "
                    + "change: " + people1);
        }
        return Optional.of("dataset " + uri + " is allowed only for members of " + String.join(" or ", allowing)
                + " (" + policy.getSource() + "), and none of the people on this change is one: " + people1);
    }

    private boolean riskSatisfied(final RiskRule rule, final LiveChange review, final LiveChange live,
            final int patchSet, final ApprovalDecision decision, final Map<String, Set<GerritAccount>> members) {
        if (rule.getLabel().isEmpty()) {
            Set<GerritAccount> inGroup = membersOf(rule.getGroup(), members);
            return decision.getApprovals().stream()
                    .anyMatch(a -> inGroup.stream().anyMatch(a.getAccount()::isSamePerson));
        }
        if (review == null || !review.hasLabel(rule.getLabel())) {
            return false;
        }
        for (Approval vote : review.getApprovals(rule.getLabel())) {
            boolean self = vote.getAccount().isSamePerson(live.getOwner())
                    || vote.getAccount().isSamePerson(live.getUploader(patchSet));
            if (vote.getValue() < rule.getValue() || self) {
                continue;
            }
            if (rule.getGroup().isEmpty() || membersOf(rule.getGroup(), members).stream()
                    .anyMatch(vote.getAccount()::isSamePerson)) {
                return true;
            }
        }
        return false;
    }

    private Set<GerritAccount> membersOf(final String group, final Map<String, Set<GerritAccount>> cache) {
        return cache.computeIfAbsent(group, name -> {
            try {
                return client.getGroupMembers(name);
            } catch (GerritRestException e) {
                if (e.getKind() == GerritRestException.Kind.NOT_FOUND) {
                    throw new PolicyException("group '" + name + "' named in " + RepositoryPolicy.FILE + " does not "
                            + "exist in Gerrit or is not visible to the CI account: fix the name or let the CI "
                            + "account see the group", e);
                }
                throw e;
            }
        });
    }

    /** The refusal as a review message on the change, so the author and reviewers see why automation paused. */
    public static Review refusalReview(final GateResult result) {
        StringBuilder text = new StringBuilder("gerrit-ml: automation paused for patch set ")
                .append(result.getApproval().getChange().getPatchSetNumber()).append(".\n\n");
        result.getRefusals().forEach(r -> text.append("* ").append(r).append('\n'));
        text.append("\nPolicy: ").append(result.getPolicy().getSource())
                .append(" (read from the target branch; edits to it take effect once merged).");
        return Review.builder().withMessage(text.toString()).withContext("policy").build();
    }
}
