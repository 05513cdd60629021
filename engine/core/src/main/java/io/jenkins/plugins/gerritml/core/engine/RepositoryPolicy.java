package io.jenkins.plugins.gerritml.core.engine;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The review policy a repository keeps in {@value #FILE} on each branch, reviewed like code:
 *
 * <pre>
 * datasets:                       # Gerrit group -&gt; dataset URI prefixes its members may train on
 *   ML Approvers:
 *     - s3://ml-data/approved/
 *   Registered Users:
 *     - s3://ml-data/public/
 * risky:                          # changes touching these paths need more before automation proceeds
 *   - name: production deploys
 *     paths: [deploy/prod/**, data/**]
 *     label: Risk-Approved        # a vote on this label ...
 *     value: 1                    # ... of at least this value ...
 *     group: ML Approvers         # ... by a member of this group (or, without label: a gate approval by one)
 * modelPackageGroup: churn        # trained models register here unless a step names another group
 * </pre>
 *
 * Without a {@code datasets} section any dataset is allowed; with one, a dataset no listed group allows is refused.
 * Read with SnakeYAML's safe constructor (plain maps and lists, no object creation).
 */
public final class RepositoryPolicy {
    /** Where the policy lives in the repository. */
    public static final String FILE = ".gerrit-ml.yaml";
    private static final RepositoryPolicy NONE = new RepositoryPolicy("no " + FILE, null, List.of(), "");
    private static final Set<String> TOP_LEVEL = Set.of("version", "datasets", "risky", "modelPackageGroup");
    private static final Pattern GROUP_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    private static final Set<String> RULE_KEYS = Set.of("name", "paths", "label", "value", "group");

    private final String source;
    private final Map<String, List<String>> datasets;
    private final List<RiskRule> riskRules;
    private final String modelPackageGroup;

    private RepositoryPolicy(final String source, final Map<String, List<String>> datasets,
            final List<RiskRule> riskRules, final String modelPackageGroup) {
        this.source = source;
        this.modelPackageGroup = modelPackageGroup;
        this.datasets = datasets == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
        this.riskRules = List.copyOf(riskRules);
    }

    /** The null object: no policy file, so no dataset restriction and no risky paths. */
    public static RepositoryPolicy none() {
        return NONE;
    }

    /**
     * Parses policy YAML.
     *
     * @param source where it came from, for messages, e.g. {@code .gerrit-ml.yaml on ml-demo master}
     * @throws PolicyException naming the source and field when the file is malformed
     */
    public static RepositoryPolicy parse(final String yaml, final String source) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new PolicyException(source + " is not valid YAML: " + e.getMessage().replaceAll("\\s+", " "), e);
        }
        if (document == null) {
            return new RepositoryPolicy(source, null, List.of(), "");
        }
        if (!(document instanceof Map)) {
            throw new PolicyException(source + " must be a mapping with 'datasets' and/or 'risky'");
        }
        Map<?, ?> top = (Map<?, ?>) document;
        for (Object key : top.keySet()) {
            if (!TOP_LEVEL.contains(String.valueOf(key))) {
                throw new PolicyException(source + ": unknown key '" + key + "' (known: datasets, "
                        + "modelPackageGroup, risky, version); a misspelt section would silently allow everything");
            }
        }
        Map<String, List<String>> datasets = null;
        if (top.containsKey("datasets")) {
            datasets = new LinkedHashMap<>();
            if (!(top.get("datasets") instanceof Map)) {
                throw new PolicyException(source + ": 'datasets' must map Gerrit group names to lists of dataset URI "
                        + "prefixes");
            }
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) top.get("datasets")).entrySet()) {
                String group = String.valueOf(entry.getKey()).trim();
                datasets.put(group, strings(entry.getValue(), source + ": datasets." + group
                        + " must be a list of dataset URI prefixes, e.g. [s3://ml-data/approved/]"));
            }
        }
        List<RiskRule> rules = new ArrayList<>();
        if (top.containsKey("risky")) {
            if (!(top.get("risky") instanceof List)) {
                throw new PolicyException(source + ": 'risky' must be a list of rules with paths and label or group");
            }
            List<?> list = (List<?>) top.get("risky");
            for (int i = 0; i < list.size(); i++) {
                String where = source + ": risky[" + i + "]";
                if (!(list.get(i) instanceof Map)) {
                    throw new PolicyException(where + " must be a mapping with paths and label or group");
                }
                Map<?, ?> rule = (Map<?, ?>) list.get(i);
                for (Object key : rule.keySet()) {
                    if (!RULE_KEYS.contains(String.valueOf(key))) {
                        throw new PolicyException(where + ": unknown key '" + key + "' (known: name, paths, label, "
                                + "value, group)");
                    }
                }
                Object value = rule.containsKey("value") ? rule.get("value") : 1;
                if (!(value instanceof Integer)) {
                    throw new PolicyException(where + ".value must be 1 or 2, was '" + value + "'");
                }
                try {
                    rules.add(RiskRule.valueOf(text(rule.get("name"), "rule " + (i + 1)),
                            strings(rule.get("paths"), where + ".paths must be a list of globs, e.g. [deploy/prod/**]"),
                            text(rule.get("label"), ""), (Integer) value, text(rule.get("group"), "")));
                } catch (IllegalArgumentException e) {
                    throw new PolicyException(where + ": " + e.getMessage(), e);
                }
            }
        }
        String group = text(top.get("modelPackageGroup"), "");
        if (!group.isEmpty() && !GROUP_NAME.matcher(group).matches()) {
            throw new PolicyException(source + ": modelPackageGroup '" + group + "' is not a SageMaker model package "
                    + "group name (letters, digits and hyphens, at most 63, starting with a letter or digit)");
        }
        return new RepositoryPolicy(source, datasets, rules, group);
    }

    private static List<String> strings(final Object value, final String problem) {
        if (value instanceof String) {
            return List.of(((String) value).trim());
        }
        if (!(value instanceof List)) {
            throw new PolicyException(problem);
        }
        List<String> result = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (!(item instanceof String) || ((String) item).isBlank()) {
                throw new PolicyException(problem + " (found '" + item + "')");
            }
            result.add(((String) item).trim());
        }
        return result;
    }

    private static String text(final Object value, final String fallback) {
        return value == null ? fallback : String.valueOf(value).trim();
    }

    /** Where the policy was read from. */
    public String getSource() {
        return source;
    }

    /** Whether the policy restricts datasets at all. */
    public boolean restrictsDatasets() {
        return datasets != null;
    }

    /** Group name → allowed dataset URI prefixes; empty when datasets are not restricted. */
    public Map<String, List<String>> getDatasets() {
        return datasets == null ? Map.of() : datasets;
    }

    public List<RiskRule> getRiskRules() {
        return riskRules;
    }

    /** The Model Package Group trained models of this branch register in; empty when the policy names none. */
    public String getModelPackageGroup() {
        return modelPackageGroup;
    }

    /** The Model Package Group a run registers in: {@code named} when its step names one, else this branch's. */
    public String modelPackageGroupFor(final String named) {
        return named == null || named.isBlank() ? modelPackageGroup : named.trim();
    }

    /** The groups whose prefixes cover {@code uri}. */
    public List<String> groupsAllowing(final String uri) {
        List<String> groups = new ArrayList<>();
        getDatasets().forEach((group, prefixes) -> {
            if (prefixes.stream().anyMatch(prefix -> covers(prefix, uri))) {
                groups.add(group);
            }
        });
        return groups;
    }

    /** {@code s3://data/approved/} covers {@code s3://data/approved/x} but not {@code s3://data/approved-evil/x}. */
    static boolean covers(final String prefix, final String uri) {
        if (uri.equals(prefix)) {
            return true;
        }
        return uri.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RepositoryPolicy)) {
            return false;
        }
        RepositoryPolicy other = (RepositoryPolicy) o;
        return source.equals(other.source) && Objects.equals(datasets, other.datasets)
                && riskRules.equals(other.riskRules) && modelPackageGroup.equals(other.modelPackageGroup);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, datasets, riskRules, modelPackageGroup);
    }

    @Override
    public String toString() {
        return source;
    }
}
