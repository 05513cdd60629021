package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.Objects;

/** A comment on a file (and optionally a line) of the patch set, e.g. a failing gate pointing at its config. */
public final class FileComment {
    private final String path;
    private final int line;
    private final String message;

    private FileComment(final String path, final int line, final String message) {
        this.path = path;
        this.line = line;
        this.message = message;
    }

    /** {@code line} 0 comments on the whole file. */
    public static FileComment valueOf(final String path, final int line, final String message) {
        if (path == null || path.isBlank() || path.startsWith("/")) {
            throw new IllegalArgumentException("a file comment needs a path relative to the repository root, was '"
                    + path + "'");
        }
        if (line < 0) {
            throw new IllegalArgumentException("file comment line must be >= 0, was " + line);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("file comment on " + path + " has no text");
        }
        return new FileComment(path, line, message);
    }

    public String getPath() {
        return path;
    }

    public int getLine() {
        return line;
    }

    public String getMessage() {
        return message;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FileComment)) {
            return false;
        }
        FileComment other = (FileComment) o;
        return line == other.line && path.equals(other.path) && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, line, message);
    }

    @Override
    public String toString() {
        return path + (line > 0 ? ":" + line : "") + " " + message;
    }
}
