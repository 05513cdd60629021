package io.jenkins.plugins.gerritml.core.prefect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks and copies JSON-typed values (what a flow parameter or job variable may be). */
final class JsonValues {
    private JsonValues() {
    }

    /**
     * Fails, naming {@code path}, unless {@code value} is null, a string, number, boolean, or a list/map of those
     * (map keys strings).
     */
    static void requireJson(final String path, final Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + ": " + d + " is not a JSON number");
            }
            return;
        }
        if (value instanceof List) {
            int i = 0;
            for (Object element : (List<?>) value) {
                requireJson(path + "[" + i++ + "]", element);
            }
            return;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new IllegalArgumentException(path + ": map key " + entry.getKey() + " is not a string");
                }
                requireJson(path + "." + entry.getKey(), entry.getValue());
            }
            return;
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getSimpleName() + " is not a JSON value; "
                + "use a string, number, boolean, list or map");
    }

    /** A deep, unmodifiable copy that keeps insertion order and nulls. */
    static Map<String, Object> immutableCopy(final Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(final Object value) {
        if (value instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> map = (Map<String, ?>) value;
            return immutableCopy(map);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object element : (List<?>) value) {
                copy.add(copyValue(element));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
