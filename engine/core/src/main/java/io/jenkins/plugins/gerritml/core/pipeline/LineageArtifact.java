package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** An output of the job: its URI and, where the store reports them, its ETag and SHA-256 (hex). */
public final class LineageArtifact {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final String uri;
    private final String etag;
    private final String sha256;

    private LineageArtifact(final String uri, final String etag, final String sha256) {
        this.uri = uri;
        this.etag = etag;
        this.sha256 = sha256;
    }

    /**
     * An artifact; {@code etag} and {@code sha256} may be empty when unknown.
     *
     * @throws IllegalArgumentException when the URI is blank or the SHA-256 is not 64 lower-case hex digits
     */
    public static LineageArtifact valueOf(final String uri, final String etag, final String sha256) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("an output artifact needs a URI, e.g. s3://models/run-1/model.tar.gz");
        }
        String hash = sha256 == null ? "" : sha256.trim();
        if (!hash.isEmpty() && !SHA256.matcher(hash).matches()) {
            throw new IllegalArgumentException("SHA-256 of " + uri + " must be 64 lower-case hex digits, was '" + hash
                    + "'");
        }
        return new LineageArtifact(uri.trim(), etag == null ? "" : etag.trim(), hash);
    }

    public String getUri() {
        return uri;
    }

    public String getEtag() {
        return etag;
    }

    public String getSha256() {
        return sha256;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uri", uri);
        json.put("etag", etag);
        json.put("sha256", sha256);
        return json;
    }

    static LineageArtifact fromJson(final Object value, final String path) {
        Map<?, ?> json = JsonFields.object(value, path);
        try {
            return valueOf(JsonFields.requiredString(json, "uri", path), JsonFields.string(json, "etag", path),
                    JsonFields.string(json, "sha256", path));
        } catch (LineageFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new LineageFormatException(path + "/sha256", e.getMessage());
        }
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineageArtifact)) {
            return false;
        }
        LineageArtifact other = (LineageArtifact) o;
        return uri.equals(other.uri) && etag.equals(other.etag) && sha256.equals(other.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, etag, sha256);
    }

    @Override
    public String toString() {
        return uri + (sha256.isEmpty() ? "" : " sha256:" + sha256) + (etag.isEmpty() ? "" : " etag " + etag);
    }
}
