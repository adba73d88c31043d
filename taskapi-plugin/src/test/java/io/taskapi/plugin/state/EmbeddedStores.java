package io.taskapi.plugin.state;

import io.taskapi.spi.state.StateUnavailableException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The embedded stores on real files in a test's directory, opened as the plugin opens them: the one place the
 * contract tests construct them.
 */
final class EmbeddedStores implements AutoCloseable {
    private final EmbeddedDatabase database;

    private EmbeddedStores(EmbeddedDatabase database) {
        this.database = database;
    }

    /**
     * @param tmp a test's own directory
     * @return the stores over a new database in {@code tmp/data}
     */
    static EmbeddedStores open(Path tmp) throws StateUnavailableException {
        return new EmbeddedStores(EmbeddedDatabase.open(tmp.resolve("data")));
    }

    EmbeddedAclTokenStore aclTokens() {
        return new EmbeddedAclTokenStore(database);
    }

    EmbeddedAclPolicyStore aclPolicies() {
        return new EmbeddedAclPolicyStore(database);
    }

    EmbeddedAclRoleStore aclRoles() {
        return new EmbeddedAclRoleStore(database);
    }

    EmbeddedAclAuthMethodStore aclAuthMethods() {
        return new EmbeddedAclAuthMethodStore(database);
    }

    EmbeddedNodeMetadataStore nodeMetadata() {
        return new EmbeddedNodeMetadataStore(database);
    }

    EmbeddedVariableStore variables() {
        return new EmbeddedVariableStore(database, Clock.systemUTC());
    }

    /** Closes the database: every store call fails from now on, as when the disk is gone. Idempotent. */
    @Override
    public void close() {
        database.close();
    }
}
