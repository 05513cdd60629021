package io.jenkins.plugins.gerritml.core.pipeline;

/** A lineage document that does not have the expected shape; names the field by its JSON pointer. */
public final class LineageFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public LineageFormatException(final String field, final String problem) {
        super("lineage field " + field + " " + problem);
        this.field = field;
    }

    /** The JSON pointer of the field, e.g. {@code /gerrit/change}. */
    public String getField() {
        return field;
    }
}
