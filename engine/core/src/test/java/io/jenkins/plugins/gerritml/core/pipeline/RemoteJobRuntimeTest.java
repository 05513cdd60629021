package io.jenkins.plugins.gerritml.core.pipeline;

import io.jenkins.plugins.gerritml.core.util.Backoff;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteJobRuntimeTest {
    /** Review 2.8: a pool thread first started by a Pipeline's CPS thread must not carry the build's loader. */
    @Test
    void shouldGiveItsThreadsItsOwnClassLoaderNotTheSubmittersOne() throws Exception {
        ClassLoader scriptLoader = new URLClassLoader(new URL[0], null);
        CompletableFuture<ClassLoader> seen = new CompletableFuture<>();
        try (RemoteJobRuntime runtime = RemoteJobRuntime.standalone("loader-test", 1,
                Backoff.of(Duration.ofMillis(10), Duration.ofMillis(10)), Clock.systemUTC())) {
            Thread submitter = new Thread(() -> runtime.executor().execute(() -> seen.complete(Thread.currentThread()
                    .getContextClassLoader())));
            submitter.setContextClassLoader(scriptLoader);
            submitter.start();
            submitter.join();

            assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(RemoteJobRuntime.class.getClassLoader())
                    .isNotSameAs(scriptLoader);
        }
    }

    @Test
    void shouldShareOneInstancePerKeyAndCloseItWithTheLastLease() {
        SharedSources sources = new SharedSources();
        int[] closed = {0};
        SharedSources.Lease<StringBuilder> a = sources.acquire("sagemaker|eu-west-1||key:A", StringBuilder.class,
                StringBuilder::new, s -> closed[0]++);
        SharedSources.Lease<StringBuilder> b = sources.acquire("sagemaker|eu-west-1||key:A", StringBuilder.class,
                StringBuilder::new, s -> closed[0]++);
        SharedSources.Lease<StringBuilder> other = sources.acquire("sagemaker|us-east-1||key:A",
                StringBuilder.class, StringBuilder::new, s -> closed[0]++);

        assertThat(a.get()).isSameAs(b.get()).isNotSameAs(other.get());
        a.release();
        a.release();
        assertThat(closed[0]).as("one lease left on the key").isZero();
        b.release();
        assertThat(closed[0]).isEqualTo(1);
        assertThat(sources.size()).isEqualTo(1);
        other.release();
        assertThat(sources.size()).isZero();
    }
}
