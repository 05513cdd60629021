package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;

/**
 * A training, deployment or connection setting cannot be used. Thrown before any AWS call; the message lists every
 * problem as {@code field: what is wrong and how to fix it}.
 */
public final class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidSpecException(final String what, final List<String> problems) {
        super(what + (what.endsWith("s") ? " are" : " is") + " not valid:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code field: reason}. */
    public List<String> getProblems() {
        return problems;
    }
}
