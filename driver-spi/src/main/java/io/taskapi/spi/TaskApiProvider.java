package io.taskapi.spi;

/**
 * The entry point an agent finds with {@link java.util.ServiceLoader} and starts once per agent.
 *
 * <pre>{@code
 * TaskApiProvider provider = ServiceLoader.load(TaskApiProvider.class).findFirst().orElseThrow();
 * try (TaskApi api = provider.start(new AgentContext(config, state))) {
 *     SocketMount mount = api.openSocket(request);   // on task prestart
 *     ...
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
     * Starts the Task API for one agent: its HTTP server and whatever it needs to verify identities.
     *
     * @param context the agent's configuration and state
     * @return the running Task API; closing it closes every task socket it opened
     * @throws IllegalArgumentException if the configuration has an unknown key or an invalid value
     * @throws java.io.UncheckedIOException if the server cannot start
     */
    TaskApi start(AgentContext context);
}
