package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link OutboxStore} in a folder, one JSON file per entry, each written to a temporary file, forced to disk and
 * moved into place atomically: a crash leaves either the old entry or the new one, never half of one.
 *
 * <p>Several processes (two CLI runs, or a CLI run and a clean-up job) may deliver one folder: {@link #claim} takes an
 * operating-system lock on the entry's {@code .<id>.lock} file, which the system releases if the holder dies.
 */
public final class FileOutboxStore implements OutboxStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SUFFIX = ".review.json";

    private final Path folder;

    public FileOutboxStore(final Path folder) {
        this.folder = folder;
    }

    public Path getFolder() {
        return folder;
    }

    /** The file that keeps the entry {@code id}. */
    public Path fileOf(final String id) {
        return folder.resolve(id + SUFFIX);
    }

    @Override
    public synchronized void save(final OutboxEntry entry) {
        try {
            Files.createDirectories(folder);
            Path target = fileOf(entry.getId());
            Path temp = folder.resolve("." + entry.getId() + ".tmp");
            byte[] bytes = JSON.writeValueAsBytes(toMap(entry));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the review outbox entry to " + folder.toAbsolutePath()
                    + " (" + e.getMessage() + "): nothing was posted; make the folder writable or point the outbox "
                    + "elsewhere", e);
        }
    }

    @Override
    public Optional<OutboxEntry> find(final String id) {
        Path file = fileOf(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromMap(JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { }),
                    file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the review outbox entry " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Claim> claim(final String id) {
        Path lockFile = folder.resolve("." + id + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            FileChannel held = channel;
            return Optional.of(() -> {
                try {
                    deleteIfSettled(id, lockFile);
                    lock.release();
                    held.close();
                } catch (IOException e) {
                    // closing the channel releases the lock whatever happened
                }
            });
        } catch (OverlappingFileLockException e) {
            // another outbox of this JVM holds it
            closeQuietly(channel);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + lockFile.toAbsolutePath() + " (" + e.getMessage()
                    + "): nothing was posted; make the outbox folder writable", e);
        }
    }

    /**
     * Removes the lock file of an entry that has settled (landed, refused, expired), while the lock is still held.
     * A deliverer that opened the old file meanwhile, or creates a new one, claims it, re-reads the entry, finds it
     * settled and posts nothing, so two holders after the delete do no harm.
     */
    private void deleteIfSettled(final String id, final Path lockFile) {
        try {
            if (find(id).map(entry -> entry.getState() != OutboxEntry.State.PENDING).orElse(false)) {
                Files.deleteIfExists(lockFile);
            }
        } catch (IOException | UncheckedIOException e) {
            // a lock file left behind only takes room: the next claim of this settled entry posts nothing
        }
    }

    private static void closeQuietly(final FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }

    @Override
    public synchronized List<OutboxEntry> entries() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<OutboxEntry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                Map<String, Object> map = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
                entries.add(fromMap(map, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the review outbox in " + folder.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(OutboxEntry::getCreatedAt).thenComparing(OutboxEntry::getId));
        return entries;
    }

    private static Map<String, Object> toMap(final OutboxEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", entry.getId());
        map.put("project", entry.getProject());
        map.put("branch", entry.getBranch());
        map.put("change", entry.getChangeNumber());
        map.put("patchSet", entry.getPatchSet());
        map.put("revision", entry.getRevision());
        map.put("context", entry.getContext());
        map.put("labels", entry.getLabels());
        map.put("message", entry.getMessage());
        map.put("notify", entry.getNotify().name());
        List<Map<String, Object>> comments = new ArrayList<>();
        for (FileComment comment : entry.getComments()) {
            comments.add(Map.of("path", comment.getPath(), "line", comment.getLine(), "message", comment.getMessage()));
        }
        map.put("comments", comments);
        map.put("createdAt", entry.getCreatedAt().toString());
        map.put("deadline", entry.getDeadline().toString());
        map.put("attempts", entry.getAttempts());
        map.put("nextAttemptAt", entry.getNextAttemptAt().toString());
        map.put("state", entry.getState().name());
        map.put("outcome", entry.getOutcome());
        return map;
    }

    @SuppressWarnings("unchecked")
    private static OutboxEntry fromMap(final Map<String, Object> map, final Path file) {
        try {
            Map<String, Integer> labels = new LinkedHashMap<>();
            ((Map<String, Object>) map.get("labels")).forEach((k, v) -> labels.put(k, ((Number) v).intValue()));
            List<FileComment> comments = new ArrayList<>();
            for (Map<String, Object> c : (List<Map<String, Object>>) map.get("comments")) {
                comments.add(FileComment.valueOf((String) c.get("path"), ((Number) c.get("line")).intValue(),
                        (String) c.get("message")));
            }
            return OutboxEntry.restore((String) map.get("id"), (String) map.get("project"), (String) map.get("branch"),
                    ((Number) map.get("change")).intValue(), ((Number) map.get("patchSet")).intValue(),
                    (String) map.get("revision"), (String) map.get("context"), labels, (String) map.get("message"),
                    Review.Notify.valueOf((String) map.get("notify")), comments,
                    Instant.parse((String) map.get("createdAt")), Instant.parse((String) map.get("deadline")),
                    ((Number) map.get("attempts")).intValue(), Instant.parse((String) map.get("nextAttemptAt")),
                    OutboxEntry.State.valueOf((String) map.get("state")), (String) map.get("outcome"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Review outbox entry " + file.toAbsolutePath() + " is damaged ("
                    + e.getMessage() + "): move it aside and post that review by hand if it is still owed", e);
        }
    }

    @Override
    public String toString() {
        return "FileOutboxStore[" + folder + "]";
    }
}
