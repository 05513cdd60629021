package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.prefect.PrefectClient;
import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactCreate;
import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactResponse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Attaches signed lineage to the Prefect flow run it describes, as a markdown artifact ({@code POST /artifacts/}):
 * the summary reviewers see on Gerrit, then the whole {@code lineage.json} in a code block, so whoever opens the run in
 * Prefect's UI finds who approved it and can verify the same bytes. The digest and key id also go into the artifact's
 * metadata for a quick look. The key ({@code gerrit-ml-lineage-<project>-<change>}) makes successive patch sets
 * versions of one artifact in Prefect's artifact list.
 */
public final class PrefectLineageSink implements LineageSink {
    /** Artifact description prefix, followed by the digest. */
    public static final String DESCRIPTION = "gerrit-ml signed lineage ";

    private static final int MAX_KEY = 100;

    private final PrefectClient client;
    private final AuditLog audit;
    private final String actor;
    private final String flowRunId;

    /**
     * @param flowRunId the run the lineage is about (its job id)
     * @param actor     who the engine acts as in Prefect, for the audit log
     */
    public PrefectLineageSink(final PrefectClient client, final AuditLog audit, final String actor,
            final String flowRunId) {
        if (flowRunId == null || flowRunId.isBlank()) {
            throw new IllegalArgumentException("Prefect lineage sink: the flow run id is required");
        }
        this.client = client;
        this.audit = audit;
        this.actor = actor;
        this.flowRunId = flowRunId;
    }

    /** {@code gerrit-ml-lineage-<project>-<change>}: Prefect allows lower-case letters, digits and dashes only. */
    public static String artifactKey(final LineageRecord record) {
        String project = record.getProject().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        String key = "gerrit-ml-lineage-" + (project.isEmpty() ? "" : project + "-") + record.getChange();
        return key.length() <= MAX_KEY ? key : key.substring(0, MAX_KEY).replaceAll("-+$", "");
    }

    /** The artifact's markdown: the Gerrit summary, then the signed document. */
    public static String markdown(final SignedLineage lineage) {
        return "### gerrit-ml lineage\n\n```\n" + GerritLineageSink.summary(lineage) + "\n```\n\n"
                + "`lineage.json` (verify with `gerrit-ml verify-lineage`):\n\n```json\n" + lineage.toJsonText().strip()
                + "\n```\n";
    }

    @Override
    public String publish(final SignedLineage lineage) {
        ArtifactCreate artifact = new ArtifactCreate();
        artifact.key = artifactKey(lineage.getRecord());
        artifact.type = "markdown";
        artifact.description = DESCRIPTION + lineage.getDigest();
        artifact.data = markdown(lineage);
        artifact.flowRunId = flowRunId;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("digest", lineage.getDigest());
        metadata.put("key_id", lineage.getKeyId());
        metadata.put("algorithm", lineage.getAlgorithm());
        artifact.metadata = metadata;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("key", artifact.key);
        details.put("digest", lineage.getDigest());
        ArtifactResponse created = audit.call("prefect.create-artifact", actor + "@" + client.getApiUrl(), flowRunId,
                details, () -> client.createArtifact(artifact));
        return "Prefect flow run " + flowRunId + " artifact " + artifact.key
                + (created.id == null ? "" : " (" + created.id + ")");
    }
}
