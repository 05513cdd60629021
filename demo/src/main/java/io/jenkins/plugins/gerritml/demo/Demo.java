package io.jenkins.plugins.gerritml.demo;

import io.jenkins.plugins.gerritml.core.gerrit.ApprovalDecision;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalGate;
import io.jenkins.plugins.gerritml.core.gerrit.ApprovalPolicy;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChange;
import io.jenkins.plugins.gerritml.core.gerrit.GerritChangeFactory;
import io.jenkins.plugins.gerritml.core.gerrit.GerritEventStream;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestClient;
import io.jenkins.plugins.gerritml.core.gerrit.GerritRestConfig;
import io.jenkins.plugins.gerritml.core.gerrit.Review;
import io.jenkins.plugins.gerritml.core.util.Secret;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end demo with embedded defaults: a real Gerrit on loopback, a change pushed by a developer, the build's
 * context from Gerrit's event stream, the approval gate refusing then passing, and CI's vote with links on the change.
 * Run with {@code ./mvnw -B -Pdemo package}; {@code -Ddemo.keepRunning=true} keeps the servers up to look around.
 */
public final class Demo {
    private final PrintStream out;

    private Demo(final PrintStream out) {
        this.out = out;
    }

    public static void main(final String[] args) throws Exception {
        new Demo(System.out).run(Boolean.getBoolean("demo.keepRunning"));
    }

    private void run(final boolean keepRunning) throws Exception {
        step("Starting a real Gerrit " + "3.10.2 on loopback (Maven Central jars, child JVM)");
        long start = System.nanoTime();
        try (GerritServer gerrit = GerritServer.start()) {
            out.printf("   Gerrit at %s (SSH %d): init %.1f s, daemon %.1f s, total %.1f s, RSS %d MiB%n", gerrit.url(),
                    gerrit.sshPort(), gerrit.initTime().toMillis() / 1000.0, gerrit.lastStartTime().toMillis() / 1000.0,
                    (System.nanoTime() - start) / 1e9, gerrit.residentMiB());
            GerritRestClient jenkins = new GerritRestClient(GerritRestConfig.of(gerrit.url(),
                    gerrit.jenkins().username(), Secret.of(gerrit.jenkins().httpPassword())));

            step("Listening to Gerrit's stream-events as the jenkins bot; dana pushes a change to refs/for/master");
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            LabChange change;
            GerritChange context = null;
            try (GerritEventStream stream = GerritEventStream.connect(gerrit.host(), gerrit.sshPort(),
                    gerrit.jenkins().username(), gerrit.jenkinsSshKeyFile(), Secret.empty(), null, events::add,
                    e -> out.println("   stream failed: " + e.getMessage()))) {
                change = gerrit.pushChange(gerrit.dana(), "Raise learning rate to 0.02", Map.of(
                        "train/config.yaml", "learning_rate: 0.02\nepochs: 3\n"));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (context == null && System.nanoTime() < end) {
                    String line = events.poll(1, TimeUnit.SECONDS);
                    if (line != null && line.contains("patchset-created") && line.contains(change.revision())) {
                        context = GerritChangeFactory.fromEventJson(line);
                    }
                }
            }
            if (context == null) {
                throw new IllegalStateException("No patchset-created event arrived for " + change.revision());
            }
            out.printf("   Build context: %s%n   uploader %s, ref %s%n", context, context.getUploader(),
                    context.getRefspec());

            ApprovalPolicy policy = ApprovalPolicy.builder().withGroups(List.of(GerritServer.APPROVERS)).build();
            ApprovalGate gate = new ApprovalGate(jenkins);
            step("Approval gate (" + policy.describe() + ") before anyone reviewed");
            ApprovalDecision before = gate.check(context, policy);
            out.println("   " + before.summary());

            step("dana approves her own change; the gate still refuses");
            gerrit.vote(gerrit.dana(), change, "Code-Review", 2);
            out.println("   " + gate.check(context, policy).summary());

            step("alice (ML Approvers) votes Code-Review+2; the gate reads the live change again");
            gerrit.vote(gerrit.alice(), change, "Code-Review", 2);
            ApprovalDecision after = gate.check(context, policy);
            out.println("   " + after.summary());
            if (!after.isApproved()) {
                throw new IllegalStateException("The demo expected an approval: " + after.summary());
            }

            step("CI posts Verified+1 with links back to the change");
            jenkins.postReview(context, Review.builder().withLabel("Verified", 1)
                    .withMessage("Gerrit ML Pipelines demo: gate passed (" + after.getApprovals().get(0) + ").")
                    .withLink("Build", "http://127.0.0.1/jenkins/job/ml-demo/1/")
                    .withLink("Model artifact", "s3://ml-models/ml-demo/" + change.number() + "/model.tar.gz")
                    .withContext("demo").build());
            var read = gerrit.readChange(change);
            var messages = read.get("messages");
            out.println("   Verified on the change now: " + read.get("labels").get("Verified").get("approved")
                    .get("username").asText() + " +1");
            out.println("   Last message on the change:\n      "
                    + messages.get(messages.size() - 1).get("message").asText().replace("\n", "\n      "));

            step("Where to look");
            out.printf("   curl -s -u admin:secret '%sa/changes/%s~%d?o=DETAILED_LABELS&o=MESSAGES'%n", gerrit.url(),
                    change.project(), change.number());
            if (keepRunning) {
                out.println("   Servers stay up; press Ctrl-C to stop.");
                Thread.currentThread().join();
            } else {
                out.println("   (servers stop now; run with -Ddemo.keepRunning=true to keep them up)");
            }
        }
        out.println("\nDemo finished.");
    }

    private void step(final String text) {
        out.println("\n== " + text);
    }
}
