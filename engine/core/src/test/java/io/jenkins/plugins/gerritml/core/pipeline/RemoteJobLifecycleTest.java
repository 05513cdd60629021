package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.pipeline.LifecycleFakes.Backend;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleFakes.Host;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleFakes.ManualScheduler;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleFakes.Remote;
import io.jenkins.plugins.gerritml.core.pipeline.LifecycleFakes.StepExecutor;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteJobLifecycleTest {
    private final Remote remote = new Remote();
    private final Backend backend = new Backend(remote);
    private final StepExecutor executor = new StepExecutor();
    private final ManualScheduler scheduler = new ManualScheduler();

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    private RemoteJobLifecycle<String> lifecycle(final Host host) {
        return RemoteJobLifecycle.builder(backend, host, executor, scheduler).build();
    }

    private static List<JobPhase> phases(final Host host) {
        List<JobPhase> phases = new ArrayList<>();
        for (JobPlan plan : host.saved) {
            if (phases.isEmpty() || phases.get(phases.size() - 1) != plan.getPhase()) {
                phases.add(plan.getPhase());
            }
        }
        return phases;
    }

    @Test
    void shouldSaveThePlanBeforeCreatingAndCompleteOnceWithTheResultAndTheReview() throws Exception {
        Host host = new Host();
        List<JobPhase> savedWhenCreating = new ArrayList<>();
        backend.duringCreate = () -> savedWhenCreating.add(host.last().getPhase());
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);

        lifecycle.start(LifecycleFakes.plan("job-1"));
        assertThat(host.saved).as("saved by start, on the caller's thread").hasSize(1);
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(savedWhenCreating).containsExactly(JobPhase.CREATING);
        softly.assertThat(phases(host)).containsExactly(JobPhase.PLANNED, JobPhase.CREATING, JobPhase.WAITING,
                JobPhase.DONE);
        softly.assertThat(host.last().getRemoteId()).isEqualTo("job-1");
        softly.assertThat(host.last().isAdopted()).as("created by this plan's call").isFalse();
        softly.assertThat(host.last().getFacts()).containsEntry("url", "http://remote/job-1");
        softly.assertThat(host.last().isReviewPosted()).isTrue();
        softly.assertThat(outcome.getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        softly.assertThat(outcome.getResult()).isEqualTo("Completed");
        softly.assertThat(outcome.reviewFields()).containsEntry("reviewPosted", true).containsEntry("reviewError",
                "");
        softly.assertThat(host.outcomes).hasSize(1);
        softly.assertThat(remote.creates).hasValue(1);
        softly.assertAll();
    }

    @Test
    void shouldAnnounceTheJobOnceItExistsAndNotAgainWhenARestartedHostFollowsIt() throws Exception {
        Host host = new Host();
        host.announceFailure = new IllegalStateException("Gerrit is down");
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-a"));
        executor.runAll();

        assertThat(host.announced).as("with its remote id, once saved as WAITING").containsExactly("job-a WAITING");
        assertThat(host.log).anyMatch(line -> line.equals("Could not tell the review that "
                + host.last().getKind() + " job-a started: Gerrit is down"));
        JobPlan saved = host.crash();

        Host after = new Host();
        lifecycle(after).resume(saved);
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        assertThat(after.announced).as("the review heard of it before the restart").isEmpty();
        assertThat(after.outcome().getStatus()).as("a lost announcement fails nothing")
                .isEqualTo(JobOutcome.Status.SUCCESS);
    }

    /** A restart in each phase: the new lifecycle gets only the plan the old host saved last. */
    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"PLANNED", "CREATING", "WAITING"})
    void shouldResumeFromTheSavedPlanWithExactlyOneRemoteJob(final JobPhase crashIn) throws Exception {
        Host before = new Host();
        Backend dying = new Backend(remote);
        Runnable crash = () -> {
            before.crash();
            dying.dead = true;
        };
        RemoteJobLifecycle<String> first = RemoteJobLifecycle.builder(dying, before, executor, scheduler).build();
        first.start(LifecycleFakes.plan("job-r"));
        if (crashIn == JobPhase.CREATING) {
            dying.duringCreate = crash; // the job exists, the process dies before it saves WAITING
            executor.runAll();
        } else if (crashIn == JobPhase.WAITING) {
            executor.runAll();
            crash.run();
        } else {
            crash.run(); // saved, never launched
            executor.runAll();
        }
        JobPlan saved = before.last();
        assertThat(saved.getPhase()).isEqualTo(crashIn);
        assertThat(before.outcomes).isEmpty();

        Host after = new Host();
        lifecycle(after).resume(saved);
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        JobOutcome<String> outcome = after.outcome();
        assertThat(remote.count()).isEqualTo(1);
        assertThat(remote.creates).hasValue(1);
        assertThat(outcome.getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(outcome.getResult()).isEqualTo("Completed");
        assertThat(after.outcomes).hasSize(1);
        assertThat(after.reviews).as("one vote").hasValue(1);
        assertThat(after.last().getPhase()).isEqualTo(JobPhase.DONE);
    }

    @Test
    void shouldFinishStoppingAfterARestartInTheStoppingPhase() throws Exception {
        Host before = new Host();
        Backend dying = new Backend(remote);
        RemoteJobLifecycle<String> first = RemoteJobLifecycle.builder(dying, before, executor, scheduler).build();
        first.start(LifecycleFakes.plan("job-s"));
        // The abort comes while the create call is in flight; the process dies right after saving STOPPING.
        dying.duringCreate = () -> {
            first.stop("Aborted by alice", new InterruptedException("aborted"));
            before.crash();
            dying.dead = true;
        };
        executor.runAll();
        JobPlan saved = before.last();
        assertThat(saved.getPhase()).isEqualTo(JobPhase.STOPPING);
        assertThat(saved.getRemoteId()).as("saved before the create call returned").isNull();
        assertThat(remote.jobs).containsEntry("job-s", "running");

        Host after = new Host();
        lifecycle(after).resume(saved);
        executor.runAll();

        JobOutcome<String> outcome = after.outcome();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(outcome.getFailure()).isInstanceOf(JobStoppedException.class).hasMessage("Aborted by alice");
        assertThat(remote.stops).as("found by its identity and stopped").hasValue(1);
        assertThat(remote.jobs).containsEntry("job-s", "stopped");
        assertThat(remote.creates).hasValue(1);
        assertThat(after.outcomes).hasSize(1);
    }

    @Test
    void shouldCreateNothingWhenStoppedBeforeTheCreateCall() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-b"));

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(remote.creates).hasValue(0);
        assertThat(remote.count()).isZero();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(outcome.getFailure()).isInstanceOf(InterruptedException.class);
        assertThat(host.outcomes).hasSize(1);
        assertThat(host.last().getPhase()).isEqualTo(JobPhase.DONE);
        assertThat(host.log).anyMatch(line -> line.contains("nothing was created"));
    }

    @Test
    void shouldStopWhatWasCreatedWhenStoppedDuringTheCreateCall() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        backend.duringCreate = () -> lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        lifecycle.start(LifecycleFakes.plan("job-c"));

        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(remote.creates).hasValue(1);
        assertThat(remote.stops).hasValue(1);
        assertThat(remote.jobs).containsEntry("job-c", "stopped");
        assertThat(remote.follows).as("a stopped job is not followed").isEmpty();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(host.outcomes).hasSize(1);
    }

    @Test
    void shouldStopAWaitingJobOnceWhenStoppedTwiceAndIgnoreItsLaterResult() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-w"));
        executor.runAll();

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        lifecycle.stop("Aborted by bob", new InterruptedException("again"));
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(remote.stops).hasValue(1);
        assertThat(host.outcomes).hasSize(1);
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(outcome.getFailure()).hasMessage("aborted");
        assertThat(host.reviews).as("no vote for an aborted build").hasValue(0);
        assertThat(phases(host)).endsWith(JobPhase.STOPPING, JobPhase.DONE);
    }

    @Test
    void shouldAnswerAStopWithWhatTheRemoteEndSaidOrWhyNothingWasStopped() throws Exception {
        Host waitingHost = new Host();
        RemoteJobLifecycle<String> waiting = lifecycle(waitingHost);
        waiting.start(LifecycleFakes.plan("job-s"));
        executor.runAll();
        assertThat(waiting.stopAnswer()).as("no stop asked yet").isNotDone();
        waiting.stop("superseded by patch set 2", new InterruptedException("superseded"));
        executor.runAll();
        assertThat(waiting.stopAnswer()).isCompletedWithValue("asked to stop");

        Host failingHost = new Host();
        RemoteJobLifecycle<String> failing = lifecycle(failingHost);
        failing.start(LifecycleFakes.plan("job-x"));
        executor.runAll();
        backend.dead = true;
        failing.stop("superseded by patch set 2", new InterruptedException("superseded"));
        executor.runAll();
        backend.dead = false;
        assertThat(failing.stopAnswer()).isCompletedExceptionally();
        assertThat(failingHost.log).anyMatch(line -> line.contains("stopping it failed")
                && line.contains("it may still be running"));
        assertThat(failingHost.outcome().getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);

        Host plannedHost = new Host();
        RemoteJobLifecycle<String> planned = lifecycle(plannedHost);
        planned.start(LifecycleFakes.plan("job-p"));
        planned.stop("superseded by patch set 2", new InterruptedException("superseded"));
        executor.runAll();
        assertThat(planned.stopAnswer()).isCompletedWithValue("it was stopped before it was created");

        Host finishedHost = new Host();
        RemoteJobLifecycle<String> finished = lifecycle(finishedHost);
        finished.start(LifecycleFakes.plan("job-f"));
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();
        finished.stop("superseded by patch set 2", new InterruptedException("superseded"));
        assertThat(finished.stopAnswer()).isCompletedWithValue("it had already ended; nothing was stopped");
        assertThat(finishedHost.outcome().getEnding()).isEqualTo(JobOutcome.Ending.FINISHED);
    }

    @Test
    void shouldStopTheJobAndFailWhenTheBackendMissesTheDeadline() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-t"));
        executor.runAll();

        scheduler.fireAll();
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.TIMED_OUT);
        assertThat(outcome.getFailure()).isInstanceOf(JobTimeoutException.class)
                .hasMessageContaining("did not finish by its deadline").hasMessageContaining("asked to stop");
        assertThat(remote.stops).hasValue(1);
        assertThat(remote.follows.get(0)).isCancelled();
    }

    /** The log shown before a restart is not shown again: a resumed follow streams from the moment it resumed. */
    @Test
    void shouldFollowAResumedJobsLogFromTheRestartOn() throws Exception {
        Host before = new Host();
        lifecycle(before).start(LifecycleFakes.plan("job-log"));
        executor.runAll();
        assertThat(remote.followed.get(0).getFacts()).as("a first follow streams the whole log")
                .doesNotContainKey(JobPlan.LOGS_FROM);

        LifecycleFakes.ManualClock clock = new LifecycleFakes.ManualClock();
        RemoteJobLifecycle.builder(backend, new Host(), executor, scheduler).withClock(clock).build()
                .resume(before.crash());
        executor.runAll();

        assertThat(remote.followed.get(1).getFacts()).containsEntry(JobPlan.LOGS_FROM, clock.instant().toString());
    }

    /** A new patch set stops the job as an abort would, and the neutral message gets the remote end's answer. */
    @Test
    void shouldStopForTheReviewAndHandBackTheRemoteAnswer() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-ps2"));
        executor.runAll();
        java.util.List<String> sentences = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<String> answer = stopper.submit(() -> lifecycle.stopForReview(
                    "flow run calm-fox", "superseded by patch set 3", sentence -> {
                        sentences.add(sentence);
                        return new InterruptedException(sentence);
                    }, Duration.ofSeconds(30)));
            while (!answer.isDone()) {
                executor.runAll();
                Thread.sleep(10);
            }
            assertThat(answer.get()).isEqualTo("asked to stop");
        } finally {
            stopper.shutdownNow();
        }
        JobOutcome<String> outcome = host.outcome();
        assertThat(sentences).containsExactly("Superseded by patch set 3: flow run calm-fox stopped");
        assertThat(host.log).contains("Superseded by patch set 3: stopping flow run calm-fox");
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(remote.jobs).containsEntry("job-ps2", "stopped");
    }

    @Test
    void shouldSayNoAnswerCameWhenTheRemoteEndIsSlowerThanThePatience() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-slow"));
        executor.runAll();

        // the executor is not run: the stop call never gets its turn
        String answer = lifecycle.stopForReview("training job t1", "change abandoned", InterruptedException::new,
                Duration.ofSeconds(1));

        assertThat(answer).isEqualTo("stop asked; no answer within 1 s");
        executor.runAll();
        assertThat(remote.stops).hasValue(1);
    }

    /** A create that timed out on a stalled server had made the job: it is found once the server answers. */
    @Test
    void shouldFollowTheJobACreateMadeWhenItsAnswerWasLostAndTheServerAnswersLater() throws Exception {
        Host host = new Host();
        backend.createAnswerLost = true;
        backend.duringCreate = () -> backend.unansweredFinds.set(3); // the server stalls while creating
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-lost"));
        executor.runAll();
        assertThat(host.outcomes).as("not failed while the server does not answer").isEmpty();

        for (int i = 0; i < 3; i++) {
            scheduler.fireNext();
            executor.runAll();
        }
        remote.finish("Completed");
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(outcome.getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        softly.assertThat(remote.creates).hasValue(1);
        softly.assertThat(remote.follows).hasSize(1);
        softly.assertThat(host.last().getRemoteId()).isEqualTo("job-lost");
        softly.assertThat(host.last().isAdopted()).as("found, so reviewers hear it was re-attached").isTrue();
        softly.assertThat(host.log).anyMatch(line -> line.contains("whether it was created cannot be read yet"))
                .anyMatch(line -> line.contains("but the job exists: following it"));
        softly.assertAll();
    }

    @Test
    void shouldStopTheJobALostCreateMadeWhenTheBuildIsAbortedWhileItIsLookedFor() throws Exception {
        Host host = new Host();
        backend.createAnswerLost = true;
        backend.duringCreate = () -> backend.unansweredFinds.set(2);
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-orphan"));
        executor.runAll();

        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        executor.runAll();
        assertThat(host.outcomes).as("the abort waits until it is known what to stop").isEmpty();
        while (scheduler.fireNext()) {
            executor.runAll();
        }

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.STOPPED);
        assertThat(remote.jobs).containsEntry("job-orphan", "stopped");
        assertThat(remote.stops).hasValue(1);
        assertThat(remote.follows).isEmpty();
        assertThat(lifecycle.stopAnswer()).isCompletedWithValue("asked to stop");
    }

    @Test
    void shouldFailAtOnceWithTheCreatesErrorWhenTheServerSaysNothingWasMade() throws Exception {
        Host host = new Host();
        backend.createRefused = new IllegalArgumentException("ValidationException: bad instance type");
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-refused"));
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.FAILED);
        assertThat(outcome.getFailure()).isSameAs(backend.createRefused);
        assertThat(scheduler.ticks).as("nothing to look for again").isEmpty();
        assertThat(remote.count()).isZero();
    }

    @Test
    void shouldFailSayingTheJobMayExistWhenTheServerStaysSilentPastTheSettleWindow() throws Exception {
        Host host = new Host();
        LifecycleFakes.ManualClock clock = new LifecycleFakes.ManualClock();
        backend.createAnswerLost = true;
        backend.duringCreate = () -> backend.unansweredFinds.set(Integer.MAX_VALUE);
        RemoteJobLifecycle<String> lifecycle = RemoteJobLifecycle.builder(backend, host, executor, scheduler)
                .withSettleWindow(Duration.ofMinutes(2)).withClock(clock).build();
        lifecycle.start(LifecycleFakes.plan("job-silent"));
        executor.runAll();

        for (int i = 0; i < 20 && host.outcomes.isEmpty(); i++) {
            clock.advance(Duration.ofSeconds(15));
            scheduler.fireNext();
            executor.runAll();
        }

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getEnding()).isEqualTo(JobOutcome.Ending.FAILED);
        assertThat(outcome.getMessage()).contains("could not be read within 120 s")
                .contains("it may exist under job-silent: look for it there");
        assertThat(outcome.getPlan().getRemoteId()).isNull();
        assertThat(host.saved).as("the last saved plan before DONE still says the create was under way")
                .anyMatch(plan -> plan.getPhase() == JobPhase.CREATING);
    }

    /** Watcher result, timeout and stop fired together, many times: one completion each time. */
    @Test
    void shouldCompleteExactlyOnceWhateverRacesBetweenResultTimeoutAndStop() throws Exception {
        int rounds = 300;
        EnumSet<JobOutcome.Ending> seen = EnumSet.noneOf(JobOutcome.Ending.class);
        for (int round = 0; round < rounds; round++) {
            Remote jobs = new Remote();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            ManualScheduler ticks = new ManualScheduler();
            ExecutorService racers = Executors.newFixedThreadPool(3);
            try {
                Host host = new Host();
                RemoteJobLifecycle<String> lifecycle = RemoteJobLifecycle.builder(new Backend(jobs), host, pool,
                        ticks).build();
                lifecycle.start(LifecycleFakes.plan("job-" + round));
                while (ticks.ticks.isEmpty() && !lifecycle.isCompleted()) {
                    Thread.onSpinWait(); // until the job is followed and its timeout armed
                }
                CountDownLatch go = new CountDownLatch(1);
                racers.execute(() -> await(go, () -> jobs.finish("Completed")));
                racers.execute(() -> await(go, ticks::fireAll));
                racers.execute(() -> await(go, () -> lifecycle.stop("Aborted", new InterruptedException("x"))));
                go.countDown();
                JobOutcome<String> outcome = host.outcome();
                racers.shutdown();
                assertThat(racers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                assertThat(host.outcomes).as("round " + round).hasSize(1);
                assertThat(jobs.stops.get()).as("round " + round).isLessThanOrEqualTo(1);
                assertThat(host.reviews.get()).as("a vote only for a finished job, round " + round)
                        .isEqualTo(outcome.getEnding() == JobOutcome.Ending.FINISHED ? 1 : 0);
                seen.add(outcome.getEnding());
            } finally {
                pool.shutdownNow();
                racers.shutdownNow();
                ticks.shutdownNow();
            }
        }
        System.out.println("Completion race: " + rounds + " rounds, endings seen " + seen);
        assertThat(seen).isNotEmpty();
    }

    private static void await(final CountDownLatch go, final Runnable action) {
        try {
            go.await();
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldFailTheStepInsteadOfHangingWhenTheBackendThrowsAnError() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = RemoteJobLifecycle.builder(new Backend(remote) {
            @Override
            public java.util.concurrent.CompletableFuture<String> follow(final JobPlan plan,
                    final java.util.function.Consumer<String> log) {
                throw new NoClassDefFoundError("software/amazon/awssdk/Missing");
            }
        }, host, executor, scheduler).build();
        lifecycle.start(LifecycleFakes.plan("job-e"));

        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getStatus()).isEqualTo(JobOutcome.Status.FAILURE);
        assertThat(outcome.getFailure()).isInstanceOf(NoClassDefFoundError.class);
        assertThat(host.outcomes).hasSize(1);
    }

    @Test
    void shouldRefuseAWrongKindOfGerritCredentialBeforeCreatingAnything() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = RemoteJobLifecycle.builder(backend, host, executor, scheduler)
                .withCredentialChecks(List.of(CredentialCheck.of("gerritCredentialsId (Gerrit REST)", "aws-moto",
                        List.of(CredentialCheck.Kind.USERNAME_PASSWORD), CredentialCheck.Kind.AWS_KEYS,
                        "AWSCredentialsImpl"))).build();
        lifecycle.start(LifecycleFakes.plan("job-k"));

        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(remote.creates).hasValue(0);
        assertThat(remote.finds).as("not even a read").hasValue(0);
        assertThat(outcome.getFailure()).isInstanceOf(PreflightException.class).hasMessage("Nothing was created: "
                + "gerritCredentialsId (Gerrit REST): credential 'aws-moto' is of type AWS "
                + "Credentials (AWSCredentialsImpl), but this needs type Username with password.");
        assertThat(phases(host)).containsExactly(JobPhase.PLANNED, JobPhase.DONE);
    }

    @Test
    void shouldCreateNothingWhenACheckOfTheRunRefusesIt() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = RemoteJobLifecycle.builder(backend, host, executor, scheduler)
                .withRunChecks(List.of(java.util.Optional::empty,
                        () -> java.util.Optional.of("dataset s3://x/ is allowed only for members of Data Stewards")))
                .build();
        lifecycle.start(LifecycleFakes.plan("job-policy"));
        executor.runAll();

        JobOutcome<String> outcome = host.outcome();
        assertThat(outcome.getFailure()).isInstanceOf(PreflightException.class)
                .hasMessage("Nothing was created: dataset s3://x/ is allowed only for members of Data Stewards");
        assertThat(remote.finds).hasValue(0);
        assertThat(remote.creates).hasValue(0);
    }

    @Test
    void shouldFailOrMarkUnstableWhenTheReviewIsLostAsTheHostChooses() throws Exception {
        Host failing = new Host();
        failing.reviewFailure = new IllegalStateException("Gerrit answered 503 five times");
        RemoteJobLifecycle<String> strict = lifecycle(failing);
        strict.start(LifecycleFakes.plan("job-v1"));
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        Host lenient = new Host();
        lenient.review = ReviewDelivery.lost("Gerrit answered 403: not allowed to vote Verified");
        RemoteJobLifecycle<String> unstable = RemoteJobLifecycle.builder(backend, lenient, executor, scheduler)
                .withLostReview(LostReviewPolicy.UNSTABLE).build();
        unstable.start(LifecycleFakes.plan("job-v2"));
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        JobOutcome<String> failed = failing.outcome();
        JobOutcome<String> marked = lenient.outcome();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(failed.getStatus()).isEqualTo(JobOutcome.Status.FAILURE);
        softly.assertThat(failed.getFailure()).isInstanceOf(JobFailedException.class)
                .hasMessage("The job ended: Completed. The review could not be posted: Gerrit answered 503 five "
                        + "times");
        softly.assertThat(failed.getResult()).isEqualTo("Completed");
        softly.assertThat(failed.reviewFields()).containsEntry("reviewPosted", false)
                .containsEntry("reviewError", "Gerrit answered 503 five times");
        softly.assertThat(marked.getStatus()).isEqualTo(JobOutcome.Status.UNSTABLE);
        softly.assertThat(marked.getFailure()).isNull();
        softly.assertThat(marked.getMessage()).endsWith("not allowed to vote Verified");
        softly.assertThat(lenient.log).anyMatch(line -> line.contains("could not be posted"));
        softly.assertAll();
    }

    @Test
    void shouldFailAPropagatingStepWhenTheJobFailsAndReturnItOtherwise() throws Exception {
        Host propagating = new Host();
        lifecycle(propagating).start(LifecycleFakes.plan("job-f1"));
        Host returning = new Host();
        RemoteJobLifecycle.builder(backend, returning, executor, scheduler).withPropagate(false).build()
                .start(LifecycleFakes.plan("job-f2"));
        executor.runAll();
        remote.finish("Failed: out of memory");
        executor.runAll();

        assertThat(propagating.outcome().getStatus()).isEqualTo(JobOutcome.Status.FAILURE);
        assertThat(propagating.outcome().getFailure()).hasMessage("The job ended: Failed: out of memory.");
        assertThat(returning.outcome().getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(returning.outcome().getResult()).isEqualTo("Failed: out of memory");
    }

    @Test
    void shouldCreateNothingWhenThePlanCannotBeSaved() throws Exception {
        Host host = new Host() {
            @Override
            public void save(final JobPlan plan) {
                if (plan.getPhase() == JobPhase.CREATING) {
                    throw new IllegalStateException("disk full");
                }
                super.save(plan);
            }
        };
        lifecycle(host).start(LifecycleFakes.plan("job-d"));
        executor.runAll();

        assertThat(host.outcome().getFailure()).hasMessageContaining("disk full");
        assertThat(remote.creates).hasValue(0);
    }

    @Test
    void shouldNotPostTheReviewAgainWhenResumedAfterItWasPosted() throws Exception {
        Host before = new Host();
        lifecycle(before).start(LifecycleFakes.plan("job-p"));
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();
        JobPlan posted = before.saved.stream().filter(JobPlan::isReviewPosted).findFirst().orElseThrow();
        remote.follows.clear();

        Host after = new Host();
        lifecycle(after).resume(posted);
        executor.runAll();
        remote.finish("Completed");
        executor.runAll();

        assertThat(after.outcome().getStatus()).isEqualTo(JobOutcome.Status.SUCCESS);
        assertThat(after.reviews).hasValue(0);
        assertThat(after.outcome().getReview().getStatus()).isEqualTo(ReviewDelivery.Status.POSTED);
    }

    @Test
    void shouldSayWhatIsAwaitedInEachPhase() throws Exception {
        Host host = new Host();
        RemoteJobLifecycle<String> lifecycle = lifecycle(host);
        lifecycle.start(LifecycleFakes.plan("job-st"));
        String planned = lifecycle.status();
        executor.runAll();
        String waiting = lifecycle.status();
        lifecycle.stop("Aborted by alice", new InterruptedException("aborted"));
        String stopping = lifecycle.status();

        assertThat(planned).isEqualTo("about to create test job job-st");
        assertThat(waiting).startsWith("waiting for test job job-st, until ").endsWith(": http://remote/job-st");
        assertThat(stopping).startsWith("stopping test job job-st (Aborted by alice)");
    }
}
