package io.jenkins.plugins.gerritml.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition of a test until it holds; when the time is up, the test fails saying how long it waited. */
public final class Await {
    private Await() {
    }

    /**
     * Returns once {@code condition} holds, checking it every {@code poll}.
     *
     * @throws AssertionError when it still does not hold after {@code timeout}
     */
    public static void until(final Duration timeout, final Duration poll, final BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
