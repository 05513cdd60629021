package io.jenkins.plugins.gerritml.core.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one JSON form lineage is signed and digested in, so the same record always yields the same bytes.
 *
 * <p>Rules (close to RFC 8785, without its floating-point rules since we never use binary floats):
 * <ul>
 *   <li>Object keys sorted by UTF-16 code units ({@link String#compareTo}); duplicate keys are an error.</li>
 *   <li>No whitespace outside strings.</li>
 *   <li>Strings: {@code "} and {@code \} escaped, {@code \b \f \n \r \t} as such, other controls below U+0020 as
 *       {@code \}{@code u00xx} (lower-case hex); everything else, {@code /} and non-ASCII included, written as is.</li>
 *   <li>Numbers are decimals kept exactly as written (digits and scale: {@code 0.930} stays {@code 0.930}, never
 *       rounded through a double); they are written as {@link BigDecimal#toString()}, which is {@code 0.930} for
 *       plain decimals and {@code 1E+5} for an exponent form. Integers are written without a fraction.</li>
 *   <li>{@code true}, {@code false}, {@code null} as literals. Bytes are UTF-8.</li>
 * </ul>
 * Values are trees of {@link Map} (String keys), {@link List}, {@link String}, {@link BigDecimal} (or any
 * {@link Number} but float and double), {@link Boolean} and {@code null}.
 */
public final class CanonicalJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private CanonicalJson() {
    }

    /** The canonical text of {@code value}. */
    public static String write(final Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.toString();
    }

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] bytes(final Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses JSON text into a tree: objects as sorted maps, arrays as lists, numbers as {@link BigDecimal} (exactly
     * as written), strings, booleans and {@code null}.
     *
     * @throws IllegalArgumentException when the text is not JSON, has a duplicate key or trailing content
     */
    public static Object parse(final String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON document");
            }
            Object value = read(parser, "");
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON value at "
                        + parser.currentLocation().offsetDescription());
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * JSON pointers (RFC 6901) of every place where {@code left} and {@code right} differ: changed leaves, added or
     * removed keys, arrays of different length. Empty when they are equal.
     */
    public static List<String> diff(final Object left, final Object right) {
        List<String> paths = new ArrayList<>();
        diff(normalise(left), normalise(right), "", paths);
        return paths;
    }

    /** {@code value} as a parsed tree would be: sorted maps, {@link BigDecimal} numbers. */
    public static Object normalise(final Object value) {
        return parse(write(value));
    }

    private static void diff(final Object left, final Object right, final String path, final List<String> paths) {
        if (left instanceof Map && right instanceof Map) {
            Map<?, ?> l = (Map<?, ?>) left;
            Map<?, ?> r = (Map<?, ?>) right;
            TreeSet<String> keys = new TreeSet<>();
            l.keySet().forEach(k -> keys.add((String) k));
            r.keySet().forEach(k -> keys.add((String) k));
            for (String key : keys) {
                String child = path + "/" + key.replace("~", "~0").replace("/", "~1");
                if (!l.containsKey(key) || !r.containsKey(key)) {
                    paths.add(child);
                } else {
                    diff(l.get(key), r.get(key), child, paths);
                }
            }
        } else if (left instanceof List && right instanceof List) {
            List<?> l = (List<?>) left;
            List<?> r = (List<?>) right;
            for (int i = 0; i < Math.max(l.size(), r.size()); i++) {
                if (i >= l.size() || i >= r.size()) {
                    paths.add(path + "/" + i);
                } else {
                    diff(l.get(i), r.get(i), path + "/" + i, paths);
                }
            }
        } else if (!Objects.equals(left, right)) {
            paths.add(path.isEmpty() ? "/" : path);
        }
    }

    private static Object read(final JsonParser parser, final String path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new TreeMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String key = parser.currentName();
                    parser.nextToken();
                    if (object.containsKey(key)) {
                        throw new IllegalArgumentException("duplicate key '" + key + "' at " + path + ": a signed "
                                + "document must say each thing once");
                    }
                    object.put(key, read(parser, path + "/" + key));
                }
                return Collections.unmodifiableMap(object);
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, path + "/" + array.size()));
                }
                return Collections.unmodifiableList(array);
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new BigDecimal(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + token + " at " + path);
        }
    }

    private static void write(final Object value, final StringBuilder out, final String path) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string((String) value, out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Map) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object keys must be strings at " + path + ", found "
                            + entry.getKey());
                }
                sorted.put((String) entry.getKey(), entry.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out, path + "/" + entry.getKey());
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out, path + "/" + i);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " at "
                    + (path.isEmpty() ? "/" : path) + " as canonical JSON: use String, BigDecimal, integer, Boolean, "
                    + "Map or List (never float or double, they do not round-trip exactly)");
        }
    }

    private static void string(final String text, final StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
