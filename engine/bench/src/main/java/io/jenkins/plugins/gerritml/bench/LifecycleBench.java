package io.jenkins.plugins.gerritml.bench;

import io.jenkins.plugins.gerritml.core.pipeline.JobOutcome;
import io.jenkins.plugins.gerritml.core.pipeline.JobPhase;
import io.jenkins.plugins.gerritml.core.pipeline.JobPlan;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleHost;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobLifecycle;
import io.jenkins.plugins.gerritml.core.pipeline.RemoteJobRuntime;
import io.jenkins.plugins.gerritml.core.pipeline.ReviewDelivery;
import io.jenkins.plugins.gerritml.core.pipeline.SharedSources;
import io.jenkins.plugins.gerritml.core.sagemaker.SageMakerTrainer;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingContext;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobBackend;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingJobStatusSource;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingResult;
import io.jenkins.plugins.gerritml.core.sagemaker.TrainingSpec;
import io.jenkins.plugins.gerritml.core.util.Backoff;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTrainingJobsResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.StopTrainingJobRequest;
import software.amazon.awssdk.services.sagemaker.model.StopTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N = 200 {@code sagemakerTrain}-like waits on one AWS account through the core lifecycle: one
 * {@link RemoteJobRuntime} (one scheduler thread, a bounded executor), each wait its own trainer and lifecycle,
 * all on one shared status source, against an in-process SageMaker (the SDK's client interface, so no network
 * noise) whose jobs run for a while, then complete. Prints SageMaker list/describe calls per poll interval, threads
 * used, heap per wait, and the same with one status source per wait (what the plugin did before). Figures, no
 * assertions. The shared source lists in pages of 100 and looks 10 s behind the newest change it saw, so 200 jobs
 * created within seconds of each other cost two list pages per interval.
 *
 * <p>Run: {@code ./mvnw -B -Pbench -Dbench=LifecycleBench -pl bench -am verify}
 */
