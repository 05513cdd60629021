package io.jenkins.plugins.gerritml.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.util.Formats;
import net.sf.json.JSONObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * List- and map-valued step arguments as one text area each in the forms (job configuration and Snippet Generator):
 * one entry per line. The script itself still writes {@code groups: ['ML Approvers']} and {@code labels: [Verified: 1]};
 * the descriptors take these fields out of the form data, bind the rest, and set them from the parsed text.
 */
public final class FormValues {
    private static final Pattern LABEL_LINE = Pattern.compile("(" + Formats.LABEL_REGEX + ")\\s*[=:]\\s*([+-]?\\d+)");

    private FormValues() {
    }

    /** Removes {@code field} from the form data and returns its text ("" when absent). */
    public static String take(final JSONObject form, final String field) {
        Object value = form.remove(field);
        return value == null ? "" : value.toString();
    }

    /** One entry per non-blank line, trimmed. */
    public static List<String> lines(@CheckForNull final String text) {
        List<String> lines = new ArrayList<>();
        if (text != null) {
            text.lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(lines::add);
        }
        return lines;
    }

    /** The form text of a list: one entry per line. */
    public static String linesOf(@CheckForNull final Collection<?> values) {
        return values == null ? "" : values.stream().map(String::valueOf).collect(Collectors.joining("\n"));
    }

    /**
     * {@code Label=value} (or {@code Label: value}) per line, e.g. {@code Verified=1}; values are whole numbers.
     *
     * @throws IllegalArgumentException naming the line that is not a label and a vote (the Snippet Generator shows
     *         the message)
     */
    public static Map<String, Object> labels(@CheckForNull final String text) {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (String line : lines(text)) {
            Matcher m = LABEL_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("labels: not a label and a vote: '" + line + "' (one per line, "
                        + "e.g. Verified=1 or Model-Verified=-1)");
            }
            labels.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return labels;
    }

    /** The form text of a label map: {@code Label=value} per line. */
    public static String labelsOf(@CheckForNull final Map<String, ?> labels) {
        return labels == null ? "" : labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }
}
