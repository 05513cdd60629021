package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabException;
import io.jenkins.plugins.gerritml.lab.OnNewerGerrit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The newer Gerrit line itself: that it really is that line on its own JDK, that a missing JDK fails saying what to
 * install, and that the outbox still recognises its own post among that line's messages after a lost reply.
 */
@ExtendWith(GerritLab.class)
@OnNewerGerrit
class NewerGerritLineITest {
    @Test
    void shouldRunTheNewerLineOnItsOwnJdk(final GerritServer gerrit) throws java.io.IOException {
        // Jar-launched Gerrit reports its version as "(dev)": what runs is told by its jars and its JVM.
        String expected = System.getProperty("gerrit.newer.version", "3.13.5");
        var jvm = gerrit.rest(gerrit.admin(), "GET", "config/server/summary?jvm", null).get("jvm_summary");
        List<String> jars;
        try (var files = java.nio.file.Files.list(gerrit.line().jars())) {
            jars = files.map(f -> f.getFileName().toString()).toList();
        }

        System.out.printf("[newer gerrit] %s on %s %s: init %d ms, start %d ms, %d MiB resident%n",
                gerrit.line().name(), jvm.path("vm_name").asText(), jvm.path("vm_version").asText(),
                gerrit.initTime().toMillis(), gerrit.lastStartTime().toMillis(), gerrit.residentMiB());
        assertThat(jars).contains("gerrit-plugin-api-" + expected + ".jar",
                "gerrit-acceptance-framework-" + expected + ".jar");
        assertThat(Integer.parseInt(jvm.path("vm_version").asText().replaceAll("^(\\d+).*", "$1")))
                .as("the newer line's Java 21 class files need Java 21+").isGreaterThanOrEqualTo(21);
        assertThat(LabGerrit.jenkinsClient(gerrit).getVersion()).isNotBlank();
    }

    @Test
    void shouldSayWhatToInstallWhenTheJdkIsMissing() {
        String configured = System.getProperty("gerrit.newer.java");
        System.setProperty("gerrit.newer.java", "/nonexistent/jdk-25/bin/java");
        try {
            assertThatThrownBy(GerritServer.Line::newer).isInstanceOf(LabException.class)
                    .hasMessageContaining("/nonexistent/jdk-25/bin/java").hasMessageContaining("Java 21 or newer")
                    .hasMessageContaining("Install a JDK 21+").hasMessageContaining("-Dgerrit.newer.java=");
        } finally {
            if (configured == null) {
                System.clearProperty("gerrit.newer.java");
            } else {
                System.setProperty("gerrit.newer.java", configured);
            }
        }
    }

    @Test
    void shouldFindItsOwnPostAmongTheMessagesAfterALostReply(final GerritServer gerrit, @TempDir final Path folder)
            throws InterruptedException {
        LabChange change = gerrit.createChange(gerrit.dana(), "Outbox on the newer line", "train/n.py", "n = 1\n");
        GerritRestClient client = LabGerrit.client(gerrit, gerrit.jenkins(), 1, Backoff.of(Duration.ofMillis(100),
                Duration.ofMillis(100)), line -> { });
        boolean[] dropped = {false};
        OutboxGerrit dropsTheFirstReply = OutboxGerrit.of(client, (target, review) -> {
            Object result = client.postReview(target, review);
            if (!dropped[0]) {
                dropped[0] = true;
                throw new GerritRestException(GerritRestException.Kind.UNAVAILABLE, 0, "reply lost", null);
            }
            return result;
        });
        ReviewOutbox outbox = new ReviewOutbox(new FileOutboxStore(folder), dropsTheFirstReply,
                Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(1)), Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()), line -> { });

        OutboxEntry entry = outbox.post(LabGerrit.context(gerrit, change), Review.builder().withLabel("Verified", 1)
                .withMessage("Posted once on the newer line").withContext("outbox-it").build(), Duration.ofMinutes(1));

        assertThat(entry.getState()).isEqualTo(OutboxEntry.State.DONE);
        assertThat(entry.getOutcome()).contains("found on the change");
        assertThat(client.getMessages(change.project() + "~" + change.number()))
                .filteredOn(entry::isPostedAs).hasSize(1);
    }
}
