package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an administrator lets builds do with AWS, checked before any AWS call: whether the host's own default
 * credentials chain (instance profile, environment keys) may be used at all, and optional patterns for the IAM roles
 * (assumed or passed to SageMaker), the container images (or algorithm ARNs) and the endpoint overrides. A pattern is
 * a glob where {@code *} stands for any text, e.g. {@code arn:aws:iam::123456789012:role/ml-*}; an empty list allows
 * anything. Immutable; {@link #unrestricted()} is what callers without an administrator (CLI, tests) use.
 */
public final class AwsAccessPolicy {
    /** Rule names in refusals. */
    public static final String DEFAULT_CHAIN_RULE = "aws-default-chain-opt-in";
    public static final String ROLE_RULE = "aws-role-arn-patterns";
    public static final String IMAGE_RULE = "aws-image-patterns";
    public static final String ENDPOINT_RULE = "aws-endpoint-patterns";

    private static final AwsAccessPolicy UNRESTRICTED = builder().withDefaultChainAllowed(true).build();

    private final boolean defaultChainAllowed;
    private final List<String> rolePatterns;
    private final List<String> imagePatterns;
    private final List<String> endpointPatterns;
    private final String whereToConfigure;

    private AwsAccessPolicy(final Builder b) {
        defaultChainAllowed = b.defaultChainAllowed;
        rolePatterns = List.copyOf(b.rolePatterns);
        imagePatterns = List.copyOf(b.imagePatterns);
        endpointPatterns = List.copyOf(b.endpointPatterns);
        whereToConfigure = b.whereToConfigure;
    }

    /** Anything goes, the default chain included: for callers that are their own administrator. */
    public static AwsAccessPolicy unrestricted() {
        return UNRESTRICTED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isDefaultChainAllowed() {
        return defaultChainAllowed;
    }

    public List<String> getRolePatterns() {
        return rolePatterns;
    }

    public List<String> getImagePatterns() {
        return imagePatterns;
    }

    public List<String> getEndpointPatterns() {
        return endpointPatterns;
    }

    /**
     * Refuses a connection that would use the default chain without the opt-in, assume a role outside the role
     * patterns, or go through an endpoint outside the endpoint patterns.
     *
     * @throws AwsAccessRefusedException naming every rule broken
     */
    public void checkConnection(final AwsConnectionConfig config) {
        Refusals refusals = new Refusals();
        if (config.getCredentials().getKind() == BaseCredentials.Kind.DEFAULT_CHAIN
                && config.getWebIdentityRole().isEmpty() && !defaultChainAllowed) {
            refusals.add(DEFAULT_CHAIN_RULE, "no AWS credential is configured, and using the controller's own "
                    + "default credentials chain (instance profile, environment) is not enabled: name an 'AWS "
                    + "Credentials' or an OIDC token ('Secret text') credential, or ask an administrator to allow the "
                    + "default chain");
        }
        config.getAssumeRole().ifPresent(role -> refusals.match(ROLE_RULE, "assumeRoleArn", role.getRoleArn(),
                rolePatterns));
        config.getWebIdentityRole().ifPresent(role -> refusals.match(ROLE_RULE, "web identity role",
                role.getRoleArn(), rolePatterns));
        config.getEndpointOverride().ifPresent(uri -> refusals.match(ENDPOINT_RULE, "endpointOverride",
                uri.toString(), endpointPatterns));
        refusals.throwIfAny("The AWS connection", whereToConfigure);
    }

    /** @throws AwsAccessRefusedException when the execution role or the image (or algorithm) is outside the patterns */
    public void checkTraining(final TrainingSpec spec) {
        Refusals refusals = new Refusals();
        refusals.match(ROLE_RULE, "roleArn", spec.getRoleArn(), rolePatterns);
        if (spec.getTrainingImage() != null) {
            refusals.match(IMAGE_RULE, "trainingImage", spec.getTrainingImage(), imagePatterns);
        }
        if (spec.getAlgorithmName() != null) {
            refusals.match(IMAGE_RULE, "algorithmName", spec.getAlgorithmName(), imagePatterns);
        }
        refusals.throwIfAny("The training job", whereToConfigure);
    }

    /** @throws AwsAccessRefusedException when the execution role or the inference image is outside the patterns */
    public void checkDeploy(final DeploySpec spec) {
        Refusals refusals = new Refusals();
        refusals.match(ROLE_RULE, "executionRoleArn", spec.getExecutionRoleArn(), rolePatterns);
        refusals.match(IMAGE_RULE, "inferenceImage", spec.getInferenceImage(), imagePatterns);
        refusals.throwIfAny("The deployment", whereToConfigure);
    }

    /** Whether {@code value} matches one of {@code globs} ({@code *}: any text); an empty list matches anything. */
    static boolean matches(@CheckForNull final String value, final List<String> globs) {
        if (globs.isEmpty()) {
            return true;
        }
        if (value == null) {
            return false;
        }
        return globs.stream().anyMatch(glob -> Pattern.compile(Arrays.stream(glob.split("\\*", -1))
                .map(Pattern::quote).collect(Collectors.joining(".*"))).matcher(value).matches());
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AwsAccessPolicy)) {
            return false;
        }
        AwsAccessPolicy other = (AwsAccessPolicy) o;
        return defaultChainAllowed == other.defaultChainAllowed && rolePatterns.equals(other.rolePatterns)
                && imagePatterns.equals(other.imagePatterns) && endpointPatterns.equals(other.endpointPatterns)
                && whereToConfigure.equals(other.whereToConfigure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultChainAllowed, rolePatterns, imagePatterns, endpointPatterns, whereToConfigure);
    }

    @Override
    public String toString() {
        return "AWS access: default chain " + (defaultChainAllowed ? "allowed" : "not allowed")
                + (rolePatterns.isEmpty() ? "" : ", roles " + rolePatterns)
                + (imagePatterns.isEmpty() ? "" : ", images " + imagePatterns)
                + (endpointPatterns.isEmpty() ? "" : ", endpoints " + endpointPatterns);
    }

    private static final class Refusals {
        private final List<String> messages = new ArrayList<>();
        private final List<String> rules = new ArrayList<>();

        void add(final String rule, final String message) {
            messages.add(message + " [rule: " + rule + "]");
            if (!rules.contains(rule)) {
                rules.add(rule);
            }
        }

        void match(final String rule, final String field, @CheckForNull final String value,
                final List<String> globs) {
            if (!matches(value, globs)) {
                add(rule, field + " '" + value + "' matches none of the allowed patterns " + globs
                        + ": use a value that does, or ask an administrator to add a pattern");
            }
        }

        void throwIfAny(final String what, final String where) {
            if (!messages.isEmpty()) {
                throw new AwsAccessRefusedException(what, messages, rules, where);
            }
        }
    }

    /** Collects the settings; patterns are trimmed, blank ones dropped. */
    public static final class Builder {
        private boolean defaultChainAllowed;
        private final List<String> rolePatterns = new ArrayList<>();
        private final List<String> imagePatterns = new ArrayList<>();
        private final List<String> endpointPatterns = new ArrayList<>();
        private String whereToConfigure = "";

        private Builder() {
        }

        /** Off by default: the host's own identity is the administrator's, not the Jenkinsfile's. */
        public Builder withDefaultChainAllowed(final boolean allowed) {
            this.defaultChainAllowed = allowed;
            return this;
        }

        public Builder withRolePatterns(final List<String> patterns) {
            add(rolePatterns, patterns);
            return this;
        }

        public Builder withImagePatterns(final List<String> patterns) {
            add(imagePatterns, patterns);
            return this;
        }

        public Builder withEndpointPatterns(final List<String> patterns) {
            add(endpointPatterns, patterns);
            return this;
        }

        /** Where an administrator changes the policy, for refusals, e.g. a settings page's name. */
        public Builder withWhereToConfigure(final String where) {
            this.whereToConfigure = Objects.requireNonNull(where, "where").trim();
            return this;
        }

        private static void add(final List<String> target, final List<String> patterns) {
            patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).forEach(target::add);
        }

        public AwsAccessPolicy build() {
            return new AwsAccessPolicy(this);
        }
    }

    /** Splits an administrator's list: one pattern a line or comma-separated. */
    public static List<String> patterns(@CheckForNull final String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\n\\r]+")).map(String::trim)
                .filter(p -> !p.isEmpty()).toList();
    }
}
