package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects validation problems as {@code field: reason}, so one error names everything to fix at once. */
final class Problems {
    static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?");

    private final List<String> list = new ArrayList<>();

    void add(final String field, final String reason) {
        list.add(field + ": " + reason);
    }

    boolean require(final boolean condition, final String field, final String reason) {
        if (!condition) {
            add(field, reason);
        }
        return condition;
    }

    boolean requireText(@CheckForNull final String value, final String field, final String what) {
        return require(value != null && !value.isBlank(), field, "is required (" + what + ")");
    }

    void requireS3Uri(@CheckForNull final String value, final String field) {
        if (requireText(value, field, "an S3 URI like s3://bucket/prefix")) {
            require(S3_URI.matcher(value).matches(), field, "'" + value + "' is not an S3 URI like "
                    + "s3://bucket/prefix (bucket: 3-63 lower-case letters, digits, dots, hyphens)");
        }
    }

    void requireRoleArn(@CheckForNull final String value, final String field) {
        if (requireText(value, field, "an IAM role ARN like arn:aws:iam::123456789012:role/SageMakerRole")) {
            require(Formats.isIamRoleArn(value), field, "'" + value + "' is not an IAM role ARN like "
                    + "arn:aws:iam::123456789012:role/SageMakerRole");
        }
    }

    void throwIfAny(final String what) {
        if (!list.isEmpty()) {
            throw new InvalidSpecException(what, list);
        }
    }

    List<String> asList() {
        return List.copyOf(list);
    }
}
