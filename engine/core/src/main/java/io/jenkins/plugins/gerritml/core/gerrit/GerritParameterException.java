package io.jenkins.plugins.gerritml.core.gerrit;

/**
 * A build parameter or event field is missing or malformed. The message names the parameter and what was expected.
 */
public class GerritParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    public GerritParameterException(final String parameter, final String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The offending parameter or field, e.g. {@code GERRIT_PATCHSET_NUMBER}. */
    public String getParameter() {
        return parameter;
    }
}
