package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;

import java.util.Objects;

/** A flow run just created, or found again through its idempotency key, with what is needed to follow it. */
public final class StartedFlowRun {
    private final FlowRun flowRun;
    private final boolean isNew;
    private final String deployment;
    private final String uiUrl;
    private final WatchedJob watchedJob;

    StartedFlowRun(final FlowRun flowRun, final boolean isNew, final String deployment, final String uiUrl,
            final WatchedJob watchedJob) {
        this.flowRun = flowRun;
        this.isNew = isNew;
        this.deployment = deployment;
        this.uiUrl = uiUrl;
        this.watchedJob = watchedJob;
    }

    public FlowRun getFlowRun() {
        return flowRun;
    }

    public String getFlowRunId() {
        return flowRun.getId();
    }

    /** False when Prefect returned the run an earlier attempt created with the same idempotency key. */
    public boolean isNew() {
        return isNew;
    }

    /** The deployment as {@code flow/deployment}. */
    public String getDeployment() {
        return deployment;
    }

    public String getUiUrl() {
        return uiUrl;
    }

    /** What to persist (id, start, deadline) to follow the run again after a restart. */
    public WatchedJob getWatchedJob() {
        return watchedJob;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StartedFlowRun)) {
            return false;
        }
        StartedFlowRun other = (StartedFlowRun) o;
        return isNew == other.isNew && flowRun.equals(other.flowRun) && deployment.equals(other.deployment)
                && uiUrl.equals(other.uiUrl) && watchedJob.equals(other.watchedJob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowRun, isNew, deployment, uiUrl, watchedJob);
    }

    @Override
    public String toString() {
        return (isNew ? "started " : "re-attached to ") + flowRun + " of " + deployment + " <" + uiUrl + ">";
    }
}
