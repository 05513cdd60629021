package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs Python scripts with real TensorFlow (tensorflow-cpu) and TensorBoard from the virtualenv
 * {@code tensorflow-requirements.txt} pins: the Keras example of {@code examples/tensorflow/}, and TensorBoard's own
 * loader to read event files back. Created once per requirements content (the wheel is large), shared by all tests.
 */
public final class TensorFlowLab {
    /** Quiet, CPU-only, single-threaded: reproducible files and no GPU probing noise. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "TF_CPP_MIN_LOG_LEVEL", "2",
            "CUDA_VISIBLE_DEVICES", "-1",
            "TF_ENABLE_ONEDNN_OPTS", "0",
            "PYTHONHASHSEED", "0",
            "PYTHONDONTWRITEBYTECODE", "1");

    private final PythonEnv env;

    private TensorFlowLab(final PythonEnv env) {
        this.env = env;
    }

    /** The TensorFlow virtualenv, created on first use (several minutes: tensorflow-cpu is a large wheel). */
    public static TensorFlowLab require() {
        return new TensorFlowLab(PythonEnv.require("tensorflow"));
    }

    public Path python() {
        return env.python();
    }

    /** The project's root directory ({@code -Dgerritml.project.root}, set by the build, or found from here up). */
    public static Path projectRoot() {
        String configured = System.getProperty("gerritml.project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new LabException("Cannot find the project root (a directory with mvnw and examples/): set "
                + "-Dgerritml.project.root");
    }

    /** {@code examples/tensorflow/NAME} in the project. */
    public static Path example(final String name) {
        Path script = projectRoot().resolve("examples").resolve("tensorflow").resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new LabException("No example script " + script);
        }
        return script;
    }

    /** Runs a Python script in the virtualenv; returns its output (stdout and stderr) or fails with its tail. */
    public String run(final Path script, final List<String> arguments, final Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(env.python().toString());
        command.add(script.toString());
        command.addAll(arguments);
        return LabProcess.run(script.getFileName().toString(), command, script.getParent(), ENVIRONMENT, timeout);
    }

    /** Trains the tiny Keras model of {@code examples/tensorflow/train_tiny_keras.py}, writing events to logdir. */
    public String trainTinyKeras(final Path logdir, final int epochs, final int seed) {
        return run(example("train_tiny_keras.py"), List.of("--logdir", logdir.toString(), "--epochs",
                Integer.toString(epochs), "--seed", Integer.toString(seed)), Duration.ofMinutes(3));
    }

    /**
     * The scalars of {@code runDirectory} as TensorBoard's own loader (plugin_event_accumulator) reads them, as JSON:
     * {@code {"runs": {"train": {"epoch_loss": [[step, wall_time, value], ...]}}}}.
     */
    public String tensorBoardScalarsJson(final Path runDirectory) {
        Path script = bundledScript("tensorboard_scalars.py");
        // stdout only: the JSON must not be mixed with TensorFlow's log lines on stderr.
        return runForStdout(script, List.of(runDirectory.toString()), Duration.ofMinutes(3));
    }

    /** Runs a script bundled in this module ({@code lab/python/NAME}) and returns its stdout alone. */
    public String runBundled(final String name, final List<String> arguments, final Duration timeout) {
        return runForStdout(bundledScript(name), arguments, timeout);
    }

    private String runForStdout(final Path script, final List<String> arguments, final Duration timeout) {
        try {
            Path out = Files.createTempFile("tensorflow-lab-", ".out");
            try {
                List<String> command = new ArrayList<>();
                command.add("/bin/sh");
                command.add("-c");
                command.add("exec \"$0\" \"$@\" > \"" + out + "\"");
                command.add(env.python().toString());
                command.add(script.toString());
                command.addAll(arguments);
                LabProcess.run(script.getFileName().toString(), command, script.getParent(), ENVIRONMENT, timeout);
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new LabException("Cannot run " + script + ": " + e.getMessage(), e);
        }
    }

    private Path bundledScript(final String name) {
        String resource = "python/" + name;
        try (InputStream in = TensorFlowLab.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LabException("No script " + resource + " next to " + TensorFlowLab.class.getName());
            }
            Path dir = env.home().resolve("gerrit-ml-scripts");
            Files.createDirectories(dir);
            Path script = dir.resolve(name);
            Path temp = Files.createTempFile(dir, name, ".tmp");
            Files.write(temp, in.readAllBytes());
            Files.move(temp, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return script;
        } catch (IOException e) {
            throw new LabException("Cannot extract " + resource + ": " + e.getMessage(), e);
        }
    }
}
