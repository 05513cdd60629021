package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One append-only JSON-lines file per engine run: every remote call that changes state (create a training job, stop
 * it, deploy, create or cancel a flow run, post a vote) with who, what, on what, when and the outcome.
 *
 * <p>No secret ever reaches the file: every text is scrubbed of the secrets the log was given (and of any added
 * later, e.g. a token read mid-run), and the values of detail keys that name a secret (password, token, secret,
 * authorization, credential, API or access key) are replaced outright. Each entry is one canonical JSON line written
 * with a single append, so a crash leaves whole lines behind and earlier lines are never rewritten.
 */
public final class AuditLog {
    /** Outcome of an audited call. */
    public enum Outcome { OK, FAILED, REFUSED }

    private static final String MASK = "****";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|authorization|credential|api[_-]?key|access[_-]?key|private[_-]?key).*");

    private final Path file;
    private final String runId;
    private final Clock clock;
    private final List<Secret> secrets = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private AuditLog(final Path file, final String runId, final Clock clock, final Collection<Secret> secrets) {
        this.file = file;
        this.runId = runId;
        this.clock = clock;
        secrets.forEach(this::addSecret);
    }

    /**
     * Opens (creating if needed) the log at {@code file} for run {@code runId}; existing lines are kept.
     *
     * @throws UncheckedIOException when the file cannot be created or is not writable
     */
    public static AuditLog open(final Path file, final String runId, final Clock clock,
            final Collection<Secret> secrets) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("an audit log needs a run id, e.g. the build URL or a UUID");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("audit log " + file + " is a directory: give a file name, e.g. "
                        + file.resolve("audit.jsonl"));
            }
            Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
        return new AuditLog(file, runId, clock, secrets);
    }

    /** Scrubs {@code secret} from every later entry. */
    public void addSecret(final Secret secret) {
        if (!secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    public Path getFile() {
        return file;
    }

    public String getRunId() {
        return runId;
    }

    /**
     * Appends one entry.
     *
     * @param action what was called, e.g. {@code gerrit.post-review}, {@code sagemaker.create-training-job}
     * @param actor who called it: the account the engine acts as, e.g. {@code jenkins@gerrit}
     * @param target what it acted on, e.g. {@code ml-demo~42/3} or a job ARN
     * @param details what was asked, e.g. labels and values (secrets are scrubbed)
     * @param outcome how it ended
     * @param message the error or refusal, empty on success
     */
    public void record(final String action, final String actor, final String target, final Map<String, String> details,
            final Outcome outcome, final String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", clock.instant().toString());
        entry.put("run", scrub(runId));
        entry.put("action", scrub(action));
        entry.put("actor", scrub(actor));
        entry.put("target", scrub(target));
        Map<String, Object> clean = new LinkedHashMap<>();
        details.forEach((key, value) -> clean.put(scrub(key), SECRET_KEY.matcher(key).matches() ? MASK
                : scrub(value)));
        entry.put("details", clean);
        entry.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
        entry.put("message", scrub(message));
        byte[] line = (CanonicalJson.write(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            try {
                Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Runs {@code call}, then records it as {@link Outcome#OK}, or as {@link Outcome#FAILED} with the exception's
     * (scrubbed) message and rethrows.
     */
    public <T> T call(final String action, final String actor, final String target, final Map<String, String> details,
            final Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            record(action, actor, target, details, Outcome.FAILED, e.getClass().getSimpleName() + ": "
                    + Objects.toString(e.getMessage(), ""));
            throw e;
        }
        record(action, actor, target, details, Outcome.OK, "");
        return result;
    }

    /** Reads a log back: one tree per line (for tools and tests). */
    public static List<Map<?, ?>> read(final Path file) {
        try {
            List<Map<?, ?>> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    entries.add((Map<?, ?>) CanonicalJson.parse(line));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private String scrub(final String text) {
        String result = text == null ? "" : text;
        for (Secret secret : secrets) {
            result = secret.mask(result);
        }
        return result;
    }

    @Override
    public String toString() {
        return "AuditLog[" + file + ", run " + runId + "]";
    }
}
