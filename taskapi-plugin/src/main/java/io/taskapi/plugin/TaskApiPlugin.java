package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.AgentContext;
import io.taskapi.spi.SpiVersion;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import java.time.Clock;

/**
 * The plugin's entry point, registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.taskapi.spi.TaskApiProvider}. Each {@link #start} builds its own injector, so one JVM
 * may run several agents.
 */
public final class TaskApiPlugin implements TaskApiProvider {
    /** The name agents select this provider by. */
    public static final String NAME = "taskapi";

    /** Required by {@link java.util.ServiceLoader}. */
    public TaskApiPlugin() {}

    @Override
    public String name() {
        return NAME;
    }

    /** @return the SPI this plugin was compiled against (javac inlines {@link SpiVersion#COMPILED}) */
    @Override
    public SpiVersion spiVersion() {
        return SpiVersion.parse(SpiVersion.COMPILED);
    }

    @Override
    public TaskApi start(AgentContext context) {
        requireNonNull(context, "context is null");
        // Also checked here, not only by the agent: an agent that forgets must not run a plugin its SPI cannot serve.
        SpiVersion.requireSupported(this);
        TaskApiConfig config = TaskApiConfig.fromMap(context.config());
        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                new TaskApiModule(config, context.state(), Clock.systemUTC(), context.routes()));
        TaskApiServer server = injector.getInstance(TaskApiServer.class);
        server.start();
        return server;
    }
}
