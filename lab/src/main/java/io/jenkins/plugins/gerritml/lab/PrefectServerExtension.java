package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link PrefectServer} per test JVM, with the example flows served: it starts on first use and
 * stops when the JUnit root context closes. Use with {@code @ExtendWith(PrefectServerExtension.class)} and a
 * {@code PrefectServer} parameter.
 */
public final class PrefectServerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PrefectServerExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == PrefectServer.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context);
    }

    /** The JVM-wide server, started (with the example flows served) on first call. */
    public static PrefectServer shared(final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Resource.class, key -> new Resource(), Resource.class).server;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final PrefectServer server = PrefectServer.start().serveExamples();

        @Override
        public void close() {
            server.close();
        }
    }
}
