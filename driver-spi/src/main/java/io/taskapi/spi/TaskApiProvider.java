package io.taskapi.spi;

/**
 * The entry point an agent finds with {@link java.util.ServiceLoader} and starts once per agent.
 *
 * <pre>{@code
 * TaskApiProvider provider = ServiceLoader.load(TaskApiProvider.class).findFirst().orElseThrow();
 * SpiVersion.requireSupported(provider);           // a plugin built for a newer SPI refuses to start
 * try (TaskApi api = provider.start(context)) {
 *     // hand `api` to the TaskLaunch of each task; api.release(task) when a task is done for good
 * }
 * }</pre>
 *
 * <p>Implementations must have a public no-argument constructor and do no work until {@link #start}.
 */
public interface TaskApiProvider {
    /**
     * Names this implementation, so that an agent with several on its class path can pick one.
     *
     * @return a short lower-case name such as {@code "taskapi"}
     */
    String name();

    /**
     * The SPI version this implementation was compiled against. Return {@code SpiVersion.parse(SpiVersion.COMPILED)}:
     * the compiler copies that constant into the implementation, so it stays the version it was built with whatever
     * SPI jar is on the agent's class path.
     *
     * @return the SPI version the plugin needs at least
     */
    SpiVersion spiVersion();

    /**
     * Starts the Task API for one agent: its HTTP server and whatever it needs to verify identities.
     *
     * @param context the agent's configuration and state
     * @return the running Task API; closing it closes every task socket it opened
     * @throws IllegalArgumentException if the configuration has an unknown key or an invalid value
     * @throws IllegalStateException if the plugin needs a newer SPI than the one on the class path
     * @throws java.io.UncheckedIOException if the server cannot start
     */
    TaskApi start(AgentContext context);
}
