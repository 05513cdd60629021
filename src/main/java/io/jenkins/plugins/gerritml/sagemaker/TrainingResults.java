package io.jenkins.plugins.gerritml.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.engine.LineageJobs;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.pipeline.LineageJob;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobBackend;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver;
import io.jenkins.plugins.gerritml.util.BuildLinks;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** A finished training job on the build page and, when signing is configured, as a signed lineage record. */
final class TrainingResults {
    private TrainingResults() {
    }

    /**
     * Signs and archives the lineage of a completed job (when a key is configured).
     *
     * @return the record's digest, or empty
     */
    static String archiveLineage(final StepContext context, @CheckForNull final TrainingJobBackend.Spec spec,
            final TrainingResult result) throws Exception {
        return SignedLineageArchiver.archiveIfConfigured(context.get(Run.class), context.get(TaskListener.class),
                GerritContexts.of(context.get(Run.class), context.get(EnvVars.class)), lineageJob(spec, result),
                LineageJobs.trainingOutputs(result), LineageJobs.trainingMetrics(result));
    }

    /**
     * {@code review} with a link to the signed record archived with the build, so reviewers (and the Checks tab) open
     * the lineage of the model beside the vote; unchanged when Jenkins has no root URL.
     */
    static Review withLineageLink(final Run<?, ?> run, @CheckForNull final TrainingJobBackend.Spec spec,
            final TrainingResult result, final Review review) {
        String build = BuildLinks.of(run);
        LineageJob job = lineageJob(spec, result);
        return build == null ? review : review.withAppendedLink("Lineage record", build + "artifact/"
                + SignedLineageArchiver.artifactName(job.getBackend(), job));
    }

    /** The build page's entry for the job, and its signed lineage unless {@code archived} already. */
    static void record(final StepContext context, @CheckForNull final TrainingJobBackend.Spec spec,
            final TrainingResult result, final boolean archived) throws Exception {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("SageMaker console", result.getConsoleUrl());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("job ARN", String.valueOf(result.getJobArn()));
        if (result.getModelArtifact() != null) {
            details.put("model artifact", result.getModelArtifact());
        }
        result.getFinalMetrics().forEach((name, value) -> details.put("metric " + name, String.valueOf(value)));
        if (result.getBillableSeconds() != null) {
            details.put("billable seconds", String.valueOf(result.getBillableSeconds()));
        }
        LineageAction.of(run).record(new LineageAction.Entry("SageMaker training job", result.getJobName(),
                result.getStatus().toString(), links, details));
        if (result.isCompleted() && !archived) {
            archiveLineage(context, spec, result);
        }
    }

    /** The engine's description of the job; a build saved before plans kept their spec knows only the job. */
    static LineageJob lineageJob(@CheckForNull final TrainingJobBackend.Spec spec, final TrainingResult result) {
        return spec == null ? LineageJob.builder().withBackend("sagemaker").withId(result.getJobArn() == null
                || result.getJobArn().isEmpty() ? result.getJobName() : result.getJobArn()).build()
                : LineageJobs.training(spec.getTraining(), result);
    }
}
