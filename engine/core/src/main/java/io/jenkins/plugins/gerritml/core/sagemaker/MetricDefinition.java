package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.Objects;

/** A metric SageMaker extracts from the training log with a regular expression (one capture group). */
public final class MetricDefinition implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String regex;

    private MetricDefinition(final String name, final String regex) {
        this.name = Objects.requireNonNull(name, "name");
        this.regex = Objects.requireNonNull(regex, "regex");
    }

    public static MetricDefinition of(final String name, final String regex) {
        return new MetricDefinition(name, regex);
    }

    public String getName() {
        return name;
    }

    public String getRegex() {
        return regex;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricDefinition)) {
            return false;
        }
        MetricDefinition other = (MetricDefinition) o;
        return name.equals(other.name) && regex.equals(other.regex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, regex);
    }

    @Override
    public String toString() {
        return name + "~/" + regex + "/";
    }
}
