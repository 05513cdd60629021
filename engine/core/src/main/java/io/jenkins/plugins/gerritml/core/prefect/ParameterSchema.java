package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks flow-run parameters against a deployment's parameter schema before the run is created, so that a typo or
 * a wrong type fails with the parameter's name instead of a run that crashes later. Only what the schema states
 * plainly is checked (names, required, {@code type}, {@code enum}, array item types); anything fancier
 * ({@code anyOf}, {@code $ref}) is left to Prefect's own validation.
 */
final class ParameterSchema {
    private ParameterSchema() {
    }

    static void check(final String deployment, @CheckForNull final Map<String, Object> schema,
            final Map<String, Object> defaults, final Map<String, Object> parameters) {
        if (schema == null || !(schema.get("properties") instanceof Map)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (!properties.containsKey(parameter.getKey())) {
                throw new IllegalArgumentException("parameters." + parameter.getKey() + ": deployment '" + deployment
                        + "' has no such parameter; it takes " + new TreeSet<>(properties.keySet()));
            }
            Object property = properties.get(parameter.getKey());
            if (property instanceof Map) {
                checkValue("parameters." + parameter.getKey(), deployment, (Map<?, ?>) property, parameter.getValue());
            }
        }
        if (schema.get("required") instanceof List) {
            for (Object required : (List<?>) schema.get("required")) {
                if (!parameters.containsKey(required) && !defaults.containsKey(required)) {
                    throw new IllegalArgumentException("parameters." + required + ": required by deployment '"
                            + deployment + "' (the flow has no default for it)");
                }
            }
        }
    }

    private static void checkValue(final String path, final String deployment, final Map<?, ?> property,
            @CheckForNull final Object value) {
        if (value == null) {
            return; // null may be a legitimate Optional; Prefect decides
        }
        if (property.get("enum") instanceof List && !((List<?>) property.get("enum")).contains(value)) {
            throw new IllegalArgumentException(path + ": deployment '" + deployment + "' accepts only "
                    + property.get("enum") + ", got " + describe(value));
        }
        Object type = property.get("type");
        if (!(type instanceof String)) {
            return;
        }
        if (!matches((String) type, value)) {
            throw new IllegalArgumentException(path + ": deployment '" + deployment + "' expects " + article((String) type)
                    + ", got " + describe(value));
        }
        if ("array".equals(type) && property.get("items") instanceof Map) {
            int i = 0;
            for (Object element : (List<?>) value) {
                checkValue(path + "[" + i++ + "]", deployment, (Map<?, ?>) property.get("items"), element);
            }
        }
    }

    private static boolean matches(final String type, final Object value) {
        switch (type) {
            case "string":
                return value instanceof String;
            case "boolean":
                return value instanceof Boolean;
            case "integer":
                return value instanceof Integer || value instanceof Long || value instanceof Short
                        || value instanceof Byte || value instanceof BigInteger
                        || value instanceof BigDecimal && ((BigDecimal) value).stripTrailingZeros().scale() <= 0;
            case "number":
                return value instanceof Number;
            case "array":
                return value instanceof List;
            case "object":
                return value instanceof Map;
            default:
                return true;
        }
    }

    private static String article(final String type) {
        return "integer".equals(type) || "array".equals(type) || "object".equals(type) ? "an " + type : "a " + type;
    }

    private static String describe(final Object value) {
        String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        return text + " (" + value.getClass().getSimpleName() + ")";
    }
}
