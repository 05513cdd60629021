package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags that tie a SageMaker resource to its review: project, change, patch set, revision, approvers, build URL.
 * Gerrit values are sanitized to AWS's tag rules (never rejected): characters AWS does not allow become {@code _},
 * values longer than 256 characters are cut.
 */
public final class LineageTags {
    public static final String PROJECT = "gerrit:project";
    public static final String CHANGE = "gerrit:change";
    public static final String PATCH_SET = "gerrit:patchset";
    public static final String REVISION = "gerrit:revision";
    public static final String APPROVERS = "gerrit:approvers";
    public static final String UPLOADER = "gerrit:uploader";
    public static final String BUILD_URL = "jenkins:build-url";

    static final int MAX_TAGS = 50;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;
    /** AWS's tag character set: letters, spaces, digits and {@code _ . : / = + - @}. */
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");

    private LineageTags() {
    }

    /** Lineage tags first, then {@code extra} (which may not override them); at most 50 in all. */
    public static Map<String, String> forTraining(final TrainingContext context, final Map<String, String> extra) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PROJECT, value(context.getProject()));
        tags.put(CHANGE, Integer.toString(context.getChangeNumber()));
        tags.put(PATCH_SET, Integer.toString(context.getPatchSet()));
        tags.put(REVISION, value(context.getRevision()));
        if (!context.getApprovers().isEmpty()) {
            tags.put(APPROVERS, value(String.join(" ", context.getApprovers())));
        }
        if (context.getUploader() != null) {
            tags.put(UPLOADER, value(context.getUploader()));
        }
        if (context.getBuildUrl() != null) {
            tags.put(BUILD_URL, value(context.getBuildUrl()));
        }
        Problems problems = new Problems();
        extra.forEach((rawKey, rawValue) -> {
            String key = key(rawKey);
            if (key.isEmpty()) {
                problems.add("tags." + rawKey, "the key has no character AWS allows in tag keys");
            } else if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                problems.add("tags." + rawKey, "keys starting with 'aws:' are reserved by AWS");
            } else if (tags.containsKey(key)) {
                problems.add("tags." + rawKey, "'" + key + "' is a lineage tag and cannot be overridden");
            } else {
                tags.put(key, value(rawValue));
            }
        });
        problems.require(tags.size() <= MAX_TAGS, "tags", "AWS allows at most " + MAX_TAGS + " tags per resource; "
                + "with the lineage tags there would be " + tags.size() + ": drop " + (tags.size() - MAX_TAGS)
                + " extra tag(s)");
        problems.throwIfAny("The tags");
        return tags;
    }

    /** Session tags for STS AssumeRole: who and what the AWS session acts for (visible in CloudTrail). */
    public static Map<String, String> sessionTags(final TrainingContext context) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("gerrit-project", value(context.getProject()));
        tags.put("gerrit-change", Integer.toString(context.getChangeNumber()));
        tags.put("gerrit-patchset", Integer.toString(context.getPatchSet()));
        return tags;
    }

    /** A tag value sanitized to AWS's rules: disallowed characters become {@code _}, cut at 256 characters. */
    public static String value(final String raw) {
        String clean = NOT_ALLOWED.matcher(raw).replaceAll("_");
        return clean.length() <= MAX_VALUE ? clean : clean.substring(0, MAX_VALUE);
    }

    /** A tag key sanitized to AWS's rules, cut at 128 characters, trimmed. */
    public static String key(final String raw) {
        String clean = NOT_ALLOWED.matcher(raw.trim()).replaceAll("_");
        return clean.length() <= MAX_KEY ? clean : clean.substring(0, MAX_KEY);
    }
}
