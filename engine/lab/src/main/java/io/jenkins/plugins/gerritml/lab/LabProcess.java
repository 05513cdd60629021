package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server the lab started as a child process: its output goes to a log file, it is stopped with SIGTERM (then
 * killed), and a failure to start reports the log's tail so the build says what went wrong.
 */
public final class LabProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private LabProcess(final String name, final Process process, final Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir}, output appended to {@code log}. */
    public static LabProcess start(final String name, final List<String> command, final Path workDir,
            final Map<String, String> environment, final Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            LabProcess started = new LabProcess(name, builder.start(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop " + name));
            return started;
        } catch (IOException e) {
            throw new LabException("Cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} to completion; fails with the output's tail when it exits non-zero or times out. */
    public static String run(final String name, final List<String> command, final Path workDir,
            final Map<String, String> environment, final Duration timeout) {
        try {
            Path out = Files.createTempFile("lab-" + name.replaceAll("[^A-Za-z0-9]", "-"), ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(out.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new LabException(name + " did not finish in " + timeout.toSeconds() + " s. Output:\n"
                            + tail(out, 40));
                }
                String output = Files.readString(out, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new LabException(name + " failed with exit code " + process.exitValue() + " ("
                            + String.join(" ", command) + "). Output:\n" + tail(out, 40));
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new LabException("Cannot run " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted while running " + name, e);
        }
    }

    /** Waits until {@code ready} holds; fails with the log tail if the process dies or time runs out. */
    public LabProcess awaitReady(final Duration timeout, final BooleanSupplier ready) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new LabException(name + " exited with code " + process.exitValue() + " while starting. Log "
                        + log + ":\n" + logTail(60));
            }
            if (ready.getAsBoolean()) {
                return this;
            }
            sleep(Duration.ofMillis(200));
        }
        close();
        throw new LabException(name + " was not ready after " + timeout.toSeconds() + " s. Log " + log + ":\n"
                + logTail(60));
    }

    /** Whether {@code url} answers HTTP 2xx. */
    public static boolean httpOk(final String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            int code = connection.getResponseCode();
            connection.disconnect();
            return code >= 200 && code < 300;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free loopback port, picked right before use. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String logTail(final int lines) {
        return tail(log, lines);
    }

    /** Resident memory of the process in MiB, from /proc (Linux), or -1. */
    public long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGTERM, up to 20 s to finish cleanly, then SIGKILL. Children (e.g. a Python server's workers) too. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String tail(final Path file, final int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted", e);
        }
    }
}
