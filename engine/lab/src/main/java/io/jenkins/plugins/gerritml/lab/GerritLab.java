package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a {@link GerritServer}: one per test JVM, started on first use and stopped when
 * the run ends (root store), so every integration test class shares one ≈10 s start. Classes marked
 * {@link OnNewerGerrit} get the newer Gerrit line's shared server instead.
 */
public final class GerritLab implements ParameterResolver {
    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == GerritServer.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return context.getTestClass().map(type -> type.isAnnotationPresent(OnNewerGerrit.class)).orElse(false)
                ? sharedNewer(context) : shared(context);
    }

    /** The run's shared server of the newer Gerrit line, started on first use (on its own Java 21+ JDK). */
    public static GerritServer sharedNewer(final ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(GerritLab.class))
                .getOrComputeIfAbsent("newer-server", key -> new Resource(GerritServer.start(GerritServer.Line.newer())),
                        Resource.class).server;
    }

    /** The run's shared server. */
    public static GerritServer shared(final ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(GerritLab.class))
                .getOrComputeIfAbsent("server", key -> new Resource(GerritServer.start()), Resource.class).server;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final GerritServer server;

        Resource(final GerritServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
