package io.jenkins.plugins.gerritml.core.cli;

import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * What a command must find again when it is run again after it was killed ({@code --state-dir}): the key its remote
 * job is created under. The key is on disk, forced, before the job is created, so a re-run with the same arguments
 * re-attaches to the job instead of starting a second one, as a restarted Jenkins does from its saved plan.
 */
final class RunState {
    private final Path folder;

    RunState(final Path folder) {
        this.folder = folder;
    }

    /**
     * The key of {@code command}'s job for {@code what} on the patch set of {@code change}: the one saved by an
     * earlier run, else {@code fresh} saved now.
     */
    String key(final String command, final GerritChange change, final String what, final Supplier<String> fresh) {
        Path file = folder.resolve(command + "-" + safe(change.getProject()) + "-c" + change.getChangeNumber() + "-p"
                + change.getPatchSetNumber() + "-" + safe(what) + ".key");
        try {
            if (Files.isRegularFile(file)) {
                String saved = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!saved.isEmpty()) {
                    return saved;
                }
            }
            String key = fresh.get();
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, ".key", ".tmp");
            Files.writeString(temp, key + "\n", StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("--state-dir " + folder + ": cannot keep the job's key in " + file + " ("
                    + e.getMessage() + "); nothing was started: make the folder writable", e);
        }
    }

    private static String safe(final String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
