package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.gerrit.Approval;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The event-driven start: a Gerrit {@code change-merged} or {@code comment-added} event (e.g. Code-Review+2) becomes
 * a Prefect flow run once the approval gate passes against the live change, and the run's result goes back to the
 * change as a vote, links and an audit line. The plugin step and the demo use the same path ({@link #runApproved}).
 */
public final class ReviewedFlowRuns {
    /** Events that may start a run. */
    public static final Set<String> EVENT_TYPES = Set.of("change-merged", "comment-added");

    private final PrefectFlowRuns flowRuns;
    private final GerritRestClient gerrit;
    private final ApprovalGate gate;

    public ReviewedFlowRuns(final PrefectFlowRuns flowRuns, final GerritRestClient gerrit, final ApprovalGate gate) {
        this.flowRuns = flowRuns;
        this.gerrit = gerrit;
        this.gate = gate;
    }

    /**
     * Handles one event: ignores events that cannot start a run (other types, comments without the policy's vote),
     * checks the gate on the live change, then runs {@code template} for the change and posts the result.
     *
     * @param template what to run; Gerrit tags, a run name ({@code change-N-ps-P}) and an idempotency key are added
     * @param label    the label to vote, e.g. {@code Verified}
     * @param runKey   what makes this run unique besides change and patch set (the job or trigger id): the same key
     *                 for the same event re-attaches instead of starting a second run
     */
    public Outcome onEvent(final GerritChange event, final ApprovalPolicy policy, final FlowRunRequest template,
            final String label, final String runKey, final Consumer<String> log) throws InterruptedException {
        String ignored = whyIgnored(event, policy);
        if (ignored != null) {
            log.accept("Not starting a Prefect flow run: " + ignored);
            return new Outcome(null, null, null, null, ignored);
        }
        ApprovalDecision decision = gate.check(event, policy);
        log.accept(decision.summary());
        if (!decision.isApproved()) {
            return new Outcome(decision, null, null, null, "");
        }
        String triggeredBy = event.getEventAccount().isKnown() ? event.getEventAccount().getDisplayName()
                : "Gerrit event " + event.getEventType();
        return runApproved(decision, template, triggeredBy, label, runKey, log);
    }

    /**
     * Runs {@code template} for an approved change and posts the result: the common path of events, the plugin step
     * (after {@code requireGerritApproval}) and the demo.
     */
    public Outcome runApproved(final ApprovalDecision decision, final FlowRunRequest template,
            final String triggeredBy, final String label, final String runKey, final Consumer<String> log)
            throws InterruptedException {
        return runApproved(decision, template, triggeredBy, label, runKey, log, started -> { }, () -> "");
    }

    /**
     * As {@link #runApproved(ApprovalDecision, FlowRunRequest, String, String, String, Consumer)}, telling
     * {@code onStarted} the run as soon as it exists, so a caller can cancel it (the CLI on Ctrl-C, a superseded
     * patch set) while it runs.
     *
     * @param withheld asked once the run has ended: why its result must not be voted (the patch set was superseded
     *        and the review already told so), or empty to post the result
     */
    public Outcome runApproved(final ApprovalDecision decision, final FlowRunRequest template,
            final String triggeredBy, final String label, final String runKey, final Consumer<String> log,
            final Consumer<StartedFlowRun> onStarted, final Supplier<String> withheld) throws InterruptedException {
        if (!decision.isApproved()) {
            throw new IllegalArgumentException("Refusing to start a Prefect flow run without approval: "
                    + decision.summary());
        }
        GerritChange change = decision.getChange();
        FlowRunRequest request = forChange(template, change, decision.getApprovals(), runKey);
        StartedFlowRun started = flowRuns.start(request, log);
        onStarted.accept(started);
        FlowRunResult result;
        try {
            result = flowRuns.follow(started.getWatchedJob(), started.getFlowRun().getCreated(), log).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new PrefectException(PrefectException.Reason.SERVER_ERROR, "Following " + started + " failed",
                    e.getCause());
        }
        String notVoted = withheld.get();
        if (!notVoted.isEmpty()) {
            log.accept("Not voting on " + change.getRestId() + " patch set " + change.getPatchSetNumber() + ": "
                    + notVoted);
            return new Outcome(decision, started, result, null, "");
        }
        Review review = FlowRunReviews.toReview(result, started, change, triggeredBy, decision.getApprovals(), label);
        postReview(change, review);
        log.accept("Posted to " + change.getRestId() + " patch set " + change.getPatchSetNumber() + ": "
                + review.getLabels() + " " + result.getUiUrl());
        return new Outcome(decision, started, result, review, "");
    }

    /** Posts through the Gerrit client, recorded in the flow runs' audit log when there is one. */
    private void postReview(final GerritChange change, final Review review) {
        AuditLog audit = flowRuns.getAudit();
        if (audit == null) {
            gerrit.postReview(change, review);
            return;
        }
        Map<String, String> details = new LinkedHashMap<>();
        review.getLabels().forEach((label, value) -> details.put("label." + label, (value > 0 ? "+" : "") + value));
        details.put("tag", review.getTag());
        details.put("message", review.renderMessage());
        details.put("revision", change.getRevision());
        audit.call("gerrit.post-review", flowRuns.getActor() + "@" + gerrit.getBaseUrl(), change.getRestId() + "/"
                + change.getPatchSetNumber(), details, () -> gerrit.postReview(change, review));
    }

    /** The template with the change's tags, a run name and the idempotency key added (unless it sets its own). */
    public static FlowRunRequest forChange(final FlowRunRequest template, final GerritChange change,
            final List<Approval> approvals, final String runKey) {
        List<String> approvers = approvals.stream().map(a -> a.getAccount().getUsername().isBlank()
                ? a.getAccount().getDisplayName() : a.getAccount().getUsername()).distinct()
                .collect(Collectors.toList());
        FlowRunRequest.Builder request = template.toBuilder().withGerritContext(change.getProject(),
                change.getChangeNumber(), change.getPatchSetNumber(), approvers);
        if (template.getName().isEmpty()) {
            request.withName("change-" + change.getChangeNumber() + "-ps-" + change.getPatchSetNumber());
        }
        if (template.getIdempotencyKey().isEmpty()) {
            request.withIdempotencyKey(IdempotencyKeys.of(change.getChangeNumber(), change.getPatchSetNumber(),
                    runKey, "prefect:" + template.getDeployment()));
        }
        return request.build();
    }

    /** Null when the event may start a run, else why not. */
    @CheckForNull
    static String whyIgnored(final GerritChange event, final ApprovalPolicy policy) {
        if (!EVENT_TYPES.contains(event.getEventType())) {
            return "event type '" + event.getEventType() + "' is neither change-merged nor comment-added";
        }
        if (!event.hasPatchSet()) {
            return "the event names no patch set";
        }
        if ("comment-added".equals(event.getEventType())) {
            boolean voted = event.getApprovals().stream().anyMatch(a -> a.getLabel().equals(policy.getLabel())
                    && a.getValue() >= policy.getMinimumValue() && a.isUpdated());
            if (!voted) {
                return "the comment on " + event.getRestId() + " did not vote " + policy.getLabel() + ">="
                        + policy.getMinimumValue();
            }
        }
        return null;
    }

    /** What happened to one event: ignored, refused by the gate, or run (and posted). */
    public static final class Outcome {
        @CheckForNull private final ApprovalDecision decision;
        @CheckForNull private final StartedFlowRun started;
        @CheckForNull private final FlowRunResult result;
        @CheckForNull private final Review review;
        private final String ignoredBecause;

        Outcome(@CheckForNull final ApprovalDecision decision, @CheckForNull final StartedFlowRun started,
                @CheckForNull final FlowRunResult result, @CheckForNull final Review review,
                final String ignoredBecause) {
            this.decision = decision;
            this.started = started;
            this.result = result;
            this.review = review;
            this.ignoredBecause = ignoredBecause;
        }

        public boolean isIgnored() {
            return !ignoredBecause.isEmpty();
        }

        /** Why the event could not start a run; empty otherwise. */
        public String getIgnoredBecause() {
            return ignoredBecause;
        }

        /** The gate's decision; null when the event was ignored before the gate. */
        @CheckForNull
        public ApprovalDecision getDecision() {
            return decision;
        }

        @CheckForNull
        public StartedFlowRun getStarted() {
            return started;
        }

        @CheckForNull
        public FlowRunResult getResult() {
            return result;
        }

        /** The review posted to the change; null when nothing ran. */
        @CheckForNull
        public Review getReview() {
            return review;
        }

        /** The vote it posted, 0 when none. */
        public int vote(final String label) {
            return review == null ? 0 : review.getLabels().getOrDefault(label, 0);
        }

        @Override
        public String toString() {
            return isIgnored() ? "ignored: " + ignoredBecause : result != null ? result.toString()
                    : decision != null ? decision.summary() : "nothing";
        }
    }
}
