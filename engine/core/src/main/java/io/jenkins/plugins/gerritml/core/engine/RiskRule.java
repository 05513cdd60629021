package io.jenkins.plugins.gerritml.core.engine;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Paths that make a change risky ({@code deploy/prod/**}, {@code data/**}) and what it then needs before automation
 * proceeds: a vote on an extra label (at least a value, optionally by a member of a group), or, with a group alone,
 * an approval that passed the gate from a member of that group. Globs are Java's: {@code **} crosses directories,
 * {@code *} does not.
 */
public final class RiskRule {
    private final String name;
    private final List<String> paths;
    private final String label;
    private final int value;
    private final String group;

    private RiskRule(final String name, final List<String> paths, final String label, final int value,
            final String group) {
        this.name = name;
        this.paths = List.copyOf(paths);
        this.label = label;
        this.value = value;
        this.group = group;
    }

    /**
     * A rule.
     *
     * @param name what to call it in messages, e.g. {@code production deploys}
     * @param paths globs over repository paths
     * @param label the extra label required, empty for none
     * @param value the minimum value of that label
     * @param group the group the voter or approver must belong to, empty for any
     * @throws IllegalArgumentException when no path is given, a glob is invalid or nothing is required
     */
    public static RiskRule valueOf(final String name, final List<String> paths, final String label, final int value,
            final String group) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("risky rule '" + name + "' lists no paths");
        }
        for (String glob : paths) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("risky rule '" + name + "': path '" + glob + "' is not a valid glob: "
                        + e.getMessage(), e);
            }
        }
        if (label.isEmpty() && group.isEmpty()) {
            throw new IllegalArgumentException("risky rule '" + name + "' requires nothing: give a label (and value) "
                    + "or a group");
        }
        if (!label.isEmpty() && (value < 1 || value > 2)) {
            throw new IllegalArgumentException("risky rule '" + name + "': value must be +1 or +2, was " + value);
        }
        return new RiskRule(name, paths, label, value, group);
    }

    public String getName() {
        return name;
    }

    public List<String> getPaths() {
        return paths;
    }

    public String getLabel() {
        return label;
    }

    public int getValue() {
        return value;
    }

    public String getGroup() {
        return group;
    }

    /** The files among {@code changed} that this rule covers. */
    public List<String> matching(final List<String> changed) {
        List<PathMatcher> matchers = new ArrayList<>();
        paths.forEach(glob -> matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob)));
        List<String> hits = new ArrayList<>();
        for (String file : changed) {
            Path path = Path.of(file);
            if (matchers.stream().anyMatch(m -> m.matches(path)) && !hits.contains(file)) {
                hits.add(file);
            }
        }
        return hits;
    }

    /** What the rule asks for, e.g. {@code Risk-Approved +1 from a member of ML Approvers}. */
    public String describeRequirement() {
        if (label.isEmpty()) {
            return "an approval from a member of " + group;
        }
        return label + " +" + value + (group.isEmpty() ? "" : " from a member of " + group)
                + " (not by the uploader or owner)";
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RiskRule)) {
            return false;
        }
        RiskRule other = (RiskRule) o;
        return value == other.value && name.equals(other.name) && paths.equals(other.paths)
                && label.equals(other.label) && group.equals(other.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, paths, label, value, group);
    }

    @Override
    public String toString() {
        return name + " " + paths + " needs " + describeRequirement();
    }
}
