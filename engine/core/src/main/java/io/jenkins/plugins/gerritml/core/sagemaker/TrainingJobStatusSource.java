package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.pipeline.StatusSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the status of any number of training jobs in O(1) SageMaker calls per poll: one ListTrainingJobs
 * (100 per page) filtered to jobs modified after the newest modification already seen (SageMaker's own
 * timestamps, less a small overlap, so the local clock does not matter), named with the watched jobs' common prefix.
 * Jobs that did not change keep their last known status. A job seen for the first time is described once (or, when
 * many arrive together, found by one full list). Every {@code fullRefresh} the time filter is dropped (jobs created
 * since the oldest watched one), so a change the incremental list missed is still noticed.
 *
 * <p>Used by one {@code JobWatcher} group, so {@link #read(Set)} is never called concurrently.
 */
public final class TrainingJobStatusSource implements StatusSource<TrainingJobStatus> {
    /** Above this many unknown jobs one full list is cheaper than describing each. */
    private static final int DESCRIBE_LIMIT = 10;
    /** A change may become visible to List a little after its timestamp; re-reading a job is harmless. */
    static final Duration DEFAULT_OVERLAP = Duration.ofSeconds(10);

    private final SageMakerClient client;
    private final String region;
    private final Clock clock;
    private final Duration fullRefresh;
    private final Duration overlap;
    private final Map<String, Known> known = new HashMap<>();
    private final AtomicLong calls = new AtomicLong();
    @CheckForNull
    private Instant lastFullList;

    /**
     * @param fullRefresh how often to list all followed jobs without the modified-since filter
     * @param overlap how far before the newest modification seen each incremental list starts
     */
    public TrainingJobStatusSource(final SageMakerClient client, final String region, final Clock clock,
            final Duration fullRefresh, final Duration overlap) {
        this.client = client;
        this.region = region;
        this.clock = clock;
        this.fullRefresh = fullRefresh;
        this.overlap = overlap;
    }

    public TrainingJobStatusSource(final SageMakerClient client, final String region) {
        this(client, region, Clock.systemUTC(), Duration.ofMinutes(5), DEFAULT_OVERLAP);
    }

    private static final class Known {
        private final TrainingJobStatus status;
        private final Instant createdAt;
        @CheckForNull
        private final Instant modifiedAt;

        Known(final TrainingJobStatus status, final Instant createdAt, @CheckForNull final Instant modifiedAt) {
            this.status = status;
            this.createdAt = createdAt;
            this.modifiedAt = modifiedAt;
        }
    }

    @Override
    public synchronized Map<String, TrainingJobStatus> read(final Set<String> ids) {
        known.keySet().retainAll(ids);
        List<String> unknown = ids.stream().filter(id -> !known.containsKey(id)).toList();
        boolean hadKnown = !known.isEmpty();
        Instant start = clock.instant();
        boolean listed = false;
        if (unknown.size() > DESCRIBE_LIMIT || fullListDue(start)) {
            list(ids, null, earliestCreation(), start);
            lastFullList = start;
            listed = true;
        }
        for (String id : unknown) {
            if (!known.containsKey(id)) {
                describe(id);
            }
        }
        if (!listed && hadKnown) {
            list(ids, newestModification().orElse(start).minus(overlap), null, start);
        }
        Map<String, TrainingJobStatus> answer = new LinkedHashMap<>();
        for (String id : ids) {
            Known entry = known.get(id);
            if (entry != null) {
                answer.put(id, entry.status);
            }
        }
        return answer;
    }

    private boolean fullListDue(final Instant now) {
        if (known.isEmpty()) {
            return false;
        }
        if (lastFullList == null) {
            lastFullList = now; // start counting from the first job followed
            return false;
        }
        return !now.isBefore(lastFullList.plus(fullRefresh));
    }

    private java.util.Optional<Instant> newestModification() {
        return known.values().stream().map(k -> k.modifiedAt).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo);
    }

    @CheckForNull
    private Instant earliestCreation() {
        return known.values().stream().map(k -> k.createdAt).min(Instant::compareTo)
                .map(t -> t.minusSeconds(1)).orElse(null);
    }

    private void list(final Set<String> ids, @CheckForNull final Instant modifiedAfter,
            @CheckForNull final Instant createdAfter, final Instant start) {
        // SageMaker's name filter is a substring match; a short common prefix filters nothing useful.
        String prefix = commonPrefix(ids);
        String token = null;
        do {
            ListTrainingJobsRequest.Builder request = ListTrainingJobsRequest.builder().maxResults(100)
                    .nextToken(token).lastModifiedTimeAfter(modifiedAfter).creationTimeAfter(createdAfter);
            if (prefix.length() >= 3) {
                request.nameContains(prefix);
            }
            calls.incrementAndGet();
            ListTrainingJobsResponse page = client.listTrainingJobs(request.build());
            for (TrainingJobSummary summary : page.trainingJobSummaries()) {
                if (ids.contains(summary.trainingJobName())) {
                    known.put(summary.trainingJobName(), new Known(TrainingJobStatus.of(
                            summary.trainingJobStatusAsString(), summary.secondaryStatusAsString()),
                            summary.creationTime() == null ? start : summary.creationTime(),
                            summary.lastModifiedTime()));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
    }

    private void describe(final String id) {
        try {
            calls.incrementAndGet();
            DescribeTrainingJobResponse job = client.describeTrainingJob(b -> b.trainingJobName(id));
            known.put(id, new Known(TrainingJobStatus.of(job.trainingJobStatusAsString(),
                    job.secondaryStatusAsString()), job.creationTime() == null ? clock.instant() : job.creationTime(),
                    job.lastModifiedTime()));
        } catch (SageMakerException e) {
            if (!SageMakerErrors.isNotFound(e)) {
                throw e;
            }
            // not (yet) visible: the watcher reports it as not found
        }
    }

    static String commonPrefix(final Set<String> ids) {
        String prefix = null;
        for (String id : ids) {
            if (prefix == null) {
                prefix = id;
            } else {
                int i = 0;
                while (i < prefix.length() && i < id.length() && prefix.charAt(i) == id.charAt(i)) {
                    i++;
                }
                prefix = prefix.substring(0, i);
            }
            if (prefix.isEmpty()) {
                return "";
            }
        }
        return prefix == null ? "" : prefix;
    }

    /** SageMaker calls made so far (lists, pages and describes). */
    public long callCount() {
        return calls.get();
    }

    @Override
    public boolean isTerminal(final TrainingJobStatus status) {
        return status.isTerminal();
    }

    @Override
    public String describe() {
        return "SageMaker training jobs in " + region;
    }
}
