package io.jenkins.plugins.gerritml.core.tensorboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics as a small JSON file, written after each build so that the next one can compare with it (the
 * plugin keeps the last merged build's file per branch as the baseline):
 * <pre>
 * {
 *   "format" : "gerrit-ml-tensorboard-metrics",
 *   "version" : 1,
 *   "metrics" : {
 *     "train/epoch_loss" : { "count" : 4, "first" : 0.5755, "last" : 0.0540, "lastStep" : 3,
 *                            "min" : 0.0540, "max" : 0.5755, "mean" : 0.2483 },
 *     ...
 *   }
 * }
 * </pre>
 * Names are run-qualified metric names; numbers are JSON numbers written so that they read back to the same double
 * (non-finite values as the strings "NaN", "Infinity", "-Infinity"). Unknown fields are ignored on reading, so later
 * versions may add fields; a different {@code format} or a higher {@code version} is refused.
 */
public final class MetricsFile {
    static final String FORMAT = "gerrit-ml-tensorboard-metrics";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MetricsFile() {
    }

    /** The JSON document, field names as in the file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class Document {
        @JsonProperty("format") public String format;
        @JsonProperty("version") public Integer version;
        @JsonProperty("metrics") public Map<String, Entry> metrics;
    }

    /** One metric's aggregates in the file. */
    static final class Entry {
        @JsonProperty("count") public Long count;
        @JsonProperty("first") public Double first;
        @JsonProperty("last") public Double last;
        @JsonProperty("lastStep") public Long lastStep;
        @JsonProperty("min") public Double min;
        @JsonProperty("max") public Double max;
        @JsonProperty("mean") public Double mean;
    }

    public static String toJson(final RunMetrics metrics) {
        Document document = new Document();
        document.format = FORMAT;
        document.version = VERSION;
        document.metrics = new LinkedHashMap<>();
        for (MetricSummary metric : metrics.getMetrics().values()) {
            Entry entry = new Entry();
            entry.count = metric.getCount();
            entry.first = metric.getFirst();
            entry.last = metric.getLast();
            entry.lastStep = metric.getLastStep();
            entry.min = metric.getMin();
            entry.max = metric.getMax();
            entry.mean = metric.getMean();
            document.metrics.put(metric.getName(), entry);
        }
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write metrics as JSON", e);
        }
    }

    /** Writes atomically (temp file, then rename), so a reader never sees half a baseline. */
    public static void write(final RunMetrics metrics, final Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, toJson(metrics));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Reads a metrics file; a missing file is an error here (use {@link #readBaseline} where it is optional). */
    public static RunMetrics read(final Path file) throws IOException {
        return fromJson(Files.readString(file), file.toString());
    }

    /** The baseline in {@code file}, or no metrics when there is no such file yet (a branch's first run). */
    public static RunMetrics readBaseline(final Path file) throws IOException {
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            return RunMetrics.empty();
        }
    }

    static RunMetrics fromJson(final String json, final String source) throws IOException {
        Document document;
        try {
            document = JSON.readValue(json, Document.class);
        } catch (JsonProcessingException e) {
            throw new IOException("Metrics file " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (document == null || !FORMAT.equals(document.format)) {
            throw new IOException("Metrics file " + source + ": field \"format\" must be \"" + FORMAT + "\", was "
                    + (document == null ? "no document" : quote(document.format)));
        }
        if (document.version == null || document.version < 1 || document.version > VERSION) {
            throw new IOException("Metrics file " + source + ": field \"version\" must be 1.." + VERSION + ", was "
                    + document.version + " (written by a newer plugin?)");
        }
        List<MetricSummary> metrics = new ArrayList<>();
        try {
            if (document.metrics != null) {
                for (Map.Entry<String, Entry> named : document.metrics.entrySet()) {
                    metrics.add(toSummary(named.getKey(), named.getValue(),
                            "Metrics file " + source + ": metric \"" + named.getKey() + "\""));
                }
            }
            return RunMetrics.of(metrics);
        } catch (IllegalArgumentException e) {
            throw new IOException("Metrics file " + source + ": " + e.getMessage(), e);
        }
    }

    private static MetricSummary toSummary(final String name, final Entry entry, final String where)
            throws IOException {
        if (entry == null) {
            throw new IOException(where + " has no fields");
        }
        return MetricSummary.builder(name)
                .withCount(require(entry.count, where, "count"))
                .withFirst(require(entry.first, where, "first"))
                .withLast(require(entry.last, where, "last"), require(entry.lastStep, where, "lastStep"))
                .withMin(require(entry.min, where, "min"))
                .withMax(require(entry.max, where, "max"))
                .withMean(require(entry.mean, where, "mean"))
                .build();
    }

    private static <T> T require(final T value, final String where, final String field) throws IOException {
        if (value == null) {
            throw new IOException(where + " lacks field \"" + field + "\"");
        }
        return value;
    }

    private static String quote(final String value) {
        return value == null ? "missing" : "\"" + value + "\"";
    }
}
