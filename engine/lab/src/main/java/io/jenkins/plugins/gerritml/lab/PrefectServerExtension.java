package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.List;

/**
 * Gives tests one {@link PrefectServer} per test JVM, with the example flows served: it starts on first use and
 * stops when the JUnit root context closes. Use with {@code @ExtendWith(PrefectServerExtension.class)} and a
 * {@code PrefectServer} parameter.
 *
 * <p>Because the server and its runner are shared, each test must find them as a fresh one would: before a test
 * the runner must be alive with a free slot (else the test fails with the runner's log, instead of waiting on a run
 * nobody picks up), and after a test every flow run it left going is ended, so no run holds a slot or waits in the
 * queue for the next test.
 */
public final class PrefectServerExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PrefectServerExtension.class);
    private static final Duration CLEAN_UP_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == PrefectServer.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context);
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        PrefectServer server = started(context);
        if (server != null) {
            server.checkRunner();
        }
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        PrefectServer server = started(context);
        if (server != null && server.isRunning()) {
            List<PrefectServer.ActiveFlowRun> ended = server.endActiveFlowRuns(CLEAN_UP_TIMEOUT);
            if (!ended.isEmpty()) {
                System.out.println("[lab] " + context.getDisplayName() + " left " + ended.size()
                        + " Prefect flow run(s) going; ended them: " + ended);
            }
        }
    }

    /** The JVM-wide server, started (with the example flows served) on first call. */
    public static PrefectServer shared(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Resource.class, key -> new Resource(), Resource.class).server;
    }

    private static PrefectServer started(final ExtensionContext context) {
        Resource resource = context.getRoot().getStore(NAMESPACE).get(Resource.class, Resource.class);
        return resource == null ? null : resource.server;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final PrefectServer server = PrefectServer.start().serveExamples();

        @Override
        public void close() {
            server.close();
        }
    }
}
