package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.gerrit.CheckBlock;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a finished training job produced: status, failure reason, model artifact, final metrics, billable time and a
 * console link. Immutable; {@link #summary()} is the text posted to Gerrit.
 */
public final class TrainingResult {
    private final String jobName;
    private final String jobArn;
    private final String region;
    private final TrainingJobStatus status;
    @CheckForNull
    private final String failureReason;
    @CheckForNull
    private final String modelArtifact;
    private final Map<String, Double> finalMetrics;
    @CheckForNull
    private final Integer billableSeconds;
    @CheckForNull
    private final Instant startedAt;
    @CheckForNull
    private final Instant endedAt;

    private TrainingResult(final Builder b) {
        jobName = Objects.requireNonNull(b.jobName);
        jobArn = Objects.requireNonNull(b.jobArn);
        region = Objects.requireNonNull(b.region);
        status = Objects.requireNonNull(b.status);
        failureReason = b.failureReason;
        modelArtifact = b.modelArtifact;
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.finalMetrics));
        billableSeconds = b.billableSeconds;
        startedAt = b.startedAt;
        endedAt = b.endedAt;
    }

    public static Builder builder(final String jobName, final String jobArn, final String region) {
        return new Builder(jobName, jobArn, region);
    }

    static TrainingResult of(final DescribeTrainingJobResponse job, final String region) {
        Builder b = builder(job.trainingJobName(), job.trainingJobArn(), region)
                .withStatus(TrainingJobStatus.of(job.trainingJobStatusAsString(), job.secondaryStatusAsString()))
                .withFailureReason(job.failureReason())
                .withModelArtifact(job.modelArtifacts() == null ? null : job.modelArtifacts().s3ModelArtifacts())
                .withBillableSeconds(job.billableTimeInSeconds())
                .withTimes(job.trainingStartTime(), job.trainingEndTime());
        if (job.hasFinalMetricDataList()) {
            for (MetricData metric : job.finalMetricDataList()) {
                if (metric.metricName() != null && metric.value() != null) {
                    // SageMaker sends floats: keep their decimal form (0.93), not the widened double (0.930000007...).
                    b.withMetric(metric.metricName(), Double.parseDouble(metric.value().toString()));
                }
            }
        }
        return b.build();
    }

    public String getJobName() {
        return jobName;
    }

    public String getJobArn() {
        return jobArn;
    }

    public TrainingJobStatus getStatus() {
        return status;
    }

    public boolean isCompleted() {
        return "Completed".equals(status.getStatus());
    }

    @CheckForNull
    public String getFailureReason() {
        return failureReason;
    }

    /** The model.tar.gz S3 URI (only for a completed job). */
    @CheckForNull
    public String getModelArtifact() {
        return modelArtifact;
    }

    public Map<String, Double> getFinalMetrics() {
        return finalMetrics;
    }

    @CheckForNull
    public Integer getBillableSeconds() {
        return billableSeconds;
    }

    /** The job's page in the AWS console. */
    public String getConsoleUrl() {
        return consoleUrl(region, jobName);
    }

    /** A training job's page in the AWS console. */
    public static String consoleUrl(final String region, final String jobName) {
        return "https://" + region + ".console.aws.amazon.com/sagemaker/home?region=" + region + "#/jobs/"
                + URLEncoder.encode(jobName, StandardCharsets.UTF_8);
    }

    /**
     * The result as a Gerrit review for the patch set that produced it: {@code label} +1 when the job completed,
     * -1 otherwise, the outcome as message, and links to the job's console page and the model artifact.
     */
    public Review toReview(final String label) {
        StringBuilder text = new StringBuilder("SageMaker training job ").append(jobName).append(": ").append(status);
        if (failureReason != null) {
            text.append("\nFailure reason: ").append(failureReason);
        }
        if (!finalMetrics.isEmpty()) {
            text.append("\nMetrics: ");
            finalMetrics.forEach((name, value) -> text.append(name).append('=').append(value).append(' '));
            text.setLength(text.length() - 1);
        }
        if (billableSeconds != null) {
            text.append("\nBillable time: ").append(billableSeconds).append(" s");
        }
        Review.Builder review = Review.builder().withLabel(label, isCompleted() ? 1 : -1)
                .withMessage(text.toString()).withContext("sagemaker")
                .withLink("SageMaker training job", getConsoleUrl());
        if (isCompleted() && modelArtifact != null) {
            review.withLink("Model artifact", modelArtifact);
        }
        return review.withCheck(toCheck(label)).build();
    }

    /**
     * The Checks tab's run: {@code SageMaker training <job name without its build>} (so a rerun is the next attempt),
     * SUCCESS when the job completed, INFO when it was stopped, ERROR otherwise; the final metrics as summary.
     */
    public CheckBlock toCheck(final String label) {
        CheckBlock.Result outcome = isCompleted() ? CheckBlock.Result.SUCCESS
                : "Stopped".equals(status.getStatus()) ? CheckBlock.Result.INFO : CheckBlock.Result.ERROR;
        StringBuilder summary = new StringBuilder();
        finalMetrics.forEach((name, value) -> summary.append(summary.length() == 0 ? "" : ", ").append(name)
                .append(' ').append(value));
        if (!isCompleted()) {
            summary.setLength(0);
            summary.append(status.getStatus()).append(failureReason == null ? "" : ": " + failureReason);
        } else if (summary.length() == 0) {
            summary.append("Completed");
        }
        return CheckBlock.completed(checkName(jobName), "training", jobName, outcome).withSummary(summary.toString())
                .withLabel(label).withStarted(startedAt).withFinished(endedAt).build();
    }

    /**
     * The Checks tab's RUNNING run of training job {@code jobName}: the check its result will complete, the console
     * link (when the region is known), and whether a review follower stops it on request.
     */
    public static CheckBlock runningCheck(final String jobName, final String region, final Instant startedAt,
            final boolean stoppable) {
        CheckBlock.Builder check = CheckBlock.running(checkName(jobName), "training", jobName).withSummary("Training")
                .withStarted(startedAt).stoppable(stoppable);
        if (region != null && !region.isEmpty()) {
            check.withLink("SageMaker training job", consoleUrl(region, jobName));
        }
        return check.build();
    }

    /** What the review says, silently, once a training job exists: its name and its RUNNING check. */
    public static Review startedReview(final CheckBlock running) {
        return Review.builder().withContext("sagemaker").withNotify(Review.Notify.NONE)
                .withMessage("SageMaker training job " + running.getId() + " started.").withCheck(running).build();
    }

    /** The check a training job is an attempt of: its name without the build (and step) it ran in. */
    public static String checkName(final String jobName) {
        return "SageMaker training " + jobName.replaceFirst("-b\\d+(-s[A-Za-z0-9]+)?$", "");
    }

    /** {@link #toReview(String)} voting Verified. */
    public Review toReview() {
        return toReview("Verified");
    }

    /**
     * The result for a Pipeline script: {@code jobName, jobArn, region, status, completed, failureReason,
     * modelArtifact, metrics (name → value), billableSeconds, consoleUrl}. Plain values only, so the map can be saved
     * with a build.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("jobName", jobName);
        map.put("jobArn", jobArn);
        map.put("region", region);
        map.put("status", status.toString());
        map.put("completed", isCompleted());
        map.put("failureReason", failureReason);
        map.put("modelArtifact", modelArtifact);
        map.put("metrics", new java.util.LinkedHashMap<>(finalMetrics));
        map.put("billableSeconds", billableSeconds);
        map.put("consoleUrl", getConsoleUrl());
        return map;
    }

    /** One paragraph for the build log. */
    public String summary() {
        StringBuilder text = new StringBuilder("SageMaker training job ").append(jobName).append(": ").append(status);
        if (failureReason != null) {
            text.append("\nFailure reason: ").append(failureReason);
        }
        if (modelArtifact != null && isCompleted()) {
            text.append("\nModel: ").append(modelArtifact);
        }
        if (!finalMetrics.isEmpty()) {
            text.append("\nMetrics: ");
            finalMetrics.forEach((name, value) -> text.append(name).append('=').append(value).append(' '));
            text.setLength(text.length() - 1);
        }
        if (billableSeconds != null) {
            text.append("\nBillable time: ").append(billableSeconds).append(" s");
        }
        text.append("\nConsole: ").append(getConsoleUrl());
        return text.toString();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingResult)) {
            return false;
        }
        TrainingResult other = (TrainingResult) o;
        return jobName.equals(other.jobName) && jobArn.equals(other.jobArn) && region.equals(other.region)
                && status.equals(other.status) && Objects.equals(failureReason, other.failureReason)
                && Objects.equals(modelArtifact, other.modelArtifact) && finalMetrics.equals(other.finalMetrics)
                && Objects.equals(billableSeconds, other.billableSeconds) && Objects.equals(startedAt, other.startedAt)
                && Objects.equals(endedAt, other.endedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobName, jobArn, region, status, failureReason, modelArtifact, finalMetrics,
                billableSeconds, startedAt, endedAt);
    }

    @Override
    public String toString() {
        return "TrainingResult[" + jobName + " " + status + "]";
    }

    /** Collects the fields. */
    public static final class Builder {
        private final String jobName;
        private final String jobArn;
        private final String region;
        private TrainingJobStatus status = TrainingJobStatus.of("InProgress", null);
        @CheckForNull
        private String failureReason;
        @CheckForNull
        private String modelArtifact;
        private final Map<String, Double> finalMetrics = new LinkedHashMap<>();
        @CheckForNull
        private Integer billableSeconds;
        private Instant startedAt;
        private Instant endedAt;

        private Builder(final String jobName, final String jobArn, final String region) {
            this.jobName = jobName;
            this.jobArn = jobArn;
            this.region = region;
        }

        public Builder withStatus(final TrainingJobStatus value) {
            this.status = value;
            return this;
        }

        public Builder withFailureReason(@CheckForNull final String reason) {
            this.failureReason = reason;
            return this;
        }

        public Builder withModelArtifact(@CheckForNull final String uri) {
            this.modelArtifact = uri;
            return this;
        }

        public Builder withMetric(final String name, final double value) {
            finalMetrics.put(name, value);
            return this;
        }

        /** When SageMaker says training started and ended (either may be unknown). */
        public Builder withTimes(@CheckForNull final Instant started, @CheckForNull final Instant ended) {
            this.startedAt = started;
            this.endedAt = ended;
            return this;
        }

        public Builder withBillableSeconds(@CheckForNull final Integer seconds) {
            this.billableSeconds = seconds;
            return this;
        }

        public TrainingResult build() {
            return new TrainingResult(this);
        }
    }
}
