package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabUser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Checks tab's provider (checks/src/gerrit-ml-checks.js) run in Node over a lab Gerrit's REST API, as the web UI
 * would run it for {@code user}: what it returns for a change, or what one of its actions did.
 */
public final class ChecksTabProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);

    public static Path pluginFile() {
        return existing("gerritml.checks.plugin", "../checks/src/gerrit-ml-checks.js");
    }

    private static Path runner() {
        return existing("gerritml.checks.runner", "../checks/test-support/run-provider.js");
    }

    private static Path existing(final String property, final String fallback) {
        Path file = Path.of(System.getProperty(property, fallback));
        assertThat(file).as("system property %s", property).isRegularFile();
        return file;
    }

    /** Runs the provider with Node as {@code user}; returns what it printed. */
    public static JsonNode run(final GerritServer gerrit, final LabUser user, final LabChange change,
            final List<String> more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("gerritml.node", "node"),
                runner().toString(), "--plugin", pluginFile().toString(), "--url", gerrit.url(), "--user",
                user.username(), "--password", user.httpPassword(), "--project", change.project(), "--change",
                Integer.toString(change.number())));
        if (!more.contains("--patchset")) {
            command.addAll(List.of("--patchset", Integer.toString(change.patchSet())));
        }
        command.addAll(more);
        Path err = Files.createTempFile("run-provider", ".err");
        Process node = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try {
            node.getOutputStream().close();
            byte[] out = node.getInputStream().readAllBytes();
            assertThat(node.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("run-provider.js finished")
                    .isTrue();
            String stdout = new String(out, StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as("run-provider.js exit code; stdout:%n%s%nstderr:%n%s", stdout,
                    Files.readString(err)).isZero();
            return JSON.readTree(stdout);
        } finally {
            node.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    private ChecksTabProvider() {
    }
}
