package io.jenkins.plugins.gerritml.lab;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a {@link MotoServer}: one per test JVM (root store), started on first use and
 * stopped when the run ends. Tests call {@link MotoServer#reset()} or use unique names to stay independent.
 */
public final class MotoLab implements ParameterResolver {
    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context);
    }

    /** The run's shared server. */
    public static MotoServer shared(final ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(MotoLab.class))
                .getOrComputeIfAbsent("server", key -> {
                    MotoServer server = MotoServer.start();
                    System.out.println("[lab] " + server + " ready in " + server.startTime().toMillis() + " ms, RSS "
                            + server.residentMiB() + " MiB");
                    return new Resource(server);
                }, Resource.class).server;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final MotoServer server;

        Resource(final MotoServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
