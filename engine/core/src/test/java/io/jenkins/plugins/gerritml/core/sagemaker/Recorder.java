package io.jenkins.plugins.gerritml.core.sagemaker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@link TrainingListener} that keeps everything it is told, for assertions. */
final class Recorder implements TrainingListener {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> statuses = new CopyOnWriteArrayList<>();
    final List<String> logs = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(final String message) {
        messages.add(message);
    }

    @Override
    public void onStatus(final String jobName, final TrainingJobStatus status) {
        statuses.add(status.toString());
    }

    @Override
    public void onLog(final String line) {
        logs.add(line);
    }

    String everything() {
        return String.join("\n", messages) + "\n" + String.join("\n", statuses) + "\n" + String.join("\n", logs);
    }

    static void waitFor(final BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
