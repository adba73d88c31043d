package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentContext;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.api.TaskExecutor;
import io.taskapi.spi.state.NodeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs the Task API on the class path for a test, in a throw-away directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TaskApiExtension API = TaskApiExtension.builder().config("identity.clock-leeway", "0s").build();
 *
 * @Test
 * void workloadIdentityReadsMetadata() throws Exception {
 *     TestTask task = API.newTask("web");
 *     task.openSocket();
 *     assertThat(task.client().get("/v1/client/metadata").token(task.identity()).send().status()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>Registered on a static field it starts once before all tests of the class (nested classes included) and stops
 * after them; on an instance field it starts before and stops after each test. It can also be used without JUnit:
 * {@link #start()} and {@link #close()}.
 *
 * <p>On start it makes a short temporary root ({@code /tmp/taskapi-it-xxxxxx}: socket paths must stay under 108
 * bytes), a 0700 link directory in it that it passes as {@value #LINK_DIR_KEY} unless the configuration names one,
 * passes {@code <root>/data} as {@value #DATA_DIR_KEY} (the plugin's embedded store and keyring) unless the
 * configuration names one, makes a {@link TestingIdentityIssuer} and a {@link TestingAgentState} with the issuer's
 * keys published, and starts the {@link TaskApiProvider} found with {@link ServiceLoader} (or the one given to the
 * builder). On stop it closes the Task API and the clients its tasks made, and deletes the root.
 *
 * <p>By default the plugin gets every in-memory store ({@link TestingAgentState#agentState()}), so a test seeds and
 * inspects ACL tokens, policies, node metadata and variables through {@link #tokens()}, {@link #policies()},
 * {@link #nodeMetadata()} and {@link #variables()}. With {@link Builder#embeddedStores()} it gets only the required
 * parts (allocations, nodes, identity keys) and keeps the rest in its embedded store under {@value #DATA_DIR_KEY};
 * those four accessors then throw, since the plugin does not read what they hold.
 *
 * <p>Thread-safe.
 */
public final class TaskApiExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
    /** The configuration key of the plugin's short link directory. */
    public static final String LINK_DIR_KEY = "socket.link-dir";
    /** The configuration key of the plugin's embedded store directory. */
    public static final String DATA_DIR_KEY = "state.data-dir";

    private final Map<String, String> config;
    private final TaskApiProvider explicitProvider;
    private final String providerName;
    private final Clock clock;
    private final boolean embeddedStores;
    private final NodeRegistry nodes;
    private final List<AgentRoute> routes;
    private final AgentStateIndex stateIndex;
    private final TaskExecutor exec;

    // guarded by this
    private int classDepth;
    private boolean startedForEach;
    private RunningApi running;

    private TaskApiExtension(Builder builder) {
        this.config = Map.copyOf(builder.config);
        this.explicitProvider = builder.provider;
        this.providerName = builder.providerName;
        this.clock = builder.clock;
        this.embeddedStores = builder.embeddedStores;
        this.nodes = builder.nodes;
        this.routes = List.copyOf(builder.routes);
        this.stateIndex = builder.stateIndex;
        this.exec = builder.exec;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    // ---- JUnit

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (classDepth++ == 0 && running == null) {
            start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (classDepth > 0 && --classDepth == 0) {
            close();
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (running == null) {
            start();
            startedForEach = true;
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (startedForEach) {
            startedForEach = false;
            close();
        }
    }

    // ---- lifecycle

    /**
     * Makes the directories and state and starts the Task API.
     *
     * @throws IllegalStateException when it is running already, or no (or no single) provider is on the class path
     * @throws UncheckedIOException when the directories cannot be made
     */
    public synchronized void start() {
        if (running != null) {
            throw new IllegalStateException("the Task API is running already");
        }
        TaskApiProvider provider = explicitProvider != null ? explicitProvider : ProviderLookup.findProvider(
                providerName);
        running = RunningApi.start(config, provider, clock, nodes, embeddedStores, routes, stateIndex, exec);
    }

    /**
     * Closes the clients tasks made and the Task API, and deletes the root. Idempotent.
     *
     * @throws IllegalStateException when something could not be closed or deleted (after trying everything)
     */
    @Override
    public synchronized void close() {
        RunningApi current = running;
        running = null;
        if (current == null) {
            return;
        }
        current.close();
    }

    /** @return whether the Task API is running */
    public synchronized boolean isRunning() {
        return running != null;
    }

    // ---- what a test uses

    /** @return the running Task API */
    public TaskApi api() {
        return running().api();
    }

    /** @return the provider that was started */
    public TaskApiProvider provider() {
        return running().provider();
    }

    /**
     * @return the configuration the provider was started with, {@value #LINK_DIR_KEY} and {@value #DATA_DIR_KEY}
     *     included
     */
    public Map<String, String> config() {
        return running().config();
    }

    /** @return the temporary root; every task lives under it */
    public Path root() {
        return running().root();
    }

    /** @return the link directory passed as {@value #LINK_DIR_KEY} */
    public Path linkDir() {
        return running().linkDir();
    }

    /** @return the directory passed as {@value #DATA_DIR_KEY}; the plugin makes it */
    public Path dataDir() {
        return running().dataDir();
    }

    /** @return whether the plugin keeps ACLs, node metadata and variables in its embedded store */
    public boolean usesEmbeddedStores() {
        return embeddedStores;
    }

    /**
     * @return the in-memory state; with {@link Builder#embeddedStores()} the provider reads only its allocations,
     *     nodes and keys
     */
    public TestingAgentState state() {
        return running().state();
    }

    /**
     * @return the ACL tokens the plugin reads
     * @throws IllegalStateException with {@link Builder#embeddedStores()}: the plugin keeps its own
     */
    public InMemoryAclTokenStore tokens() {
        return inMemoryStores("tokens()").tokens();
    }

    /**
     * @return the ACL policies the plugin reads
     * @throws IllegalStateException with {@link Builder#embeddedStores()}: the plugin keeps its own
     */
    public InMemoryAclPolicyStore policies() {
        return inMemoryStores("policies()").policies();
    }

    /**
     * @return the dynamic node metadata the plugin reads and writes
     * @throws IllegalStateException with {@link Builder#embeddedStores()}: the plugin keeps its own
     */
    public InMemoryNodeMetadataStore nodeMetadata() {
        return inMemoryStores("nodeMetadata()").nodeMetadata();
    }

    /**
     * @return the encrypted variables the plugin reads and writes
     * @throws IllegalStateException with {@link Builder#embeddedStores()}: the plugin keeps its own
     */
    public InMemoryVariableStore variables() {
        return inMemoryStores("variables()").variables();
    }

    /** @return the known nodes, one local node by default */
    public InMemoryNodeRegistry nodes() {
        return state().nodes();
    }

    /** @return the identity keyring, holding the issuer's keys */
    public InMemoryIdentityKeyStore keys() {
        return state().keys();
    }

    /** @return allocation liveness */
    public InMemoryAllocationRegistry allocations() {
        return state().allocations();
    }

    /** @return the issuer whose keys the keyring holds */
    public TestingIdentityIssuer issuer() {
        return running().issuer();
    }

    /**
     * Makes a task in namespace {@code default}, job {@code test-job}, group {@code test-group}, with a new
     * allocation id: {@code <root>/alloc/<allocId>/<name>/secrets} exists and the allocation is live.
     *
     * @param name the task name
     * @return the task
     */
    public TestTask newTask(String name) {
        return newTask(new TaskRef(UUID.randomUUID().toString(), "default", "test-job", "test-group",
                requireNonNull(name, "name is null")));
    }

    /**
     * Makes a task with the given coordinates: {@code <root>/alloc/<allocId>/<taskName>/secrets} exists and the
     * allocation is live.
     *
     * @param ref the task
     * @return the task
     */
    public TestTask newTask(TaskRef ref) {
        requireNonNull(ref, "ref is null");
        return createTask(ref, root().resolve("alloc"));
    }

    /**
     * Makes a task whose socket path ({@code <secretsDir>/api.sock}) is exactly {@code length} bytes, by putting
     * directories of {@code x}s between the root and {@code alloc}. Over {@value UnixHttpClient#MAX_PATH_BYTES}
     * bytes it cannot be bound or connected directly; {@link TestTask#client()} goes through a short link.
     *
     * @param length the socket path's length in bytes
     * @return the task, named {@code long}
     * @throws IllegalArgumentException when {@code length} is shorter than a normal task's socket path
     */
    public TestTask taskWithLongPath(int length) {
        TaskRef ref = new TaskRef(UUID.randomUUID().toString(), "default", "test-job", "test-group", "long");
        Path plain = root().resolve("alloc").resolve(ref.allocationId()).resolve(ref.taskName()).resolve("secrets")
                .resolve(TestTask.SOCKET_NAME);
        int shortest = plain.toString().length() + 2;   // at least "/x" of padding
        if (length < shortest) {
            throw new IllegalArgumentException("a long path must be at least " + shortest + " bytes here, not "
                    + length);
        }
        // Each padding segment adds "/" + up to 200 x's (NAME_MAX is 255); never leave 1 byte, which a segment can't fill.
        Path base = root();
        int remaining = length - plain.toString().length();
        while (remaining > 0) {
            int segment = Math.min(remaining - 1, 200);
            if (remaining - (segment + 1) == 1) {
                segment--;
            }
            base = base.resolve("x".repeat(segment));
            remaining -= segment + 1;
        }
        TestTask task = createTask(ref, base.resolve("alloc"));
        if (task.socketPath().toString().length() != length) {
            throw new IllegalStateException("made a socket path of " + task.socketPath().toString().length()
                    + " bytes instead of " + length);
        }
        return task;
    }

    /** Closes something when the fixture stops. */
    synchronized void closeLater(AutoCloseable closeable) {
        running().closeables().add(requireNonNull(closeable, "closeable is null"));
    }

    private TestTask createTask(TaskRef ref, Path allocRoot) {
        Path root = root();
        Path taskDir = allocRoot.resolve(ref.allocationId()).resolve(ref.taskName());
        Path secretsDir = taskDir.resolve("secrets");
        try {
            FixtureFiles.createDirectories(root, secretsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + secretsDir, e);
        }
        allocations().markLive(ref);
        return new TestTask(this, ref, taskDir, secretsDir);
    }

    private TestingAgentState inMemoryStores(String accessor) {
        if (embeddedStores) {
            throw new IllegalStateException(accessor + " is not what the plugin reads: this extension was built with "
                    + "embeddedStores(), so the plugin keeps ACLs, node metadata and variables in its embedded store "
                    + "under " + DATA_DIR_KEY + "; go through the HTTP API instead");
        }
        return state();
    }

    private synchronized RunningApi running() {
        if (running == null) {
            throw new IllegalStateException("the Task API is not running: register the extension with "
                    + "@RegisterExtension, or call start()");
        }
        return running;
    }

    @Override
    public synchronized String toString() {
        return "TaskApiExtension[" + (running == null ? "stopped" : running.root() + ", " + running.provider()
                .name()) + "]";
    }

    /** Configures a {@link TaskApiExtension}. */
    public static final class Builder {
        private NodeRegistry nodes;
        private final List<AgentRoute> routes = new ArrayList<>();
        private AgentStateIndex stateIndex;
        private TaskExecutor exec;
        private final Map<String, String> config = new HashMap<>();
        private TaskApiProvider provider;
        private String providerName;
        private Clock clock = Clock.systemUTC();
        private boolean embeddedStores;

        private Builder() {}

        /**
         * @param key a plugin setting, for example {@code identity.clock-leeway}
         * @param value its value
         * @return this builder
         */
        public Builder config(String key, String value) {
            config.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /**
         * @param settings plugin settings to add
         * @return this builder
         */
        public Builder config(Map<String, String> settings) {
            requireNonNull(settings, "settings is null").forEach(this::config);
            return this;
        }

        /**
         * @param provider the provider to start, instead of looking one up with {@link ServiceLoader}
         * @return this builder
         */
        public Builder provider(TaskApiProvider provider) {
            this.provider = requireNonNull(provider, "provider is null");
            return this;
        }

        /**
         * @param name which {@link TaskApiProvider#name()} to start when several are on the class path
         * @return this builder
         */
        public Builder providerName(String name) {
            this.providerName = requireNonNull(name, "name is null");
            return this;
        }

        /**
         * @param clock the issuer's and token store's clock, for example a {@link TestingClock} (the plugin keeps its
         *     own clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Hands the plugin only the required state (allocations, nodes, identity keys), so that it keeps ACL tokens
         * and policies, node metadata and variables in its embedded store under {@value #DATA_DIR_KEY}, as an agent
         * without its own stores does.
         *
         * @return this builder
         */
        public Builder embeddedStores() {
            this.embeddedStores = true;
            return this;
        }

        /**
         * Hands the plugin this node registry instead of the in-memory one (for example a failing fake, to test how
         * the plugin copes); {@link TaskApiExtension#nodes()} still returns the in-memory registry.
         *
         * @param nodes the registry
         * @return this builder
         */
        public Builder nodes(NodeRegistry nodes) {
            this.nodes = requireNonNull(nodes, "nodes is null");
            return this;
        }

        /**
         * Adds routes the way an agent does, through {@link AgentContext#routes()}.
         *
         * @param routes the agent's routes
         * @return this builder
         */
        public Builder routes(AgentRoute... routes) {
            this.routes.addAll(List.of(routes));
            return this;
        }

        /**
         * Gives the plugin the agent's state index, as an agent does with
         * {@link AgentContext.Builder#stateIndex}: the routes that block wait for its changes.
         *
         * @param stateIndex the agent's state index
         * @return this builder
         */
        public Builder stateIndex(AgentStateIndex stateIndex) {
            this.stateIndex = requireNonNull(stateIndex, "stateIndex is null");
            return this;
        }

        /**
         * Lets operators run commands in tasks, the way an agent does through {@link AgentContext#exec()}.
         *
         * @param exec the agent's way into its tasks
         * @return this builder
         */
        public Builder exec(TaskExecutor exec) {
            this.exec = requireNonNull(exec, "exec is null");
            return this;
        }

        /** @return the extension */
        public TaskApiExtension build() {
            return new TaskApiExtension(this);
        }
    }
}
