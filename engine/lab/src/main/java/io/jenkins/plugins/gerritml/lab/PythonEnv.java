package io.jenkins.plugins.gerritml.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A Python virtualenv that the build creates from a pinned requirements file in this module's resources
 * ({@code io/jenkins/plugins/gerritml/lab/python/NAME-requirements.txt}). It is created once per requirements
 * content, under {@code ~/.cache/gerrit-ml-lab} (or {@code -Dgerritml.lab.cache}), guarded by a file lock so parallel
 * builds share it. A missing Python fails with what to install.
 */
public final class PythonEnv {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(25);

    private final String name;
    private final Path home;

    private PythonEnv(final String name, final Path home) {
        this.name = name;
        this.home = home;
    }

    /** The virtualenv for {@code name}, created and populated on first use. */
    public static PythonEnv require(final String name) {
        String requirements = readRequirements(name);
        Path cache = cacheDir();
        Path home = cache.resolve(name + "-" + sha256(requirements + "|" + pythonCommand()).substring(0, 12));
        Path complete = home.resolve(".gerrit-ml-complete");
        if (Files.exists(complete)) {
            return new PythonEnv(name, home);
        }
        try {
            Files.createDirectories(cache);
            try (FileChannel channel = FileChannel.open(cache.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (!Files.exists(complete)) {
                    create(name, home, requirements);
                    Files.writeString(complete, requirements);
                }
            }
        } catch (IOException e) {
            throw new LabException("Cannot create the Python virtualenv " + home + ": " + e.getMessage(), e);
        }
        return new PythonEnv(name, home);
    }

    private static void create(final String name, final Path home, final String requirements) throws IOException {
        String python = pythonCommand();
        try {
            LabProcess.run("python3 --version", List.of(python, "-c",
                    "import sys; assert sys.version_info >= (3, 9), sys.version"), home.getParent(), Map.of(),
                    Duration.ofSeconds(30));
        } catch (LabException e) {
            throw new LabException("Python 3.9 or newer is needed for the " + name + " test server. Install it "
                    + "(Debian: apt-get install python3 python3-venv) or point -Dgerritml.python at it. " + e.getMessage(), e);
        }
        deleteRecursively(home);
        try {
            LabProcess.run("python3 -m venv", List.of(python, "-m", "venv", home.toString()), home.getParent(),
                    Map.of(), Duration.ofMinutes(2));
        } catch (LabException e) {
            throw new LabException("Cannot create a virtualenv with " + python + " -m venv (Debian: apt-get install "
                    + "python3-venv). " + e.getMessage(), e);
        }
        Path requirementsFile = home.resolve("requirements.txt");
        Files.writeString(requirementsFile, requirements);
        Path pip = home.resolve("bin/pip");
        LabProcess.run("pip install (" + name + ")", List.of(pip.toString(), "install", "--disable-pip-version-check",
                "--no-input", "-q", "-r", requirementsFile.toString()), home, Map.of(), INSTALL_TIMEOUT);
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
    }

    /** The virtualenv's {@code bin/TOOL}. */
    public Path bin(final String tool) {
        return home.resolve("bin").resolve(tool);
    }

    public Path python() {
        return bin("python");
    }

    private static String pythonCommand() {
        return System.getProperty("gerritml.python", "python3");
    }

    private static Path cacheDir() {
        String configured = System.getProperty("gerritml.lab.cache");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "gerrit-ml-lab");
    }

    private static String readRequirements(final String name) {
        String resource = "python/" + name + "-requirements.txt";
        try (InputStream in = PythonEnv.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LabException("No requirements file " + resource + " next to " + PythonEnv.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("Cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    static String sha256(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(final Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
