package io.jenkins.plugins.gerritml.core.gerrit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labels and value ranges the steps may vote, per Gerrit server, as an administrator wrote them: one rule a line,
 * {@code [server:]Label min..max} (e.g. {@code Model-Verified -1..+1}, {@code gerrit-prod:Code-Review 0..+1}; blank
 * lines and {@code #} comments are ignored). {@code Verified -1..+1} is always allowed unless a line names
 * {@code Verified} itself; a rule for one server wins over a rule for all. A review with any other label or value is
 * refused before it is posted, whatever the Jenkinsfile says.
 */
public final class VoteAllowList {
    /** The rule's name in refusals. */
    public static final String RULE = "vote-allow-list";

    private static final Pattern LINE = Pattern.compile(
            "(?:([^:\\s]+)\\s*:\\s*)?(" + Formats.LABEL_REGEX + ")\\s*=?\\s*([+-]?\\d+)\\s*\\.\\.\\s*([+-]?\\d+)");
    private static final String ANY_SERVER = "";
    private static final Range DEFAULT_VERIFIED = new Range(-1, 1);

    /** Server ("" for all) to label to range, in the order written. */
    private final Map<String, Map<String, Range>> rules;

    private VoteAllowList(final Map<String, Map<String, Range>> rules) {
        this.rules = rules;
    }

    /** Only {@code Verified -1..+1}. */
    public static VoteAllowList defaults() {
        return new VoteAllowList(Map.of());
    }

    /**
     * Reads the administrator's rules.
     *
     * @throws IllegalArgumentException naming the first line that is not a rule
     */
    public static VoteAllowList parse(@CheckForNull final String text) {
        Map<String, Map<String, Range>> rules = new LinkedHashMap<>();
        if (text == null) {
            return new VoteAllowList(rules);
        }
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("Vote allow-list line " + (i + 1) + " '" + shorten(line)
                        + "' is not a rule: write [server:]Label min..max, e.g. Model-Verified -1..+1 or "
                        + "gerrit-prod:Code-Review 0..+1");
            }
            int min = Integer.parseInt(m.group(3).replace("+", ""));
            int max = Integer.parseInt(m.group(4).replace("+", ""));
            if (min > max) {
                throw new IllegalArgumentException("Vote allow-list line " + (i + 1) + " '" + shorten(line)
                        + "': the lowest value comes first, e.g. -1..+1");
            }
            String server = m.group(1) == null ? ANY_SERVER : m.group(1);
            rules.computeIfAbsent(server, s -> new LinkedHashMap<>()).put(m.group(2), new Range(min, max));
        }
        return new VoteAllowList(rules);
    }

    /** The range {@code label} may take on {@code server}, if it may be voted at all. */
    public Optional<Range> range(final String server, final String label) {
        Range specific = rules.getOrDefault(Objects.requireNonNull(server, "server"), Map.of()).get(label);
        if (specific != null && !server.isEmpty()) {
            return Optional.of(specific);
        }
        Range any = rules.getOrDefault(ANY_SERVER, Map.of()).get(label);
        if (any != null) {
            return Optional.of(any);
        }
        return "Verified".equals(label) ? Optional.of(DEFAULT_VERIFIED) : Optional.empty();
    }

    /**
     * Refuses {@code review} on {@code server} when a label or value is outside the list.
     *
     * @throws GerritAccessRefusedException naming the rule, the vote and what is allowed
     */
    public void check(final String server, final Review review) {
        List<String> refused = new ArrayList<>();
        review.getLabels().forEach((label, value) -> {
            Optional<Range> range = range(server, label);
            if (range.isEmpty() || !range.get().contains(value)) {
                refused.add(label + "=" + Range.signed(value));
            }
        });
        if (!refused.isEmpty()) {
            String example = refused.get(0).substring(0, refused.get(0).indexOf('='));
            throw new GerritAccessRefusedException(RULE, "The vote " + String.join(", ", refused) + " is not allowed "
                    + "on Gerrit server '" + server + "' (allowed: " + describe(server) + "); nothing was posted. "
                    + "An administrator can allow it in the vote allow-list, e.g. "
                    + (server.isEmpty() ? "" : server + ":") + example + " -1..+1");
        }
    }

    /** Whether {@code label} has a range on some server: the default {@code Verified}, or one a rule names. */
    public boolean allowsAnywhere(final String label) {
        return "Verified".equals(label) || rules.values().stream().anyMatch(r -> r.containsKey(label));
    }

    /** The allowed votes on {@code server}, e.g. {@code Verified -1..+1, Model-Verified -1..+1}. */
    public String describe(final String server) {
        Map<String, Range> effective = new LinkedHashMap<>();
        effective.put("Verified", DEFAULT_VERIFIED);
        effective.putAll(rules.getOrDefault(ANY_SERVER, Map.of()));
        if (!server.isEmpty()) {
            effective.putAll(rules.getOrDefault(server, Map.of()));
        }
        List<String> parts = new ArrayList<>();
        effective.forEach((label, range) -> parts.add(label + " " + range));
        return String.join(", ", parts);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof VoteAllowList && rules.equals(((VoteAllowList) o).rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return "votes allowed: " + describe(ANY_SERVER) + (rules.keySet().stream().anyMatch(s -> !s.isEmpty())
                ? " (and per-server rules)" : "");
    }

    private static String shorten(final String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** An inclusive range of label values. */
    public static final class Range {
        private final int min;
        private final int max;

        Range(final int min, final int max) {
            this.min = min;
            this.max = max;
        }

        public int getMin() {
            return min;
        }

        public int getMax() {
            return max;
        }

        public boolean contains(final int value) {
            return value >= min && value <= max;
        }

        static String signed(final int value) {
            return value > 0 ? "+" + value : String.valueOf(value);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Range && min == ((Range) o).min && max == ((Range) o).max;
        }

        @Override
        public int hashCode() {
            return 31 * min + max;
        }

        @Override
        public String toString() {
            return signed(min) + ".." + signed(max);
        }
    }
}
