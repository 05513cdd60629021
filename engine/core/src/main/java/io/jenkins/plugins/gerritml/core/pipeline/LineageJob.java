package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The backend job the build ran: backend ({@code sagemaker}, {@code prefect}), its id (training job ARN, flow-run
 * id), image, inputs (dataset URIs) and parameters (hyperparameters; Prefect parameters as their JSON text).
 */
public final class LineageJob {
    private static final LineageJob NONE = new Builder().build();

    private final String backend;
    private final String id;
    private final String image;
    private final List<String> inputs;
    private final Map<String, String> parameters;

    private LineageJob(final Builder builder) {
        this.backend = builder.backend;
        this.id = builder.id;
        this.image = builder.image;
        this.inputs = List.copyOf(builder.inputs);
        this.parameters = Collections.unmodifiableMap(new TreeMap<>(builder.parameters));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The null object: no backend job (e.g. a promotion that only moves an artifact). */
    public static LineageJob none() {
        return NONE;
    }

    public String getBackend() {
        return backend;
    }

    public String getId() {
        return id;
    }

    public String getImage() {
        return image;
    }

    public List<String> getInputs() {
        return inputs;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backend", backend);
        json.put("id", id);
        json.put("image", image);
        json.put("inputs", new ArrayList<Object>(inputs));
        json.put("parameters", new TreeMap<String, Object>(parameters));
        return json;
    }

    static LineageJob fromJson(final Map<?, ?> json, final String path) {
        Builder builder = builder().withBackend(JsonFields.string(json, "backend", path))
                .withId(JsonFields.string(json, "id", path)).withImage(JsonFields.string(json, "image", path));
        List<?> inputs = JsonFields.list(json, "inputs", path);
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.get(i) instanceof String)) {
                throw new LineageFormatException(path + "/inputs/" + i, "must be a string (a dataset URI), found "
                        + JsonFields.describe(inputs.get(i)));
            }
            builder.withInput((String) inputs.get(i));
        }
        for (Map.Entry<?, ?> parameter : JsonFields.object(json, "parameters", path).entrySet()) {
            if (!(parameter.getValue() instanceof String)) {
                throw new LineageFormatException(path + "/parameters/" + parameter.getKey(), "must be a string, "
                        + "found " + JsonFields.describe(parameter.getValue()));
            }
            builder.withParameter((String) parameter.getKey(), (String) parameter.getValue());
        }
        return builder.build();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageJob)) {
            return false;
        }
        LineageJob other = (LineageJob) o;
        return backend.equals(other.backend) && id.equals(other.id) && image.equals(other.image)
                && inputs.equals(other.inputs) && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backend, id, image, inputs, parameters);
    }

    @Override
    public String toString() {
        return backend.isEmpty() ? "no backend job" : backend + " " + id;
    }

    /** Builds a {@link LineageJob}; unset values are empty. */
    public static final class Builder {
        private String backend = "";
        private String id = "";
        private String image = "";
        private final List<String> inputs = new ArrayList<>();
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder withBackend(final String name) {
            this.backend = name == null ? "" : name.trim();
            return this;
        }

        public Builder withId(final String jobId) {
            this.id = jobId == null ? "" : jobId.trim();
            return this;
        }

        public Builder withImage(final String name) {
            this.image = name == null ? "" : name.trim();
            return this;
        }

        public Builder withInput(final String uri) {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("a job input must be a dataset URI, e.g. s3://data/train/, not "
                        + "blank");
            }
            inputs.add(uri.trim());
            return this;
        }

        public Builder withInputs(final List<String> uris) {
            uris.forEach(this::withInput);
            return this;
        }

        public Builder withParameter(final String name, final String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a job parameter needs a name");
            }
            parameters.put(name, value == null ? "" : value);
            return this;
        }

        public Builder withParameters(final Map<String, String> values) {
            values.forEach(this::withParameter);
            return this;
        }

        public LineageJob build() {
            return new LineageJob(this);
        }
    }
}
