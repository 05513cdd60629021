package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.pipeline.Digests;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A review a step owes Gerrit, as the {@link ReviewOutbox} keeps it: what to post where (plain values, so any store
 * can keep it), and how far delivery got. Immutable; each step of delivery makes a new entry for the store.
 *
 * <p>The digest ties the entry to its content; it goes into the posted message as a last line, so after a lost reply
 * the outbox can tell from Gerrit's messages (same tag, same digest) that the review already landed.
 */
public final class OutboxEntry {
    /** Where delivery stands. Only {@link #PENDING} entries are tried again. */
    public enum State {
        /** Not known to have landed: written, perhaps tried. */
        PENDING,
        /** Landed on the change (posted now, or found there after a lost reply). */
        DONE,
        /** Gerrit refused it for good (unknown label, forbidden value, gone change): retrying cannot help. */
        FAILED,
        /** The deadline passed before Gerrit took it. */
        EXPIRED
    }

    private final String id;
    private final String project;
    private final String branch;
    private final int changeNumber;
    private final int patchSet;
    private final String revision;
    private final String context;
    private final Map<String, Integer> labels;
    private final String message;
    private final Review.Notify notify;
    private final List<FileComment> comments;
    private final Instant createdAt;
    private final Instant deadline;
    private final int attempts;
    private final Instant nextAttemptAt;
    private final State state;
    private final String outcome;

    @SuppressWarnings("checkstyle:ParameterNumber")
    private OutboxEntry(final String id, final String project, final String branch, final int changeNumber,
            final int patchSet, final String revision, final String context, final Map<String, Integer> labels,
            final String message, final Review.Notify notify, final List<FileComment> comments,
            final Instant createdAt, final Instant deadline, final int attempts, final Instant nextAttemptAt,
            final State state, final String outcome) {
        this.id = Objects.requireNonNull(id, "id");
        this.project = Objects.requireNonNull(project, "project");
        this.branch = branch == null ? "" : branch;
        this.changeNumber = changeNumber;
        this.patchSet = patchSet;
        this.revision = Objects.requireNonNull(revision, "revision");
        this.context = Objects.requireNonNull(context, "context");
        this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        this.message = message == null ? "" : message;
        this.notify = notify;
        this.comments = List.copyOf(comments);
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.attempts = attempts;
        this.nextAttemptAt = Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        this.state = Objects.requireNonNull(state, "state");
        this.outcome = outcome == null ? "" : outcome;
    }

    /** A new pending entry for {@code review} on the patch set {@code change} names, due now. */
    public static OutboxEntry of(final GerritChange change, final Review review, final Instant now,
            final Instant deadline) {
        if (!change.hasPatchSet()) {
            throw new IllegalArgumentException("Cannot owe a review to " + change.getRestId() + ": the build's Gerrit "
                    + "context names no patch set revision (GERRIT_PATCHSET_REVISION).");
        }
        return new OutboxEntry(UUID.randomUUID().toString(), change.getProject(), change.getBranch(),
                change.getChangeNumber(), change.getPatchSetNumber(), change.getRevision(), review.getContext(),
                review.getLabels(), review.renderMessage(), review.getNotify(), review.getComments(), now, deadline, 0,
                now, State.PENDING, "");
    }

    /** An entry as a store read it back. */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public static OutboxEntry restore(final String id, final String project, final String branch,
            final int changeNumber, final int patchSet, final String revision, final String context,
            final Map<String, Integer> labels, final String message, final Review.Notify notify,
            final List<FileComment> comments, final Instant createdAt, final Instant deadline, final int attempts,
            final Instant nextAttemptAt, final State state, final String outcome) {
        return new OutboxEntry(id, project, branch, changeNumber, patchSet, revision, context, labels, message,
                notify, comments, createdAt, deadline, attempts, nextAttemptAt, state, outcome);
    }

    /** This entry with one more attempt started (persisted before the post, so a crash leaves a trace). */
    OutboxEntry attempting(final Instant retryAt) {
        return new OutboxEntry(id, project, branch, changeNumber, patchSet, revision, context, labels, message, notify,
                comments, createdAt, deadline, attempts + 1, retryAt, State.PENDING, outcome);
    }

    OutboxEntry retryAt(final Instant when, final String problem) {
        return new OutboxEntry(id, project, branch, changeNumber, patchSet, revision, context, labels, message, notify,
                comments, createdAt, deadline, attempts, when, State.PENDING, problem);
    }

