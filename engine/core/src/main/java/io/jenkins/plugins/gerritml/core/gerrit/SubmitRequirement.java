package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.List;
import java.util.Objects;

/**
 * One of Gerrit's submit requirements as evaluated on a change's current patch set: what Gerrit itself checks
 * before it lets anyone submit. Immutable.
 */
public final class SubmitRequirement {
    /** Gerrit's SubmitRequirementResultInfo status. */
    public enum Status {
        SATISFIED, UNSATISFIED, OVERRIDDEN, NOT_APPLICABLE, ERROR, FORCED;

        /** What Gerrit would let through for submit: satisfied, overridden or not applicable to this change. */
        public boolean permitsSubmit() {
            return this == SATISFIED || this == OVERRIDDEN || this == NOT_APPLICABLE;
        }

        static Status parse(final String text) {
            if (text == null) {
                return ERROR;
            }
            try {
                return valueOf(text.trim());
            } catch (IllegalArgumentException e) {
                // A status a newer Gerrit invents is not a pass.
                return ERROR;
            }
        }
    }

    private final String name;
    private final Status status;
    private final boolean legacy;
    private final String expression;
    private final List<String> failingAtoms;

    private SubmitRequirement(final String name, final Status status, final boolean legacy, final String expression,
            final List<String> failingAtoms) {
        this.name = name;
        this.status = status;
        this.legacy = legacy;
        this.expression = expression;
        this.failingAtoms = List.copyOf(failingAtoms);
    }

    public static SubmitRequirement valueOf(final String name, final Status status, final boolean legacy,
            final String expression, final List<String> failingAtoms) {
        return new SubmitRequirement(Objects.requireNonNull(name, "name"), Objects.requireNonNull(status, "status"),
                legacy, expression == null ? "" : expression, failingAtoms == null ? List.of() : failingAtoms);
    }

    public String getName() {
        return name;
    }

    public Status getStatus() {
        return status;
    }

    /** Whether Gerrit derived it from a label function or a Prolog rule rather than a configured requirement. */
    public boolean isLegacy() {
        return legacy;
    }

    /** The submittability expression, e.g. {@code label:Code-Review=MAX AND -label:Code-Review=MIN}. */
    public String getExpression() {
        return expression;
    }

    /** The atoms of the expression that do not hold, e.g. {@code label:Data-Checked=+1}. */
    public List<String> getFailingAtoms() {
        return failingAtoms;
    }

    public boolean permitsSubmit() {
        return status.permitsSubmit();
    }

    /** For a refusal: {@code Model-Ready is UNSATISFIED (fails: label:Data-Checked=+1; needs ...)}. */
    public String explain() {
        StringBuilder text = new StringBuilder(name).append(" is ").append(status);
        if (!failingAtoms.isEmpty()) {
            text.append(" (fails: ").append(String.join(", ", failingAtoms)).append(')');
        }
        if (!expression.isEmpty()) {
            text.append("; Gerrit requires ").append(expression);
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SubmitRequirement)) {
            return false;
        }
        SubmitRequirement other = (SubmitRequirement) o;
        return legacy == other.legacy && name.equals(other.name) && status == other.status
                && expression.equals(other.expression) && failingAtoms.equals(other.failingAtoms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, status, legacy, expression, failingAtoms);
    }

    @Override
    public String toString() {
        return name + " " + status;
    }
}
