package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.api.TaskExecutor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an agent hands the plugin when it starts it. Built with {@link #builder(AgentState)}. */
public final class AgentContext {
    private final Map<String, String> config;
    private final AgentState state;
    private final List<AgentRoute> routes;
    private final TaskExecutor exec;
    private final Optional<AgentStateIndex> stateIndex;

    private AgentContext(Builder builder) {
        this.config = Map.copyOf(builder.config);
        this.state = builder.state;
        this.routes = List.copyOf(builder.routes);
        this.exec = builder.exec;
        this.stateIndex = Optional.ofNullable(builder.stateIndex);
    }

    /**
     * @param state the agent-side state the plugin reads through
     * @return a builder with no settings and no routes
     */
    public static Builder builder(AgentState state) {
        return new Builder(state);
    }

    /**
     * @return plain string settings, for example {@code identity.audience=nomadproject.io}; unknown keys are rejected
     *     so that a typo never silently weakens security
     */
    public Map<String, String> config() {
        return config;
    }

    /** @return the agent-side state the plugin reads through */
    public AgentState state() {
        return state;
    }

    /** @return routes the agent adds to the API (its jobs, say), served behind the same checks as the plugin's */
    public List<AgentRoute> routes() {
        return routes;
    }

    /**
     * @return how operators run commands in the agent's tasks ({@code alloc exec}); empty if the agent does not offer
     *     it (the route then answers 404). Since SPI 1.2.
     */
    public Optional<TaskExecutor> exec() {
        return Optional.ofNullable(exec);
    }

    /**
     * @return the index of the state the agent's routes serve, which makes the routes that
     *     {@linkplain AgentRoute#blocks() block} wait for its changes; empty when the agent gave none (its routes
     *     answer at once). Since SPI 1.2.
     */
    public Optional<AgentStateIndex> stateIndex() {
        return stateIndex;
    }

    /** Collects an {@link AgentContext}. */
    public static final class Builder {
        private final AgentState state;
        private Map<String, String> config = Map.of();
        private List<AgentRoute> routes = List.of();
        private TaskExecutor exec;
        private AgentStateIndex stateIndex;

        private Builder(AgentState state) {
            this.state = requireNonNull(state, "state is null");
        }

        /**
         * @param config the plugin's settings (copied)
         * @return this builder
         */
        public Builder config(Map<String, String> config) {
            this.config = Map.copyOf(requireNonNull(config, "config is null"));
            return this;
        }

        /**
         * @param routes the agent's own routes (copied)
         * @return this builder
         */
        public Builder routes(List<AgentRoute> routes) {
            this.routes = List.copyOf(requireNonNull(routes, "routes is null"));
            return this;
        }

        /**
         * Lets operators run commands in the agent's tasks ({@code alloc exec}). Optional. Since SPI 1.2.
         *
         * @param exec how operators run commands in the agent's tasks
         * @return this builder
         */
        public Builder exec(TaskExecutor exec) {
            this.exec = requireNonNull(exec, "exec is null");
            return this;
        }

        /**
         * Gives the plugin the index of the state the agent's routes serve, and its changes; see
         * {@link AgentStateIndex} for the contract. Optional: without it no agent route blocks. Since SPI 1.2.
         *
         * @param stateIndex the agent's state index
         * @return this builder
         */
        public Builder stateIndex(AgentStateIndex stateIndex) {
            this.stateIndex = requireNonNull(stateIndex, "stateIndex is null");
            return this;
        }

        /**
         * @return the context
         * @throws IllegalStateException when a route {@linkplain AgentRoute#blocks() blocks} and no
         *     {@linkplain #stateIndex state index} was given: it would wait for changes nobody reports
         */
        public AgentContext build() {
            if (stateIndex == null) {
                for (AgentRoute route : routes) {
                    if (route.blocks()) {
                        throw new IllegalStateException("the agent route " + route.method() + " " + route.path()
                                + " blocks, which needs the agent's state index (AgentContext.Builder.stateIndex)");
                    }
                }
            }
            return new AgentContext(this);
        }
    }
}
