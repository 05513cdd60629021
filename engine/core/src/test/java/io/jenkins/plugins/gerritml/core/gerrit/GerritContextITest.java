package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritLab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(GerritLab.class)
class GerritContextITest {
    @Test
    void shouldBuildTheSameContextFromStreamEventsAndFromBuildParameters(final GerritServer gerrit) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (GerritEventStream stream = GerritEventStream.connect(gerrit.host(), gerrit.sshPort(),
                gerrit.jenkins().username(), gerrit.jenkinsSshKeyFile(), Secret.empty(), null, events::add,
                e -> events.add("failure: " + e))) {
            assertThat(stream.isConnected()).isTrue();
            LabChange change = gerrit.pushChange(gerrit.dana(), "Add evaluation script",
                    Map.of("eval/evaluate.py", "print('eval')\n"));

            GerritChange fromEvent = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (fromEvent == null && System.nanoTime() < end) {
                String line = events.poll(1, TimeUnit.SECONDS);
                if (line != null && line.contains("\"patchset-created\"") && line.contains(change.revision())) {
                    fromEvent = GerritChangeFactory.fromEventJson(line);
                }
            }
            assertThat(fromEvent).as("patchset-created event for %s", change.revision()).isNotNull();

            GerritChange fromParameters = LabGerrit.context(gerrit, change);

            assertThat(fromEvent.isVerified()).isTrue();
            assertThat(fromParameters.isVerified()).isFalse();
            assertThat(fromEvent.getRevision()).isEqualTo(change.revision());
            assertThat(fromEvent.getUploader().getUsername()).isEqualTo("dana");
            assertThat(fromParameters.toBuilder().withSource(ContextSource.GERRIT_EVENT).build())
                    .usingRecursiveComparison().isEqualTo(fromEvent);
            assertThat(fromParameters.describesSameChangeAs(fromEvent)).isTrue();
        }
    }

    @Test
    void shouldFailClearlyWhenTheSshKeyIsNotRegistered(final GerritServer gerrit) throws Exception {
        java.nio.file.Path key = java.nio.file.Files.createTempFile("other", "key");
        com.jcraft.jsch.KeyPair pair = com.jcraft.jsch.KeyPair.genKeyPair(new com.jcraft.jsch.JSch(),
                com.jcraft.jsch.KeyPair.RSA, 2048);
        pair.writePrivateKey(key.toString());

        assertThatThrownBy(() -> GerritEventStream.connect(gerrit.host(), gerrit.sshPort(), "jenkins", key,
                Secret.empty(), null, line -> { }, e -> { }))
                .isInstanceOf(GerritRestException.class).hasMessageContaining("jenkins@127.0.0.1")
                .hasMessageContaining("SSH key");
        assertThat(List.of(GerritRestException.Kind.values())).contains(GerritRestException.Kind.UNAUTHORIZED);
    }
}
