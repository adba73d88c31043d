package io.taskapi.testing;

import io.taskapi.spi.TaskApiProvider;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link TaskApiProvider} a {@link TaskApiExtension} starts when the builder names none. */
final class ProviderLookup {
    private ProviderLookup() {}

    static TaskApiProvider findProvider(String name) {
        List<TaskApiProvider> providers = ServiceLoader.load(TaskApiProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no " + TaskApiProvider.class.getName() + " found with ServiceLoader: "
                    + "put a Task API plugin (io.taskapi:taskapi-plugin) on the test class path, or pass one with "
                    + "TaskApiExtension.builder().provider(...)");
        }
        List<String> names = providers.stream().map(TaskApiProvider::name).toList();
        if (name != null) {
            return providers.stream().filter(provider -> provider.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Task API provider named '" + name
                            + "'; found " + names));
        }
        if (providers.size() > 1) {
            throw new IllegalStateException("several Task API providers found " + names
                    + ": choose one with TaskApiExtension.builder().providerName(...)");
        }
        return providers.get(0);
    }

}
