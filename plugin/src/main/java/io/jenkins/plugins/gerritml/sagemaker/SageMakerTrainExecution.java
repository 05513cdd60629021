package io.jenkins.plugins.gerritml.sagemaker;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerTrainer;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingListener;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingRun;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.lineage.ApprovalAction;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.pipeline.Interruptions;
import io.jenkins.plugins.gerritml.pipeline.Watchers;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits for a SageMaker training job as {@code sleep} waits: nothing holds a thread; the job's name, start and
 * absolute deadline and the AWS settings (ids and names only) are saved with the build, so {@link #onResume} re-arms
 * on the shared watcher; {@link #stop} calls StopTrainingJob and passes the cause on.
 */
public class SageMakerTrainExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient SageMakerTrainStep step;
    private final boolean review;
    private final String label;
    private final boolean propagate;
    private final String gerritCredentialsId;
    private AwsSettings aws;
    private String jobName;
    private long startedAtMillis;
    private long deadlineMillis;

    private transient volatile SageMakerTrainer trainer;
    private transient volatile AwsClients clients;
    private transient volatile TrainingRun training;
    private transient volatile boolean stopping;
    private transient volatile boolean completed;

    SageMakerTrainExecution(final SageMakerTrainStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.review = step.isReview();
        this.label = step.getLabel();
        this.propagate = step.isPropagate();
        this.gerritCredentialsId = step.getGerritCredentialsId();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        TrainingSpec spec;
        try {
            spec = step.toSpec();
        } catch (IllegalArgumentException e) {
            throw new AbortException("sagemakerTrain: " + e.getMessage());
        }
        aws = step.awsSettings();
        GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
        TrainingContext context = context(run, change);
        // Creating the job is a remote call: never on the CPS thread.
        Timer.get().submit(() -> launch(run, spec, context, listener));
        return false;
    }

    private void launch(final Run<?, ?> run, final TrainingSpec spec, final TrainingContext context,
            final TaskListener listener) {
        try {
            SageMakerTrainer t = trainer(run, context);
            TrainingRun started = t.start(spec, context, TrainingListener.printingTo(listener.getLogger()));
            WatchedJob job = started.getWatchedJob();
            synchronized (this) {
                jobName = job.getId();
                startedAtMillis = job.getStartedAt().toEpochMilli();
                deadlineMillis = job.getDeadline().toEpochMilli();
                training = started;
            }
            getContext().saveState();
            if (stopping) {
                started.abort("the build was aborted while the job was being created");
            }
            await(started, listener);
        } catch (Exception e) {
            closeTrainer();
            completeWithFailure(new AbortException("sagemakerTrain: " + Interruptions.describe(e)));
        }
    }

    private void await(final TrainingRun started, final TaskListener listener) {
        started.result().whenComplete((result, failure) -> {
            try {
                if (failure != null) {
                    completeWithFailure(new AbortException("sagemakerTrain: " + Interruptions.describe(
                            failure instanceof java.util.concurrent.CompletionException ? failure.getCause()
                                    : failure)));
                } else {
                    finish(result, listener);
                }
            } finally {
                closeTrainer();
            }
        });
    }

    private void finish(final TrainingResult result, final TaskListener listener) {
        if (stopping || completed) {
            return;
        }
        try {
            Run<?, ?> run = getContext().get(Run.class);
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
            if (review) {
                GerritReviews.post(run, getContext().get(EnvVars.class), listener, result.toReview(label),
                        gerritCredentialsId);
            }
            if (result.isCompleted()) {
                io.jenkins.plugins.gerritml.lineage.SignedLineageArchiver.archiveIfConfigured(run, listener,
                        GerritContexts.of(run, getContext().get(EnvVars.class)),
                        io.jenkins.plugins.gerritml.core.pipeline.LineageJob.builder().withBackend("sagemaker")
                                .withId(result.getJobName()).build(),
                        result.getModelArtifact() == null ? List.of() : List.of(result.getModelArtifact()),
                        result.getFinalMetrics());
            }
            if (!result.isCompleted() && propagate) {
                completeWithFailure(new AbortException(result.summary()));
            } else {
                completed = true;
                getContext().onSuccess(result.asMap());
            }
        } catch (Exception e) {
            completeWithFailure(e);
        }
    }

    private SageMakerTrainer trainer(final Run<?, ?> run, final TrainingContext context) throws AbortException {
        SageMakerTrainer t = trainer;
        if (t == null) {
            AwsClients c = AwsClients.create(aws.connect(run, context));
            clients = c;
            t = SageMakerTrainer.builder(c).withWatcher(Watchers.shared(), Timer.get()).build();
            trainer = t;
        }
        return t;
    }

    private void closeTrainer() {
        SageMakerTrainer t = trainer;
        trainer = null;
        if (t != null) {
            t.close(); // leaves the shared watcher and Jenkins' timer alone
        }
        AwsClients c = clients;
        clients = null;
        if (c != null) {
            c.close(); // the SDK clients (HTTP connections) of this step
        }
    }

    private void completeWithFailure(final Throwable cause) {
        if (!completed) {
            completed = true;
            getContext().onFailure(cause);
        }
    }

    @Override
    public void onResume() {
        if (jobName == null) {
            completeWithFailure(new AbortException("sagemakerTrain: Jenkins restarted before the training job was "
                    + "created; run the build again (a job of this build with the same spec would be adopted)."));
            return;
        }
        WatchedJob job = WatchedJob.of(jobName, Instant.ofEpochMilli(startedAtMillis),
                Instant.ofEpochMilli(deadlineMillis));
        Timer.get().submit(() -> {
            try {
                Run<?, ?> run = getContext().get(Run.class);
                TaskListener listener = getContext().get(TaskListener.class);
                GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
                TrainingRun resumed = trainer(run, context(run, change)).resume(job,
                        TrainingListener.printingTo(listener.getLogger()));
                training = resumed;
                await(resumed, listener);
            } catch (Exception e) {
                closeTrainer();
                completeWithFailure(e);
            }
        });
    }

    @Override
    public void stop(final Throwable cause) throws Exception {
        stopping = true;
        Timer.get().submit(() -> {
            try {
                TrainingRun t = training;
                if (t != null) {
                    t.abort(Interruptions.describe(cause));
                } else if (jobName != null) {
                    Run<?, ?> run = getContext().get(Run.class);
                    GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
                    getContext().get(TaskListener.class).getLogger().println("[sagemaker] Aborting training job "
                            + jobName + ": " + Interruptions.describe(cause) + ". "
                            + trainer(run, context(run, change)).stop(jobName));
                    closeTrainer();
                }
            } catch (Exception e) {
                try {
                    getContext().get(TaskListener.class).error("[sagemaker] Could not stop training job " + jobName
                            + ": " + Interruptions.describe(e));
                } catch (Exception ignored) {
                    // the build is going away; the cause below still ends the step
                }
            } finally {
                completeWithFailure(cause);
            }
        });
    }

    @Override
    public String getStatus() {
        if (jobName == null) {
            return "creating a SageMaker training job in " + (aws == null ? "AWS" : aws.describe());
        }
        return (stopping ? "stopping" : "waiting for") + " SageMaker training job " + jobName + " in "
                + aws.describe() + ", until " + Instant.ofEpochMilli(deadlineMillis);
    }

    /** The training context of this build: the patch set, its uploader and approvers, the build. */
    static TrainingContext context(final Run<?, ?> run, final GerritChange change) {
        ApprovalAction approval = run.getAction(ApprovalAction.class);
        return TrainingContext.builder(change).withApprovers(approval == null ? List.of() : approval.getApprovers())
                .withBuild(run.getNumber(), Jenkins.get().getRootUrl() == null ? null : run.getAbsoluteUrl()).build();
    }
}
