package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every vote or message a step owes Gerrit, delivered exactly once: written to a durable {@link OutboxStore}, then
 * posted, then marked done.
 *
 * <p>An entry is saved with its attempt counted <em>before</em> each call to Gerrit. So when a reply is lost (the connection
 * drops after Gerrit took the review, or the process dies before the done-mark), the next attempt, in this process
 * or after a restart, first looks for the entry's tag and digest among the change's messages and marks it done
 * instead of posting again. While Gerrit is unreachable, pending entries are retried with capped backoff until they
 * land or their deadline passes. Refusals that retrying cannot fix (unknown label, forbidden value, a closed or gone
 * change) end the entry at once with Gerrit's reason.
 *
 * <p>Each attempt claims its entry from the store ({@link OutboxStore#claim}) and re-reads it first, so two outboxes
 * (two processes) delivering one store make one post per entry: the one that does not get the claim waits and then
 * finds the entry done.
 */
public final class ReviewOutbox {
    /** From 2 s doubling to 15 s: a restarted Gerrit is noticed within 15 s, a long outage costs few calls. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(15));
    /** How long an owed review is tried by default: a Gerrit upgrade or a long restart. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofHours(1);

    /** Sleeps between attempts; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final OutboxStore store;
    private final OutboxGerrit gerrit;
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> log;

    public ReviewOutbox(final OutboxStore store, final OutboxGerrit gerrit, final Backoff backoff, final Clock clock,
            final Sleeper sleeper, final Consumer<String> log) {
        this.store = store;
        this.gerrit = gerrit;
        this.backoff = backoff;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** With the default backoff, the system clock and real sleeps. */
    public ReviewOutbox(final OutboxStore store, final OutboxGerrit gerrit, final Consumer<String> log) {
        this(store, gerrit, DEFAULT_BACKOFF, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), log);
    }

    public OutboxStore getStore() {
        return store;
    }

    /** Writes what is owed, due now, to be tried until {@code patience} has passed. Posts nothing yet. */
    public OutboxEntry enqueue(final GerritChange change, final Review review, final Duration patience) {
        Instant now = clock.instant();
        OutboxEntry entry = OutboxEntry.of(change, review, now, now.plus(patience));
        store.save(entry);
        return entry;
    }

    /** Enqueues and delivers: returns when the review landed, Gerrit refused it for good, or patience ran out. */
    public OutboxEntry post(final GerritChange change, final Review review, final Duration patience)
            throws InterruptedException {
        return deliver(enqueue(change, review, patience));
    }

    /**
     * {@link #post}, but once per review: when the last entry the store holds for this patch set and context is this
     * very review (same revision, context, labels, message and comments), posted or still pending, that entry is
     * returned or delivered instead of a second one. So a step that asks again after a restart (its "posted" mark
     * was not saved) neither loses nor doubles the review. Only the last entry counts: a vote that went -1, +1, -1
     * posts all three. An earlier entry that failed or expired is not reused: the review is owed anew.
     */
    public OutboxEntry postOnce(final GerritChange change, final Review review, final Duration patience)
            throws InterruptedException {
        Optional<OutboxEntry> earlier = store.entries().stream()
                .filter(e -> e.getProject().equals(change.getProject()) && e.getChangeNumber() == change
                        .getChangeNumber() && e.getRevision().equals(change.getRevision())
                        && e.getContext().equals(review.getContext()))
                .reduce((first, last) -> last)
                .filter(e -> e.owes(change, review))
                .filter(e -> e.isPending() || e.getState() == OutboxEntry.State.DONE);
        if (earlier.isPresent()) {
            if (earlier.get().isPending()) {
                log.accept("Review for " + change.getRestId() + " patch set " + change.getPatchSetNumber()
                        + " was owed already (from before a restart): delivering that entry");
            }
            return deliver(earlier.get());
        }
        return post(change, review, patience);
    }

    /** Tries {@code entry} until it is no longer pending; returns its final state. */
    public OutboxEntry deliver(final OutboxEntry entry) throws InterruptedException {
        OutboxEntry current = entry;
        while (current.isPending()) {
            Duration wait = Duration.between(clock.instant(), current.getNextAttemptAt());
            if (!wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
            current = attempt(current);
        }
        return current;
    }

    /**
     * Delivers every pending entry in the store (those of earlier runs too), each until it is no longer pending;
     * returns them in their final states.
     */
    public List<OutboxEntry> drain() throws InterruptedException {
        List<OutboxEntry> finished = new ArrayList<>();
        List<OutboxEntry> pending = new ArrayList<>(store.pending());
        while (!pending.isEmpty()) {
            Instant now = clock.instant();
            List<OutboxEntry> stillPending = new ArrayList<>();
            for (OutboxEntry entry : pending) {
                if (entry.getNextAttemptAt().isAfter(now) && entry.getDeadline().isAfter(now)) {
                    stillPending.add(entry);
                    continue;
                }
                OutboxEntry after = attempt(entry);
                if (after.isPending()) {
                    stillPending.add(after);
                } else {
                    finished.add(after);
                }
            }
            pending = stillPending;
            Optional<Instant> next = pending.stream().map(OutboxEntry::getNextAttemptAt)
                    .min(Comparator.naturalOrder());
            if (next.isPresent()) {
                Duration wait = Duration.between(clock.instant(), next.get());
                if (!wait.isNegative() && !wait.isZero()) {
                    sleeper.sleep(wait);
                }
            }
        }
        return finished;
    }

    /**
     * One attempt at {@code entry}: claim, re-read, check, post, mark; returns the entry as saved afterwards. While
     * another deliverer holds the entry, nothing is called and it is returned pending, due again after the backoff's
     * first step.
     */
    public OutboxEntry attempt(final OutboxEntry entry) {
        if (!entry.isPending()) {
            return entry;
        }
        Optional<OutboxStore.Claim> claim = store.claim(entry.getId());
        if (claim.isEmpty()) {
            // Not capped by the deadline: the holder ends the entry, expired or not; this one only looks again.
            return entry.retryAt(clock.instant().plus(backoff.initial()), "another deliverer of " + store
                    + " is posting it");
        }
        try (OutboxStore.Claim held = claim.get()) {
            OutboxEntry current = store.find(entry.getId()).orElse(entry);
            return current.isPending() ? attemptClaimed(current) : current;
        }
    }

    private OutboxEntry attemptClaimed(final OutboxEntry entry) {
        Instant now = clock.instant();
        if (!now.isBefore(entry.getDeadline())) {
            return finish(entry, OutboxEntry.State.EXPIRED, "Gerrit did not take the review before its deadline "
                    + entry.getDeadline() + " (" + entry.getAttempts() + " attempts; last: "
                    + (entry.getOutcome().isEmpty() ? "not tried" : entry.getOutcome()) + ")");
        }
        // Counted and saved before any call, so a crash mid-post leaves a trace and the backoff grows per attempt.
        OutboxEntry latest = entry.attempting(min(now.plus(backoff.delay(entry.getAttempts())), entry.getDeadline()));
        store.save(latest);
        try {
            if (entry.getAttempts() > 0) {
                // An earlier post may have landed without a reply: Gerrit's messages are the truth.
                List<PostedMessage> messages = gerrit.messages(entry.getRestId());
                if (messages.stream().anyMatch(entry::isPostedAs)) {
                    return finish(latest, OutboxEntry.State.DONE, "found on the change after a lost reply; not "
                            + "posted again");
                }
            }
            gerrit.post(latest.toChange(), latest.toReview());
            return finish(latest, OutboxEntry.State.DONE, "posted");
        } catch (GerritRestException e) {
            if (e.getKind() != GerritRestException.Kind.UNAVAILABLE) {
                // Unknown label, forbidden value, closed or gone change, rejected password: waiting cannot fix it.
                return finish(latest, OutboxEntry.State.FAILED, e.getMessage());
            }
            OutboxEntry waiting = latest.retryAt(latest.getNextAttemptAt(), e.getMessage());
            store.save(waiting);
            log.accept("Review for " + entry.getRestId() + " patch set " + entry.getPatchSet() + " not delivered yet ("
                    + e.getMessage() + "); next attempt at " + waiting.getNextAttemptAt() + ", deadline "
                    + entry.getDeadline());
            return waiting;
        }
    }

    private OutboxEntry finish(final OutboxEntry entry, final OutboxEntry.State state, final String outcome) {
        OutboxEntry done = entry.finished(state, outcome);
        store.save(done);
        if (state != OutboxEntry.State.DONE) {
            log.accept("Review for " + entry.getRestId() + " patch set " + entry.getPatchSet() + " " + state
                    + ": " + outcome);
        }
        return done;
    }

    private static Instant min(final Instant a, final Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
