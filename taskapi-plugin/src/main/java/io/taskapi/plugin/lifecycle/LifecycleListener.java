package io.taskapi.plugin.lifecycle;

import static java.util.Objects.requireNonNull;

import com.google.inject.spi.ProvisionListener;
import io.taskapi.spi.TaskApi;
import org.eclipse.jetty.server.Server;

/**
 * Registers, as it is created, every instance the injector creates that must be closed: each {@link AutoCloseable},
 * and Jetty's {@link Server} (which stops its connectors and beans with it). An instance registers after its
 * dependencies, so the {@link Lifecycle} closes it before them. Instances the agent passed in are not created by the
 * injector and stay the agent's to close. The {@link TaskApi} itself is not registered: closing it is what closes the
 * lifecycle.
 */
public final class LifecycleListener implements ProvisionListener {
    private final Lifecycle lifecycle;

    /** @param lifecycle where created instances are registered */
    public LifecycleListener(Lifecycle lifecycle) {
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    }

    @Override
    public <T> void onProvision(ProvisionInvocation<T> provision) {
        T instance = provision.provision();
        String name = provision.getBinding().getKey().toString();
        if (instance instanceof TaskApi) {
            return;
        }
        if (instance instanceof AutoCloseable closeable) {
            lifecycle.register(name, closeable);
        } else if (instance instanceof Server server) {
            lifecycle.register(name, server::stop);
        }
    }
}
