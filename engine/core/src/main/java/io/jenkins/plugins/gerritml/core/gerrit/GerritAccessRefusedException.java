package io.jenkins.plugins.gerritml.core.gerrit;

/**
 * A trust rule refused a Gerrit call before anything was sent: the message names the rule, what the build asked for
 * and what to configure instead. It never holds a secret.
 */
public class GerritAccessRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    public GerritAccessRefusedException(final String rule, final String message) {
        super(message + " [rule: " + rule + "]");
        this.rule = rule;
    }

    /** The rule's short name, e.g. {@link GerritCredentialPolicy#TRIGGER_ACCOUNT_RULE}. */
    public String getRule() {
        return rule;
    }
}
