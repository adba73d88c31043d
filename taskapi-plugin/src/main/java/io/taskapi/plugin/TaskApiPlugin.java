package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.plugin.state.StateStores;
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
        Clock clock = Clock.systemUTC();
        Lifecycle lifecycle = new Lifecycle();
        try {
            // The start step, in order: open the state, build the object graph (which opens nothing), start serving.
            EmbeddedState embedded = new EmbeddedState(config.state().dataDir(), clock);
            lifecycle.register("the embedded state", embedded);
            StateStores stores = StateStores.open(context.state(), embedded);
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    new TaskApiModule(config, context.state(), stores, clock, context.routes(),
                            context.stateIndex(), context.exec(), lifecycle));
            TaskApiServer server = injector.getInstance(TaskApiServer.class);
            server.start();
            return server;
        } catch (RuntimeException | Error e) {
            lifecycle.close();
            throw e;
        }
    }
}
