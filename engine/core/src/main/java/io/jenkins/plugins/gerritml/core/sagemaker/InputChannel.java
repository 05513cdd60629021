package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Objects;

/** One named training input: an S3 prefix and, optionally, its MIME type. Validated by {@link TrainingSpec}. */
public final class InputChannel implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String s3Uri;
    @CheckForNull
    private final String contentType;

    private InputChannel(final String name, final String s3Uri, @CheckForNull final String contentType) {
        this.name = Objects.requireNonNull(name, "name");
        this.s3Uri = Objects.requireNonNull(s3Uri, "s3Uri");
        this.contentType = contentType;
    }

    public static InputChannel of(final String name, final String s3Uri) {
        return new InputChannel(name, s3Uri, null);
    }

    public InputChannel withContentType(@CheckForNull final String type) {
        return new InputChannel(name, s3Uri, type == null || type.isBlank() ? null : type);
    }

    public String getName() {
        return name;
    }

    public String getS3Uri() {
        return s3Uri;
    }

    @CheckForNull
    public String getContentType() {
        return contentType;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof InputChannel)) {
            return false;
        }
        InputChannel other = (InputChannel) o;
        return name.equals(other.name) && s3Uri.equals(other.s3Uri) && Objects.equals(contentType, other.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, s3Uri, contentType);
    }

    @Override
    public String toString() {
        return name + "=" + s3Uri + (contentType == null ? "" : " (" + contentType + ")");
    }
}
