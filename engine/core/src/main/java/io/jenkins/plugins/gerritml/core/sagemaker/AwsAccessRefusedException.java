package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;

/**
 * The administrator's {@link AwsAccessPolicy} refused a connection, a training job or a deployment: thrown before
 * any AWS call. The message names each rule broken, the value the step asked for and what is allowed.
 */
public final class AwsAccessRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final List<String> rules;

    AwsAccessRefusedException(final String what, final List<String> refusals, final List<String> rules,
            final String whereToConfigure) {
        super(what + " refused by the AWS access policy" + (whereToConfigure.isEmpty() ? "" : " (" + whereToConfigure
                + ")") + "; nothing was called in AWS:\n  - " + String.join("\n  - ", refusals));
        this.rules = List.copyOf(rules);
    }

    /** The rules broken, e.g. {@code aws-role-arn-patterns}. */
    public List<String> getRules() {
        return rules;
    }
}
