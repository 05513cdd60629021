package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code lineage.json} next to every {@code s3://} output of the record (same bucket, same "directory"), so
 * whoever finds the model finds who approved it. The object carries the digest as user metadata
 * ({@code x-amz-meta-gerrit-ml-digest}) for a quick check without reading it.
 */
public final class S3LineageSink implements LineageSink {
    /** The file name written next to the model. */
    public static final String FILE = "lineage.json";

    private final S3Client s3;
    private final AuditLog audit;
    private final String actor;

    /**
     * @param s3 a client for the outputs' region and credentials (the caller owns and closes it)
     * @param actor who the engine acts as in AWS, for the audit log, e.g. the role ARN
     */
    public S3LineageSink(final S3Client s3, final AuditLog audit, final String actor) {
        this.s3 = s3;
        this.audit = audit;
        this.actor = actor;
    }

    /** {@code s3://b/models/run-1/model.tar.gz} → {@code s3://b/models/run-1/lineage.json}. */
    public static String lineageUriFor(final String outputUri) {
        S3Location location = S3Location.parse(outputUri);
        String key = location.key;
        String dir = key.endsWith("/") ? key : key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        return "s3://" + location.bucket + "/" + dir + FILE;
    }

    @Override
    public String publish(final SignedLineage lineage) {
        List<String> targets = new ArrayList<>();
        for (LineageArtifact output : lineage.getRecord().getOutputs()) {
            if (output.getUri().startsWith("s3://")) {
                String target = lineageUriFor(output.getUri());
                if (!targets.contains(target)) {
                    targets.add(target);
                }
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("lineage of " + lineage.getRecord().getRestId() + " has no s3:// "
                    + "output to put " + FILE + " next to (outputs: " + lineage.getRecord().getOutputs() + ")");
        }
        byte[] body = lineage.toJsonText().getBytes(StandardCharsets.UTF_8);
        for (String target : targets) {
            S3Location location = S3Location.parse(target);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("digest", lineage.getDigest());
            details.put("bytes", Integer.toString(body.length));
            audit.call("s3.put-object", actor, target, details, () -> s3.putObject(PutObjectRequest.builder()
                    .bucket(location.bucket).key(location.key).contentType("application/json")
                    .metadata(Map.of("gerrit-ml-digest", lineage.getDigest())).build(), RequestBody.fromBytes(body)));
        }
        return String.join(", ", targets);
    }

    /** Bucket and key of an {@code s3://} URI. */
    private static final class S3Location {
        private final String bucket;
        private final String key;

        private S3Location(final String bucket, final String key) {
            this.bucket = bucket;
            this.key = key;
        }

        static S3Location parse(final String uri) {
            if (!uri.startsWith("s3://") || uri.length() <= 5) {
                throw new IllegalArgumentException("'" + uri + "' is not an s3://bucket/key URI");
            }
            String rest = uri.substring(5);
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("'" + uri + "' names a bucket but no object key");
            }
            return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }
}
