package io.taskapi.testing;

import static io.taskapi.testing.TaskApiExtension.DATA_DIR_KEY;
import static io.taskapi.testing.TaskApiExtension.LINK_DIR_KEY;

import io.taskapi.spi.AgentContext;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.SpiVersion;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.api.TaskExecutor;
import io.taskapi.spi.state.NodeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link TaskApiExtension} has between start and stop: its directories, issuer, state, and the started
 * Task API, plus what to close with it.
 */
record RunningApi(Path root, Path linkDir, Path dataDir, Map<String, String> config, TestingIdentityIssuer issuer,
                  TestingAgentState state, TaskApiProvider provider, TaskApi api, List<AutoCloseable> closeables) {

    /**
     * Makes the directories and state and starts the provider.
     *
     * @param nodes the test's node registry, or null for the in-memory one
     * @param stateIndex the agent's state index, or null for none
     * @throws UncheckedIOException when the directories cannot be made
     */
    static RunningApi start(Map<String, String> config, TaskApiProvider provider, Clock clock, NodeRegistry nodes,
                            boolean embeddedStores, List<AgentRoute> routes, AgentStateIndex stateIndex,
                            TaskExecutor exec) {
        Path root = FixtureFiles.createRoot();
        try {
            Map<String, String> effective = new HashMap<>(config);
            Path linkDir;
            if (effective.containsKey(LINK_DIR_KEY)) {
                linkDir = Path.of(effective.get(LINK_DIR_KEY));
            } else {
                linkDir = root.resolve("links");
                Files.createDirectory(linkDir);
                Files.setPosixFilePermissions(linkDir, FixtureFiles.PRIVATE_DIR_MODE);
                effective.put(LINK_DIR_KEY, linkDir.toString());
            }
            // Not made here: the plugin makes it 0700 and refuses one that others can use.
            Path dataDir = Path.of(effective.computeIfAbsent(DATA_DIR_KEY, key -> root.resolve("data").toString()));
            TestingIdentityIssuer issuer = TestingIdentityIssuer.create(clock);
            TestingAgentState state = TestingAgentState.forIssuer(issuer);
            SpiVersion.requireSupported(provider);
            AgentContext.Builder context = AgentContext.builder(agentState(state, nodes, embeddedStores))
                    .config(effective).routes(routes);
            if (stateIndex != null) {
                context.stateIndex(stateIndex);
            }
            if (exec != null) {
                context.exec(exec);
            }
            TaskApi api = provider.start(context.build());
            return new RunningApi(root, linkDir, dataDir, Map.copyOf(effective), issuer, state, provider, api,
                    new ArrayList<>());
        } catch (IOException e) {
            FixtureFiles.deleteQuietly(root);
            throw new UncheckedIOException("cannot prepare " + root, e);
        } catch (RuntimeException | Error e) {
            FixtureFiles.deleteQuietly(root);
            throw e;
        }
    }

    /** The state the plugin gets: in-memory or embedded stores, and the test's node registry if it brought one. */
    private static AgentState agentState(TestingAgentState state, NodeRegistry nodes, boolean embeddedStores) {
        if (nodes == null) {
            return embeddedStores ? state.agentStateWithEmbeddedStores() : state.agentState();
        }
        AgentState.Builder builder = AgentState.builder().allocations(state.allocations()).nodes(nodes)
                .identityKeys(state.keys());
        if (!embeddedStores) {
            builder.aclTokens(state.tokens()).aclPolicies(state.policies()).nodeMetadata(state.nodeMetadata())
                    .variables(state.variables());
        }
        return builder.build();
    }

    /**
     * Closes the clients tasks made and the Task API, and deletes the root.
     *
     * @throws IllegalStateException when something could not be closed or deleted (after trying everything)
     */
    void close() {
        IllegalStateException failure = new IllegalStateException("stopping the Task API fixture failed");
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        try {
            api.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            FixtureFiles.deleteTree(root);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
