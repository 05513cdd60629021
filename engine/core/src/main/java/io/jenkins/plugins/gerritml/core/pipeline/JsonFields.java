package io.jenkins.plugins.gerritml.core.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Typed reads from a parsed JSON tree, failing with the JSON pointer of the bad field and what was expected. */
final class JsonFields {
    private JsonFields() {
    }

    static Map<?, ?> object(final Object value, final String path) {
        if (!(value instanceof Map)) {
            throw new LineageFormatException(path, "must be a JSON object, found " + describe(value));
        }
        return (Map<?, ?>) value;
    }

    static List<?> list(final Map<?, ?> object, final String key, final String path) {
        Object value = object.get(key);
        if (value == null && !object.containsKey(key)) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new LineageFormatException(path + "/" + key, "must be a JSON array, found " + describe(value));
        }
        return (List<?>) value;
    }

    static Map<?, ?> object(final Map<?, ?> object, final String key, final String path) {
        Object value = object.get(key);
        if (value == null && !object.containsKey(key)) {
            return Map.of();
        }
        return object(value, path + "/" + key);
    }

    static String string(final Map<?, ?> object, final String key, final String path) {
        Object value = object.get(key);
        if (value == null && !object.containsKey(key)) {
            return "";
        }
        if (!(value instanceof String)) {
            throw new LineageFormatException(path + "/" + key, "must be a string, found " + describe(value));
        }
        return (String) value;
    }

    static String requiredString(final Map<?, ?> object, final String key, final String path) {
        String value = string(object, key, path);
        if (value.isEmpty()) {
            throw new LineageFormatException(path + "/" + key, "is missing or empty");
        }
        return value;
    }

    static int integer(final Map<?, ?> object, final String key, final String path) {
        Object value = object.get(key);
        if (value == null && !object.containsKey(key)) {
            return 0;
        }
        BigDecimal number = number(value, path + "/" + key);
        try {
            return number.intValueExact();
        } catch (ArithmeticException e) {
            throw new LineageFormatException(path + "/" + key, "must be a whole number, found " + number);
        }
    }

    static BigDecimal number(final Object value, final String path) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        throw new LineageFormatException(path, "must be a number, found " + describe(value));
    }

    static Instant instant(final Object value, final String path) {
        if (!(value instanceof String)) {
            throw new LineageFormatException(path, "must be an ISO-8601 UTC time string, found " + describe(value));
        }
        try {
            return Instant.parse((String) value);
        } catch (DateTimeParseException e) {
            throw new LineageFormatException(path, "must be an ISO-8601 UTC time such as 2024-05-01T12:00:00Z, "
                    + "found '" + value + "'");
        }
    }

    static String describe(final Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "the string \"" + value + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.toString();
    }
}
