package io.jenkins.plugins.gerritml.lineage;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.StreamBuildListener;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.config.GerritMlConfiguration;
import io.jenkins.plugins.gerritml.core.engine.LineageRecords;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.CredentialUse;
import io.jenkins.plugins.gerritml.core.pipeline.LineageArtifact;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.pipeline.LineageKey;
import io.jenkins.plugins.gerritml.core.pipeline.LineageRecord;
import io.jenkins.plugins.gerritml.core.pipeline.SignedLineage;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.util.BuildLinks;
import io.jenkins.plugins.gerritml.util.CredentialsLookup;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Signs a lineage record of one remote job with the configured key and archives it with the build, next to the
 * build-page summary. Without a key configured it does nothing: the summary alone is not evidence.
 */
public final class SignedLineageArchiver {
    private SignedLineageArchiver() {
    }

    /**
     * Builds core's record (change, uploader, approvals from the build's gate, build, job, outputs, metrics), signs it
     * with the configured "Secret text" key (see {@link #key}) and archives it as
     * {@code lineage/<backend>-<job id>.json}. Failures are reported in the log, never thrown: the job is done.
     *
     * @return the signed record's digest, or empty when no key is configured or signing failed
     */
    public static String archiveIfConfigured(final Run<?, ?> run, final TaskListener listener,
            final GerritChange change, final LineageJob job, final List<String> outputs,
            final Map<String, ? extends Number> metrics) {
        String keyId = Util.fixEmptyAndTrim(GerritMlConfiguration.get().getLineageKeyCredentialsId());
        if (keyId == null) {
            return "";
        }
        try {
            LineageKey key = signingKey(run, keyId);
            LineageRecord.Builder record = record(run, change, job);
            outputs.forEach(uri -> record.withOutput(LineageArtifact.valueOf(uri, "", "")));
            metrics.forEach((name, value) -> {
                if (value instanceof BigDecimal) {
                    record.withMetric(name, (BigDecimal) value);
                } else if (value != null && Double.isFinite(value.doubleValue())) {
                    record.withMetric(name, BigDecimal.valueOf(value.doubleValue()));
                }
            });
            SignedLineage signed = SignedLineage.sign(record.build(), key);
            String name = archive(run, listener, job.getBackend(), job, signed);
            listener.getLogger().println("[gerrit-ml] Archived signed lineage record " + name + " (digest "
                    + signed.getDigest() + ", " + signed.getAlgorithm() + " key " + signed.getKeyId() + ")");
            return signed.getDigest();
        } catch (AbortException | IllegalArgumentException e) {
            listener.error("[gerrit-ml] No signed lineage record: " + e.getMessage());
        } catch (Exception e) {
            listener.error("[gerrit-ml] No signed lineage record: " + e);
        }
        return "";
    }

    /**
     * The administrator's signing key, never the build's: looked up as the system, System scope only, so a Pipeline
     * can neither read it nor swap in its own. Every signed record of the plugin takes its key from here.
     */
    static LineageKey signingKey(final Run<?, ?> run, final String keyId) throws AbortException {
        StringCredentials secret = CredentialsLookup.findAsAdministrator(run, keyId, StringCredentials.class,
                CredentialUse.LINEAGE_SIGNING_KEY);
        return key(keyId, secret.getSecret().getPlainText());
    }

    /** What every record of this build says: the change, its uploader, the gate's approvals, the build, the job. */
    static LineageRecord.Builder record(final Run<?, ?> run, final GerritChange change, final LineageJob job) {
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        String gerritUrl = Util.fixEmptyAndTrim(GerritMlConfiguration.get().getGerritUrl());
        return LineageRecords.training(change, change.getUploader(),
                approval == null ? List.of() : approval.getCoreApprovals(),
                approval == null ? Instant.now() : Instant.parse(approval.getCheckedAt()),
                gerritUrl != null ? gerritUrl : Util.fixNull(change.getChangeUrl()))
                .withBuild(java.util.Objects.requireNonNullElse(BuildLinks.of(run), run.getUrl()),
                        run.getExternalizableId())
                .withJob(job).withTime("finished", Instant.now());
    }

    /** Where {@link #archive} puts the record of {@code job}: {@code lineage/<prefix>-<job id>.json}. */
    public static String artifactName(final String prefix, final LineageJob job) {
        return "lineage/" + prefix + "-" + job.getId().replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    /**
     * Archives {@code signed} with the build as {@code lineage/<prefix>-<job id>.json} and lists it on the build's
     * lineage page; returns the artifact's name.
     */
    static String archive(final Run<?, ?> run, final TaskListener listener, final String prefix, final LineageJob job,
            final SignedLineage signed) throws IOException, InterruptedException {
        String name = artifactName(prefix, job);
        File dir = Files.createTempDirectory("gerrit-ml-lineage").toFile();
        try {
            FilePath staging = new FilePath(dir);
            staging.child(name).write(signed.toJsonText(), StandardCharsets.UTF_8.name());
            run.pickArtifactManager().archive(staging, new Launcher.LocalLauncher(listener),
                    new StreamBuildListener(listener.getLogger(), StandardCharsets.UTF_8), Map.of(name, name));
        } finally {
            new FilePath(dir).deleteRecursive();
        }
        LineageAction.of(run).addSignedRecord(name);
        return name;
    }

    /**
     * The signing key in a System-scoped "Secret text" credential: an Ed25519 key pair as its two PEM blocks ({@code PRIVATE KEY},
     * PKCS#8, then {@code PUBLIC KEY}; line breaks optional), so auditors can verify with the public key alone; or
     * else an HMAC secret of at least 32 bytes, whose key id is the credential id.
     */
    static LineageKey key(final String credentialsId, final String text) {
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            return LineageKey.fromPem(text, text);
        }
        return LineageKey.hmac(credentialsId, Secret.of(text));
    }
}