public final class LifecycleBench {
    private static final int WAITS = 200;
    private static final int EXECUTOR_THREADS = 8;
    /** Poll interval: 100 ms to 1 s, scaled down from 1 s / 15 s so a run takes seconds. */
    private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));
    /** Longer than the status source's 10 s look-back, so the steady state lists only what changed. */
    private static final Duration JOB_RUNS = Duration.ofSeconds(30);
    private static final Duration MEASURE = Duration.ofSeconds(5);

    private LifecycleBench() {
    }

    /** SageMaker in memory: jobs complete {@link #JOB_RUNS} after creation; every call is counted. */
    static final class InMemorySageMaker implements SageMakerClient {
        final Map<String, Instant> created = new ConcurrentHashMap<>();
        final Map<String, Instant> stopped = new ConcurrentHashMap<>();
        final AtomicLong creates = new AtomicLong();
        final AtomicLong describes = new AtomicLong();
        final AtomicLong lists = new AtomicLong();

        private String status(final String name, final Instant now) {
            if (stopped.containsKey(name)) {
                return "Stopped";
            }
            return now.isBefore(created.get(name).plus(JOB_RUNS)) ? "InProgress" : "Completed";
        }

        private Instant modified(final String name, final Instant now) {
            Instant done = created.get(name).plus(JOB_RUNS);
            return now.isBefore(done) ? created.get(name) : done;
        }

        @Override
        public CreateTrainingJobResponse createTrainingJob(final CreateTrainingJobRequest request) {
            creates.incrementAndGet();
            created.putIfAbsent(request.trainingJobName(), Instant.now());
            return CreateTrainingJobResponse.builder().trainingJobArn(arn(request.trainingJobName())).build();
        }

        @Override
        public DescribeTrainingJobResponse describeTrainingJob(final DescribeTrainingJobRequest request) {
            describes.incrementAndGet();
            String name = request.trainingJobName();
            if (!created.containsKey(name)) {
                throw (ResourceNotFoundException) ResourceNotFoundException.builder().message("Could not find "
                        + "requested job with name " + name).statusCode(400)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("ValidationException").errorMessage("Could not find requested job")
                                .build()).build();
            }
            Instant now = Instant.now();
            String status = status(name, now);
            return DescribeTrainingJobResponse.builder().trainingJobName(name).trainingJobArn(arn(name))
                    .trainingJobStatus(status).secondaryStatus("InProgress".equals(status) ? "Training" : status)
                    .creationTime(created.get(name)).lastModifiedTime(modified(name, now)).build();
        }

        @Override
        public ListTrainingJobsResponse listTrainingJobs(final ListTrainingJobsRequest request) {
            lists.incrementAndGet();
            Instant now = Instant.now();
            List<TrainingJobSummary> all = new ArrayList<>();
            created.keySet().stream().sorted(Comparator.naturalOrder()).forEach(name -> {
                Instant modifiedAt = modified(name, now);
                if ((request.lastModifiedTimeAfter() == null || modifiedAt.isAfter(request.lastModifiedTimeAfter()))
                        && (request.creationTimeAfter() == null || created.get(name)
                        .isAfter(request.creationTimeAfter()))
                        && (request.nameContains() == null || name.contains(request.nameContains()))) {
                    String status = status(name, now);
                    all.add(TrainingJobSummary.builder().trainingJobName(name).trainingJobArn(arn(name))
                            .trainingJobStatus(status).secondaryStatus("InProgress".equals(status) ? "Training" : status)
                            .creationTime(created.get(name))
                            .lastModifiedTime(modifiedAt).build());
                }
            });
            int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
            int to = Math.min(all.size(), from + 100);
            return ListTrainingJobsResponse.builder().trainingJobSummaries(all.subList(from, to))
                    .nextToken(to < all.size() ? Integer.toString(to) : null).build();
        }

        @Override
        public StopTrainingJobResponse stopTrainingJob(final StopTrainingJobRequest request) {
            stopped.put(request.trainingJobName(), Instant.now());
            return StopTrainingJobResponse.builder().build();
        }

        private static String arn(final String name) {
            return "arn:aws:sagemaker:eu-west-1:123456789012:training-job/" + name;
        }

        @Override
        public String serviceName() {
            return "sagemaker";
        }

        @Override
        public void close() {
        }
    }

    /** The least a host does: keep the plan, count outcomes. */
    static final class CountingHost implements LifecycleHost<TrainingResult> {
        volatile JobPlan plan;
        final CountDownLatch done;
        final AtomicInteger completions;

        CountingHost(final CountDownLatch done, final AtomicInteger completions) {
            this.done = done;
            this.completions = completions;
        }

        @Override
        public void save(final JobPlan saved) {
            plan = saved;
        }

        @Override
        public void log(final String line) {
        }

        @Override
        public void completed(final JobOutcome<TrainingResult> outcome) {
            completions.incrementAndGet();
            done.countDown();
        }

        @Override
        public ReviewDelivery review(final TrainingResult result) {
            return ReviewDelivery.notRequested();
        }
    }

    public static void main(final String[] args) throws Exception {
        System.out.println("LifecycleBench: " + WAITS + " concurrent training-job waits on one account, Java "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        run(true, 20, false); // warm-up: classes, JIT and the SDK's caches, so the heap figures are per wait
        run(true, WAITS, true);
        run(false, WAITS, true);
    }

    private static void run(final boolean shared, final int waits, final boolean print) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        InMemorySageMaker sageMaker = new InMemorySageMaker();
        long heapBefore = usedHeapAfterGc(memory);
        int threadsBefore = threads.getThreadCount();
        CountDownLatch done = new CountDownLatch(waits);
        AtomicInteger completions = new AtomicInteger();
        List<CountingHost> hosts = new ArrayList<>();
        List<RemoteJobLifecycle<TrainingResult>> lifecycles = new ArrayList<>();
        try (RemoteJobRuntime runtime = RemoteJobRuntime.standalone("bench", EXECUTOR_THREADS, BACKOFF,
                Clock.systemUTC())) {
            SharedSources.Lease<TrainingJobStatusSource> source = runtime.sources().acquire("sagemaker|eu-west-1||key:"
                    + "AKIABENCH", TrainingJobStatusSource.class, () -> new TrainingJobStatusSource(sageMaker,
                    "eu-west-1"), s -> { });
            TrainingSpec spec = TrainingSpec.builder().withTrainingImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/"
                    + "bench:1").withRoleArn("arn:aws:iam::123456789012:role/Bench")
                    .withInputChannel("train", "s3://bench-data/train/", "text/csv")
                    .withOutputPath("s3://bench-models/out").withInstanceType("ml.m5.xlarge")
                    .withMaxRuntime(Duration.ofHours(1)).build();
            for (int i = 0; i < waits; i++) {
                SageMakerTrainer.Builder trainer = SageMakerTrainer.builder(sageMaker, null, "eu-west-1")
                        .withWatcher(runtime.watcher(), runtime.scheduler()).withExecutor(runtime.executor());
                if (shared) {
                    trainer.withStatusSource(source.get());
                }
                CountingHost host = new CountingHost(done, completions);
                RemoteJobLifecycle<TrainingResult> lifecycle = RemoteJobLifecycle.builder(
                        new TrainingJobBackend(trainer.build()), host, runtime.executor(), runtime.scheduler())
                        .build();
                TrainingContext context = TrainingContext.builder().withProject("ml/bench").withChange(1000 + i, 1)
                        .withRevision("4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d").withJob("bench/pipeline-" + (i % 4))
                        .withBuild(i + 1, null).build();
                lifecycle.start(TrainingJobBackend.plan(spec, context));
                hosts.add(host);
                lifecycles.add(lifecycle);
            }
            while (hosts.stream().anyMatch(h -> h.plan == null || h.plan.getPhase() != JobPhase.WAITING)) {
                Thread.sleep(20);
            }
            Thread.sleep(12_000); // past the look-back, and every group at its capped interval
            long heapWaiting = usedHeapAfterGc(memory);
            int threadsWaiting = threads.getThreadCount();
            long reads0 = runtime.watcher().readCount();
            long lists0 = sageMaker.lists.get();
            long describes0 = sageMaker.describes.get();
            Thread.sleep(MEASURE.toMillis());
            long reads = runtime.watcher().readCount() - reads0;
            long lists = sageMaker.lists.get() - lists0;
            long describes = sageMaker.describes.get() - describes0;
            boolean allDone = done.await(2, TimeUnit.MINUTES);
            source.release();
            if (!print) {
                return;
            }

            System.out.printf("%n== %s ==%n", shared ? "one shared status source for the account (the lifecycle)"
                    : "one status source per wait (as each sagemakerTrain had before)");
            System.out.printf("waits:                          %d, each completed %s (%d completions)%n", waits,
                    allDone && completions.get() == waits ? "exactly once" : "NOT once", completions.get());
            System.out.printf("CreateTrainingJob calls:        %d%n", sageMaker.creates.get());
            System.out.printf("threads used:                   %d (JVM threads %d -> %d; 1 scheduler + at most %d "
                    + "for remote calls)%n", threadsWaiting - threadsBefore, threadsBefore, threadsWaiting,
                    EXECUTOR_THREADS);
            System.out.printf("heap per wait:                  %,d bytes (%,.1f MiB for all, after GC)%n",
                    (heapWaiting - heapBefore) / waits, (heapWaiting - heapBefore) / 1048576.0);
            double intervals = Math.max(1, reads / (double) (shared ? 1 : waits));
            System.out.printf("steady state, %.0f s:             %d batched reads (%d per interval: one per source)%n",
                    (double) MEASURE.toSeconds(), reads, shared ? 1 : waits);
            System.out.printf("list calls per poll interval:   %.2f (ListTrainingJobs %d, DescribeTrainingJob %d over "
                    + "%.0f intervals)%n", (lists + describes) / intervals, lists, describes, intervals);
            lifecycles.clear();
        }
    }

    private static long usedHeapAfterGc(final MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
