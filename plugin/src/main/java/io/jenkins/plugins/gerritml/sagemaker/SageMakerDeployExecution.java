package io.jenkins.plugins.gerritml.sagemaker;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import io.jenkins.plugins.gerritml.core.sagemaker.AwsClients;
import io.jenkins.plugins.gerritml.core.sagemaker.DeployResult;
import io.jenkins.plugins.gerritml.core.sagemaker.DeploySpec;
import io.jenkins.plugins.gerritml.core.sagemaker.PromotionGate;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerDeployer;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingListener;
import io.jenkins.plugins.gerritml.gerrit.GerritContexts;
import io.jenkins.plugins.gerritml.gerrit.GerritReviews;
import io.jenkins.plugins.gerritml.lineage.LineageAction;
import io.jenkins.plugins.gerritml.pipeline.Interruptions;
import io.jenkins.plugins.gerritml.pipeline.Watchers;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Promotes a model and waits for the endpoint to settle without holding a thread. Saved with the build: the endpoint
 * and target config names, the approvers the gate found, start and deadline, the AWS settings' ids. An endpoint
 * update cannot be cancelled in SageMaker: {@link #stop} ends the step and says so; SageMaker finishes or rolls back.
 */
public class SageMakerDeployExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L;

    @edu.umd.cs.findbugs.annotations.SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "Only read while starting; onResume() uses the non-transient fields saved for it.")
    private final transient SageMakerDeployStep step;
    private final boolean review;
    private final boolean propagate;
    private final String gerritCredentialsId;
    private AwsSettings aws;
    private String endpointName;
    private String targetConfigName;
    private List<String> approvers = new ArrayList<>();
    private long startedAtMillis;
    private long deadlineMillis;

    private transient volatile AwsClients clients;
    private transient volatile boolean completed;

    SageMakerDeployExecution(final SageMakerDeployStep step, final StepContext context) {
        super(context);
        this.step = step;
        this.review = step.isReview();
        this.propagate = step.isPropagate();
        this.gerritCredentialsId = step.getGerritCredentialsId();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        DeploySpec spec;
        ApprovalPolicy policy;
        try {
            spec = step.toSpec();
            policy = step.toPolicy();
        } catch (IllegalArgumentException e) {
            throw new AbortException("sagemakerDeploy: " + e.getMessage());
        }
        aws = step.awsSettings();
        GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
        TrainingContext context = SageMakerTrainExecution.context(run, change);
        endpointName = spec.getEndpointName();
        targetConfigName = SageMakerDeployer.configName(spec, context);
        // The gate reads Gerrit and the deployer calls AWS: never on the CPS thread.
        Timer.get().submit(() -> launch(run, change, spec, policy, context, listener));
        return false;
    }

    private void launch(final Run<?, ?> run, final GerritChange change, final DeploySpec spec,
            final ApprovalPolicy policy, final TrainingContext context, final TaskListener listener) {
        try {
            GerritRestClient gerrit = new GerritRestClient(GerritContexts.restConfig(run, change,
                    gerritCredentialsId), GerritRestClient.DEFAULT_ATTEMPTS, GerritRestClient.DEFAULT_BACKOFF,
                    line -> listener.getLogger().println("[gerrit-ml] " + line));
            PromotionGate gate = (s, c) -> {
                var decision = PromotionGate.gerrit(new ApprovalGate(gerrit), change, policy).check(s, c);
                approvers = new ArrayList<>(decision.getApprovers());
                return decision;
            };
            Instant now = Instant.now();
            startedAtMillis = now.toEpochMilli();
            deadlineMillis = now.plus(spec.getTimeout()).toEpochMilli();
            CompletableFuture<DeployResult> result = new SageMakerDeployer(clients(run, context), Watchers.shared())
                    .start(spec, context, gate, TrainingListener.printingTo(listener.getLogger()));
            getContext().saveState();
            await(result, listener);
        } catch (Exception e) {
            closeClients();
            completeWithFailure(new AbortException("sagemakerDeploy: " + Interruptions.describe(e)));
        }
    }

    private void await(final CompletableFuture<DeployResult> result, final TaskListener listener) {
        result.whenComplete((deployed, failure) -> {
            try {
                if (failure != null) {
                    completeWithFailure(new AbortException("sagemakerDeploy: " + Interruptions.describe(
                            failure instanceof CompletionException ? failure.getCause() : failure)));
                } else {
                    finish(deployed, listener);
                }
            } finally {
                closeClients();
            }
        });
    }

    private void finish(final DeployResult result, final TaskListener listener) {
        if (completed) {
            return;
        }
        try {
            Run<?, ?> run = getContext().get(Run.class);
            Map<String, String> links = new LinkedHashMap<>();
            links.put("SageMaker endpoint", result.getConsoleUrl());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("endpoint config", targetConfigName);
            details.put("approved by", String.join(", ", result.getApprovers()));
            LineageAction.of(run).record(new LineageAction.Entry("SageMaker endpoint", result.getEndpointName(),
                    result.isDeployed() ? "serves " + targetConfigName : result.isRolledBack() ? "rolled back"
                            : result.getState().getStatus(), links, details));
            if (review) {
                GerritReviews.post(run, getContext().get(EnvVars.class), listener, result.toReview(),
                        gerritCredentialsId);
            }
            if (!result.isDeployed() && propagate) {
                completeWithFailure(new AbortException(result.summary()));
            } else {
                completed = true;
                getContext().onSuccess(result.asMap());
            }
        } catch (Exception e) {
            completeWithFailure(e);
        }
    }

    private AwsClients clients(final Run<?, ?> run, final TrainingContext context) throws AbortException {
        AwsClients c = clients;
        if (c == null) {
            c = AwsClients.create(aws.connect(run, context));
            clients = c;
        }
        return c;
    }

    private void closeClients() {
        AwsClients c = clients;
        clients = null;
        if (c != null) {
            c.close();
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
        if (deadlineMillis == 0) {
            completeWithFailure(new AbortException("sagemakerDeploy: Jenkins restarted before endpoint "
                    + endpointName + " was updated; run the build again (its model and config are reused)."));
            return;
        }
        WatchedJob job = WatchedJob.of(endpointName, Instant.ofEpochMilli(startedAtMillis),
                Instant.ofEpochMilli(deadlineMillis));
        Timer.get().submit(() -> {
            try {
                Run<?, ?> run = getContext().get(Run.class);
                TaskListener listener = getContext().get(TaskListener.class);
                GerritChange change = GerritContexts.of(run, getContext().get(EnvVars.class));
                listener.getLogger().println("[sagemaker] Jenkins restarted: following endpoint " + endpointName
                        + " again until " + job.getDeadline());
                await(new SageMakerDeployer(clients(run, SageMakerTrainExecution.context(run, change)),
                        Watchers.shared()).follow(job, targetConfigName, approvers,
                        TrainingListener.printingTo(listener.getLogger())), listener);
            } catch (Exception e) {
                closeClients();
                completeWithFailure(e);
            }
        });
    }

    @Override
    public void stop(final Throwable cause) throws Exception {
        try {
            getContext().get(TaskListener.class).getLogger().println("[sagemaker] " + Interruptions.describe(cause)
                    + ": no longer waiting for endpoint " + endpointName + ". SageMaker cannot cancel an endpoint "
                    + "update: it finishes it or rolls it back by itself.");
        } finally {
            completeWithFailure(cause);
        }
    }

    @Override
    public String getStatus() {
        return "waiting for SageMaker endpoint " + endpointName + " to serve " + targetConfigName + " in "
                + (aws == null ? "AWS" : aws.describe()) + (deadlineMillis == 0 ? "" : ", until "
                + Instant.ofEpochMilli(deadlineMillis));
    }
}
