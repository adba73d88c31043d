package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.taskapi.plugin.config.SocketConfig;
import io.taskapi.plugin.socket.GetentUserDirectory;
import io.taskapi.plugin.socket.OwnershipChanger;
import io.taskapi.plugin.socket.PosixOwnershipChanger;
import io.taskapi.plugin.socket.SocketPlacer;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.plugin.socket.UserDirectory;

/** Task sockets: where they are placed, who owns them, and the registry that opens them for drivers. */
final class SocketModule extends AbstractModule {
    private final SocketConfig config;

    SocketModule(SocketConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(SocketConfig.class).toInstance(config);
        bind(UserDirectory.class).to(GetentUserDirectory.class);
        bind(OwnershipChanger.class).to(PosixOwnershipChanger.class);
        bind(GetentUserDirectory.class).in(Singleton.class);
        bind(PosixOwnershipChanger.class).in(Singleton.class);
        bind(SocketPlacer.class).in(Singleton.class);
        bind(TaskSocketRegistry.class).in(Singleton.class);
    }
}
