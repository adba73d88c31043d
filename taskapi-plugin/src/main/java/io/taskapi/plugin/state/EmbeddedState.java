package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.StateUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The embedded store as the plugin's start step sees it ({@link StateStores#open}): what is asked for is opened,
 * under {@code state.data-dir}, and nothing else, so that an agent that passes every optional store needs no database
 * at all.
 *
 * <ul>
 *   <li>{@link #aclTokens()}, {@link #aclPolicies()}, {@link #nodeMetadata()}, {@link #variables()}: the embedded
 *       stores, for the ones the agent left out of its {@link io.taskapi.spi.AgentState}. The first call opens
 *       {@code <state.data-dir>/state.db}.</li>
 *   <li>{@link #keyring()}: the variable keys, needed whichever store holds the variables
 *       (the plugin encrypts before it stores). The first call opens {@code <state.data-dir>/keyring.json}; without a
 *       {@code state.data-dir}, or with a bad keyring file, the keyring is sealed: variables answer 503 and nothing
 *       else is affected.</li>
 * </ul>
 *
 * <p>Opening the database fails loudly ({@link IllegalStateException}, so the plugin does not start) when
 * {@code state.data-dir} is not set, is not private to the agent's user, is in use by another agent, or holds a
 * database SQLite cannot open: an agent that silently ran without its ACLs would be worse. {@link #close()} closes the
 * database; call it when the Task API stops. Thread-safe.
 */
public final class EmbeddedState implements AutoCloseable {
    private final Optional<Path> dataDir;
    private final Clock clock;

    // guarded by this
    private EmbeddedDatabase database;
    private EmbeddedAclTokenStore aclTokens;
    private EmbeddedAclPolicyStore aclPolicies;
    private EmbeddedAclRoleStore aclRoles;
    private EmbeddedAclAuthMethodStore aclAuthMethods;
    private EmbeddedNodeMetadataStore nodeMetadata;
    private EmbeddedVariableStore variables;
    private Keyring keyring;
    private boolean closed;

    /**
     * @param dataDir the embedded store's directory, if any
     * @param clock the time source for variable times and key creation
     */
    public EmbeddedState(Optional<Path> dataDir, Clock clock) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * @return the embedded ACL token store
     * @throws IllegalStateException when the database cannot be opened (see the class documentation)
     */
    public synchronized EmbeddedAclTokenStore aclTokens() {
        if (aclTokens == null) {
            aclTokens = new EmbeddedAclTokenStore(database("the ACL token store"));
        }
        return aclTokens;
    }

    /**
     * @return the embedded ACL policy store
     * @throws IllegalStateException when the database cannot be opened
     */
    public synchronized EmbeddedAclPolicyStore aclPolicies() {
        if (aclPolicies == null) {
            aclPolicies = new EmbeddedAclPolicyStore(database("the ACL policy store"));
        }
        return aclPolicies;
    }

    /**
     * @return the embedded ACL role store
     * @throws IllegalStateException when the database cannot be opened
     */
    public synchronized EmbeddedAclRoleStore aclRoles() {
        if (aclRoles == null) {
            aclRoles = new EmbeddedAclRoleStore(database("the ACL role store"));
        }
        return aclRoles;
    }

    /**
     * @return the embedded store of ACL auth methods and binding rules
     * @throws IllegalStateException when the database cannot be opened
     */
    public synchronized EmbeddedAclAuthMethodStore aclAuthMethods() {
        if (aclAuthMethods == null) {
            aclAuthMethods = new EmbeddedAclAuthMethodStore(database("the ACL auth method store"));
        }
        return aclAuthMethods;
    }

    /** @return whether a {@code state.data-dir} is set, so that the embedded database can be opened */
    public boolean hasDataDir() {
        return dataDir.isPresent();
    }

    /**
     * @return the embedded node metadata store
     * @throws IllegalStateException when the database cannot be opened
     */
    public synchronized EmbeddedNodeMetadataStore nodeMetadata() {
        if (nodeMetadata == null) {
            nodeMetadata = new EmbeddedNodeMetadataStore(database("the node metadata store"));
        }
        return nodeMetadata;
    }

    /**
     * @return the embedded variable store
     * @throws IllegalStateException when the database cannot be opened
     */
    public synchronized EmbeddedVariableStore variables() {
        if (variables == null) {
            variables = new EmbeddedVariableStore(database("the variable store"), clock);
        }
        return variables;
    }

    /**
     * @return the embedded database, when a store has opened it
     */
    public synchronized Optional<EmbeddedDatabase> database() {
        return Optional.ofNullable(database);
    }

    /**
     * @return the variable keyring; sealed when there is no {@code state.data-dir} or its keyring file is bad
     * @throws IllegalStateException when {@code state.data-dir} is not private to the agent's user
     */
    public synchronized Keyring keyring() {
        if (keyring == null) {
            keyring = dataDir.map(dir -> Keyring.open(dir, clock))
                    .orElseGet(() -> Keyring.sealed(TaskApiConfig.STATE_DATA_DIR + " is not set: variables cannot be "
                            + "encrypted"));
        }
        return keyring;
    }

    /** Closes the database, if it was opened. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (database != null) {
            database.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedState[" + dataDir.map(Path::toString).orElse("no data dir")
                + (database == null ? ", not opened" : ", " + database) + "]";
    }

    private EmbeddedDatabase database(String forWhat) {
        if (closed) {
            throw new IllegalStateException("the embedded state is closed");
        }
        if (database == null) {
            Path dir = dataDir.orElseThrow(() -> new IllegalStateException("the agent does not provide "
                    + forWhat + ", so the embedded store keeps it: set " + TaskApiConfig.STATE_DATA_DIR));
            try {
                database = EmbeddedDatabase.open(dir);
            } catch (StateUnavailableException e) {
                throw new IllegalStateException("cannot open the embedded state for " + forWhat + ": "
                        + e.getMessage(), e);
            }
        }
        return database;
    }
}
