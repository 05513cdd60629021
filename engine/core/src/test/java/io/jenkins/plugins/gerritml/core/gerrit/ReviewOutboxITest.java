package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once reviews against the real Gerrit: stopped and started again, replies lost, the client "killed" between
 * Gerrit taking a review and the done-mark. Each test leaves Gerrit running, whatever the outcome.
 */
@ExtendWith(GerritLab.class)
class ReviewOutboxITest {
    /** One HTTP attempt per outbox attempt: the outbox does the retrying. */
    private static GerritRestClient client(final GerritServer gerrit) {
        return LabGerrit.client(gerrit, gerrit.jenkins(), 1, Backoff.of(Duration.ofMillis(100),
                Duration.ofMillis(100)), line -> { });
    }

    private static ReviewOutbox outbox(final OutboxStore store, final OutboxGerrit gerrit) {
        return new ReviewOutbox(store, gerrit, ReviewOutbox.DEFAULT_BACKOFF, Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()), System.out::println);
    }

    /** A store whose done-marks never reach the disk: the process died right after Gerrit took the review. */
    private static OutboxStore killedBeforeTheDoneMark(final OutboxStore store) {
        return new OutboxStore() {
            @Override
            public void save(final OutboxEntry entry) {
                if (entry.getState() != OutboxEntry.State.DONE) {
                    store.save(entry);
                }
            }

            @Override
            public List<OutboxEntry> entries() {
                return store.entries();
            }
        };
    }

    private static Review verified(final String message) {
        return Review.builder().withLabel("Verified", 1).withMessage(message).withContext("outbox-it").build();
    }

    /** How often each entry's marker appears among the change's messages, read as admin. */
    private static Map<String, Long> markers(final GerritServer gerrit, final List<LabChange> changes,
            final List<OutboxEntry> entries) {
        List<String> texts = new ArrayList<>();
        for (LabChange change : changes) {
            for (JsonNode message : gerrit.readChange(change).get("messages")) {
                texts.add(message.get("message").asText());
            }
        }
        return entries.stream().collect(Collectors.toMap(OutboxEntry::getId,
                e -> texts.stream().filter(t -> t.contains(e.getMarker())).count()));
    }

    private static long jenkinsVerified(final GerritServer gerrit, final LabChange change) {
        JsonNode all = gerrit.readChange(change).get("labels").get("Verified").get("all");
        long count = 0;
        for (JsonNode vote : all) {
            if ("jenkins".equals(vote.path("username").asText()) && vote.path("value").asInt() == 1) {
                count++;
            }
        }
        return count;
    }

    @Test
    void shouldLandTheVoteOnceWhenGerritComesBackAMinuteLater(final GerritServer gerrit, @TempDir final Path folder)
            throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Outbox: Gerrit down", "train/a.py", "a = 1\n");
        GerritChange context = LabGerrit.context(gerrit, change);
        ReviewOutbox outbox = outbox(new FileOutboxStore(folder), OutboxGerrit.of(client(gerrit)));
        ExecutorService restarter = Executors.newSingleThreadExecutor();
        OutboxEntry entry;
        Instant landed;
        CompletableFuture<Instant> back;
        gerrit.stopDaemon();
        try {
            back = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                gerrit.startDaemon();
                return Instant.now();
            }, restarter);
            entry = outbox.post(context, verified("Training passed while Gerrit was down"), Duration.ofMinutes(5));
            landed = Instant.now();
            back.get(3, TimeUnit.MINUTES);
        } finally {
            restarter.shutdownNow();
            restarter.awaitTermination(3, TimeUnit.MINUTES);
            gerrit.startDaemon();
        }

        System.out.printf("[outbox] Gerrit back -> vote landed: %d ms (%d attempts, backoff %s)%n",
                Duration.between(back.get(), landed).toMillis(), entry.getAttempts(), ReviewOutbox.DEFAULT_BACKOFF);
        assertThat(entry.getState()).as(entry.getOutcome()).isEqualTo(OutboxEntry.State.DONE);
        assertThat(entry.getAttempts()).isGreaterThan(1);
        assertThat(markers(gerrit, List.of(change), List.of(entry))).containsEntry(entry.getId(), 1L);
        assertThat(jenkinsVerified(gerrit, change)).isEqualTo(1);
    }

    @Test
    void shouldNotPostTwiceWhenTheClientDiedAfterGerritTookTheReview(final GerritServer gerrit,
            @TempDir final Path folder) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Outbox: reply lost", "train/b.py", "b = 1\n");
        GerritChange context = LabGerrit.context(gerrit, change);
        GerritRestClient client = client(gerrit);

        OutboxEntry beforeTheKill = outbox(killedBeforeTheDoneMark(new FileOutboxStore(folder)),
                OutboxGerrit.of(client)).post(context, verified("Posted, then the client died"), Duration.ofMinutes(5));
        List<OutboxEntry> onDisk = new FileOutboxStore(folder).entries();
        List<OutboxEntry> afterRestart = outbox(new FileOutboxStore(folder), OutboxGerrit.of(client)).drain();

        assertThat(beforeTheKill.getState()).isEqualTo(OutboxEntry.State.DONE);
        assertThat(onDisk).singleElement().satisfies(e -> assertThat(e.isPending()).isTrue());
        assertThat(afterRestart).singleElement().satisfies(e -> {
            assertThat(e.getState()).isEqualTo(OutboxEntry.State.DONE);
            assertThat(e.getOutcome()).contains("found on the change");
        });
        assertThat(markers(gerrit, List.of(change), afterRestart)).containsEntry(beforeTheKill.getId(), 1L);
    }

    @Test
    void shouldNotPostTwiceWhenTheConnectionDroppedAfterGerritTookTheReview(final GerritServer gerrit,
            @TempDir final Path folder) throws Exception {
        LabChange change = gerrit.createChange(gerrit.dana(), "Outbox: connection dropped", "train/c.py", "c = 1\n");
        GerritRestClient client = client(gerrit);
        OutboxGerrit dropsTheFirstReply = OutboxGerrit.of(client, new OutboxGerrit.Poster() {
            private boolean dropped;

            @Override
            public Object post(final GerritChange target, final Review review) {
                Object result = client.postReview(target, review);
                if (!dropped) {
                    dropped = true;
                    throw new GerritRestException(GerritRestException.Kind.UNAVAILABLE, 0, "connection reset before "
                            + "the reply", null);
                }
                return result;
            }
        });

        OutboxEntry entry = outbox(new FileOutboxStore(folder), dropsTheFirstReply).post(
                LabGerrit.context(gerrit, change), verified("Reply lost on the way back"), Duration.ofMinutes(5));

        assertThat(entry.getState()).isEqualTo(OutboxEntry.State.DONE);
        assertThat(entry.getOutcome()).contains("found on the change");
        assertThat(markers(gerrit, List.of(change), List.of(entry))).containsEntry(entry.getId(), 1L);
    }

    @Test
    void shouldLandAHundredPendingVotesAcrossARestartNoneTwice(final GerritServer gerrit, @TempDir final Path folder)
            throws Exception {
        List<LabChange> changes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            changes.add(gerrit.createChange(gerrit.dana(), "Outbox: batch " + i, "train/batch" + i + ".py", i + "\n"));
        }
        List<GerritChange> contexts = changes.stream().map(c -> LabGerrit.context(gerrit, c)).toList();
        GerritRestClient client = client(gerrit);
        ReviewOutbox dying = outbox(killedBeforeTheDoneMark(new FileOutboxStore(folder)), OutboxGerrit.of(client));
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(dying.enqueue(contexts.get(i % 4), verified("Result " + i), Duration.ofMinutes(10)));
        }
        Instant back;
        List<OutboxEntry> drained;
        try {
            // 30 land but their done-marks are lost; then Gerrit goes down and the other 70 fail once each.
            for (OutboxEntry entry : entries.subList(0, 30)) {
                assertThat(dying.attempt(entry).getState()).isEqualTo(OutboxEntry.State.DONE);
            }
            gerrit.stopDaemon();
            for (OutboxEntry entry : entries.subList(30, 100)) {
                assertThat(dying.attempt(entry).isPending()).isTrue();
            }
        } finally {
            gerrit.startDaemon();
        }
        back = Instant.now();
        drained = outbox(new FileOutboxStore(folder), OutboxGerrit.of(client)).drain();
        Instant allLanded = Instant.now();

        Map<String, Long> counts = markers(gerrit, changes, entries);
        long found = drained.stream().filter(e -> e.getOutcome().contains("found on the change")).count();
        System.out.printf("[outbox] 100 pending across a restart: Gerrit back -> all landed %d ms; %d found on the "
                + "change, %d posted after the restart%n", Duration.between(back, allLanded).toMillis(), found,
                drained.size() - found);
        assertThat(drained).hasSize(100).allSatisfy(e -> assertThat(e.getState()).as(e.getOutcome())
                .isEqualTo(OutboxEntry.State.DONE));
        assertThat(found).isEqualTo(30);
        assertThat(counts).hasSize(100).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
        assertThat(new FileOutboxStore(folder).pending()).isEmpty();
    }
}
