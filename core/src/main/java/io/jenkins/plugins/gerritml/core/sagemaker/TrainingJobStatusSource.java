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
 * (100 per page) filtered to jobs modified since the previous read, named with the watched jobs' common prefix.
 * Jobs that did not change keep their last known status. A job seen for the first time is described once (or, when
 * many arrive together, found by one full list). Every {@code fullRefresh} the time filter is dropped (jobs created
 * since the oldest watched one), so a change the incremental list missed is still noticed.
 *
 * <p>Used by one {@code JobWatcher} group, so {@link #read(Set)} is never called concurrently.
 */
public final class TrainingJobStatusSource implements StatusSource<TrainingJobStatus> {
    /** Above this many unknown jobs one full list is cheaper than describing each. */
    private static final int DESCRIBE_LIMIT = 10;
    /** Local and AWS clocks differ; overlapping windows only return a job twice, which is harmless. */
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    private final SageMakerClient client;
    private final String region;
    private final Clock clock;
    private final Duration fullRefresh;
    private final Map<String, Known> known = new HashMap<>();
    private final AtomicLong calls = new AtomicLong();
    @CheckForNull
    private Instant lastReadStart;
    @CheckForNull
    private Instant lastFullList;

    public TrainingJobStatusSource(final SageMakerClient client, final String region, final Clock clock,
            final Duration fullRefresh) {
        this.client = client;
        this.region = region;
        this.clock = clock;
        this.fullRefresh = fullRefresh;
    }

    public TrainingJobStatusSource(final SageMakerClient client, final String region) {
        this(client, region, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    private static final class Known {
        private final TrainingJobStatus status;
        private final Instant createdAt;

        Known(final TrainingJobStatus status, final Instant createdAt) {
            this.status = status;
            this.createdAt = createdAt;
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
            Instant since = (lastReadStart == null ? start : lastReadStart).minus(OVERLAP);
            list(ids, since, null, start);
        }
        lastReadStart = start; // the cache now reflects SageMaker as of at least this instant
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
                            summary.creationTime() == null ? start : summary.creationTime()));
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
                    job.secondaryStatusAsString()), job.creationTime() == null ? clock.instant() : job.creationTime()));
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