    OutboxEntry finished(final State finalState, final String what) {
        return new OutboxEntry(id, project, branch, changeNumber, patchSet, revision, context, labels, message, notify,
                comments, createdAt, deadline, attempts, nextAttemptAt, finalState, what);
    }

    /** The digest of this entry's id and content: 16 hex digits. */
    public String getDigest() {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("id", id);
        canonical.put("change", project + "~" + changeNumber + "/" + revision);
        canonical.put("tag", getTag());
        canonical.put("labels", new TreeMap<>(labels).toString());
        canonical.put("message", message);
        List<String> texts = new ArrayList<>();
        comments.forEach(c -> texts.add(c.getPath() + ":" + c.getLine() + ":" + c.getMessage()));
        canonical.put("comments", texts.toString());
        return Digests.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The last line of the posted message, by which the outbox recognises its own post on the change. */
    public String getMarker() {
        return "(gerrit-ml delivery " + getDigest() + ")";
    }

    /** Whether {@code posted} is this entry's review: same tag, and its marker in the text. */
    public boolean isPostedAs(final PostedMessage posted) {
        return getTag().equals(posted.getTag()) && posted.getMessage().contains(getMarker());
    }

    /** Whether this entry is {@code review} on the patch set {@code change} names (whatever its state). */
    public boolean owes(final GerritChange change, final Review review) {
        return project.equals(change.getProject()) && changeNumber == change.getChangeNumber()
                && revision.equals(change.getRevision()) && context.equals(review.getContext())
                && labels.equals(review.getLabels()) && message.equals(review.renderMessage())
                && comments.equals(review.getComments());
    }

    /** The review to post: labels, message with the marker line, comments, tag and notify as enqueued. */
    public Review toReview() {
        Review.Builder review = Review.builder().withLabels(labels).withContext(context)
                .withMessage(message.isBlank() ? getMarker() : message + "\n\n" + getMarker()).withNotify(notify);
        comments.forEach(review::withComment);
        return review.build();
    }

    /** The patch set to post on, by revision (never "current"). */
    public GerritChange toChange() {
        return GerritChange.builder().withProject(project).withBranch(branch).withChangeNumber(changeNumber)
                .withPatchSetNumber(patchSet).withRevision(revision).build();
    }

    public String getId() {
        return id;
    }

    public String getProject() {
        return project;
    }

    public String getBranch() {
        return branch;
    }

    public int getChangeNumber() {
        return changeNumber;
    }

    public int getPatchSet() {
        return patchSet;
    }

    public String getRevision() {
        return revision;
    }

    public String getContext() {
        return context;
    }

    public String getTag() {
        return "autogenerated:gerrit-ml:" + context;
    }

    public Map<String, Integer> getLabels() {
        return labels;
    }

    /** The rendered message as enqueued, without the marker. */
    public String getMessage() {
        return message;
    }

    public Review.Notify getNotify() {
        return notify;
    }

    public List<FileComment> getComments() {
        return comments;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getDeadline() {
        return deadline;
    }

    /** How many posts were started; above zero, Gerrit may hold the review even if no reply said so. */
    public int getAttempts() {
        return attempts;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public State getState() {
        return state;
    }

    /** What the last attempt ended in, e.g. Gerrit's refusal or "found on the change after a lost reply". */
    public String getOutcome() {
        return outcome;
    }

    public boolean isPending() {
        return state == State.PENDING;
    }

    public String getRestId() {
        return project + "~" + changeNumber;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OutboxEntry)) {
            return false;
        }
        OutboxEntry other = (OutboxEntry) o;
        return changeNumber == other.changeNumber && patchSet == other.patchSet && attempts == other.attempts
                && id.equals(other.id) && project.equals(other.project) && branch.equals(other.branch)
                && revision.equals(other.revision) && context.equals(other.context) && labels.equals(other.labels)
                && message.equals(other.message) && notify == other.notify && comments.equals(other.comments)
                && createdAt.equals(other.createdAt) && deadline.equals(other.deadline)
                && nextAttemptAt.equals(other.nextAttemptAt) && state == other.state && outcome.equals(other.outcome);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, project, branch, changeNumber, patchSet, revision, context, labels, message, notify,
                comments, createdAt, deadline, attempts, nextAttemptAt, state, outcome);
    }

    @Override
    public String toString() {
        return "review " + labels + " [" + getTag() + "] for " + getRestId() + " patch set " + patchSet + ": " + state
                + (attempts > 0 ? " after " + attempts + " attempt" + (attempts > 1 ? "s" : "") : "");
    }
}
