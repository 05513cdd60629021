package io.jenkins.plugins.gerritml.core.util;

/**
 * A secret value (password, API key, token). Its {@link #toString()} never shows it, so it cannot leak through string
 * concatenation into a log or an exception message; {@link #mask(String)} scrubs it from text that came from elsewhere
 * (e.g. a remote error reply that echoes a header).
 */
public final class Secret {
    private static final String MASK = "****";
    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(final String value) {
        this.value = value;
    }

    public static Secret of(final String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The plain value, for the one place that must send it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** {@code text} with every occurrence of this secret replaced by {@value #MASK}. */
    public String mask(final String text) {
        if (text == null || value.length() < 3) {
            return text;
        }
        return text.replace(value, MASK);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Secret && value.equals(((Secret) o).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return isEmpty() ? "(none)" : MASK;
    }
}
