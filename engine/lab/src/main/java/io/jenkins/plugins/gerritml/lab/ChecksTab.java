package io.jenkins.plugins.gerritml.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's Checks tab provider ({@code engine/checks/src/gerrit-ml-checks.js}) run in Node over a lab Gerrit's
 * REST API as a signed-in user, the way the web UI runs it: what the tab shows for a patch set, or what one of its
 * actions did. Node is {@code -Dgerritml.node} (default {@code node} on the PATH); the files are found under
 * {@code -Dgerritml.project.root}, or {@code -Dgerritml.checks.plugin} and {@code -Dgerritml.checks.runner}.
 */
public final class ChecksTab {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private ChecksTab() {
    }

    /** The web plugin's file, as an admin drops it into {@code site/plugins/}. */
    public static Path pluginFile() {
        return existing("gerritml.checks.plugin", "engine/checks/src/gerrit-ml-checks.js");
    }

    private static Path runner() {
        return existing("gerritml.checks.runner", "engine/checks/test-support/run-provider.js");
    }

    private static Path existing(final String property, final String underRoot) {
        String configured = System.getProperty(property);
        Path file = configured != null ? Path.of(configured) : PrefectServer.projectRoot().resolve(underRoot);
        if (!Files.isRegularFile(file)) {
            throw new LabException("No " + file + " (set -D" + property + " or -Dgerritml.project.root)");
        }
        return file;
    }

    /** What the tab shows {@code user} for patch set {@code patchSet} of {@code project~change}: a FetchResponse. */
    public static JsonNode fetch(final GerritServer gerrit, final LabUser user, final String project,
            final int change, final int patchSet, final List<String> more) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("gerritml.node", "node"),
                runner().toString(), "--plugin", pluginFile().toString(), "--url", gerrit.url(), "--user",
                user.username(), "--password", user.httpPassword(), "--project", project, "--change",
                Integer.toString(change)));
        if (!more.contains("--patchset")) {
            command.addAll(List.of("--patchset", Integer.toString(patchSet)));
        }
        command.addAll(more);
        Path err = null;
        Process node = null;
        try {
            err = Files.createTempFile("run-provider", ".err");
            node = new ProcessBuilder(command).redirectError(err.toFile()).start();
            node.getOutputStream().close();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new LabException("run-provider.js did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (node.exitValue() != 0) {
                throw new LabException("run-provider.js exited " + node.exitValue() + ": " + out + " "
                        + Files.readString(err));
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new LabException("Cannot run the Checks provider with " + command.get(0) + " (Node.js 20 or newer "
                    + "is needed): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted while the Checks provider ran", e);
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** {@link #fetch} for a lab change's current patch set. */
    public static JsonNode fetch(final GerritServer gerrit, final LabUser user, final LabChange change,
            final List<String> more) {
        return fetch(gerrit, user, change.project(), change.number(), change.patchSet(), more);
    }
}
