package io.jenkins.plugins.gerritml.lineage;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import jenkins.util.VirtualFile;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed promotion record of a deployment: a {@code promotion} record whose {@code promotes} is the
 * digest of the signed training record, archived earlier in this build, that lists the deployed model artifact among
 * its outputs. Without that record there is nothing to chain to, and the log says so. Failures are logged, never
 * thrown: the endpoint is deployed.
 */
public final class PromotionLineage {
    private PromotionLineage() {
    }

    public static void archiveIfConfigured(final Run<?, ?> run, final TaskListener listener,
            final GerritChange change, final LineageJob job, final String modelArtifact) {
        String keyId = Util.fixEmptyAndTrim(GerritMlConfiguration.get().getLineageKeyCredentialsId());
        if (keyId == null) {
            return;
        }
        try {
            String promotes = trainingDigest(run, modelArtifact);
            if (promotes == null) {
                listener.getLogger().println("[gerrit-ml] No signed promotion record: no signed training record of "
                        + modelArtifact + " in this build to chain it to (train and deploy in one build to get one).");
                return;
            }
            // The same key, record base and archive as the training record: one lookup, so they cannot drift apart.
            SignedLineage signed = SignedLineage.sign(SignedLineageArchiver.record(run, change, job)
                    .promoting(promotes).withOutput(LineageArtifact.valueOf(modelArtifact, "", "")).build(),
                    SignedLineageArchiver.signingKey(run, keyId));
            String name = SignedLineageArchiver.archive(run, listener, "promotion", job, signed);
            listener.getLogger().println("[gerrit-ml] Archived signed promotion record " + name + " (digest "
                    + signed.getDigest() + ", promotes " + promotes + ")");
        } catch (Exception e) {
            listener.error("[gerrit-ml] No signed promotion record: " + e.getMessage());
        }
    }

    /** The digest of this build's signed training record that lists {@code artifact} as an output, or null. */
    @CheckForNull
    static String trainingDigest(final Run<?, ?> run, final String artifact) throws Exception {
        LineageAction lineage = run.getAction(LineageAction.class);
        if (lineage == null) {
            return null;
        }
        List<String> records = new ArrayList<>();
        for (String name : lineage.getSignedRecords()) {
            VirtualFile file = run.getArtifactManager().root().child(name);
            if (file.isFile()) {
                try (InputStream in = file.open()) {
                    records.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return LineageJobs.trainingDigestOf(records, artifact).orElse(null);
    }
}
