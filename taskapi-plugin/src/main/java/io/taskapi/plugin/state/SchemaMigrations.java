package io.taskapi.plugin.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The embedded database's schema, and how a database of an older version is brought up to this one. */
final class SchemaMigrations {
    /** The schema version this code writes and reads. */
    static final int VERSION = 2;

    private SchemaMigrations() {}

    /**
     * Creates the tables when missing and records or checks the schema version, in one transaction.
     *
     * @param connection the writer connection, outside any transaction
     * @return the schema version the database now has
     * @throws IllegalStateException when the database was written by a newer version of the plugin
     */
    static int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
                int version = 0;
                try (ResultSet rows = statement.executeQuery("SELECT version FROM schema_version WHERE id = 1")) {
                    if (rows.next()) {
                        version = rows.getInt(1);
                    }
                }
                if (version > VERSION) {
                    throw new IllegalStateException("the embedded state has schema version " + version
                            + ", newer than this plugin's " + VERSION + ": it was written by a newer version");
                }
                // Version 1. Later versions add their migrations after this, each guarded by the version read above.
                for (String ddl : SCHEMA_V1) {
                    statement.execute(ddl);
                }
                if (version < 2) {
                    for (String ddl : SCHEMA_V2) {
                        statement.execute(ddl);
                    }
                }
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO schema_version (id, "
                        + "version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version")) {
                    upsert.setInt(1, VERSION);
                    upsert.executeUpdate();
                }
                statement.execute("COMMIT");
                return VERSION;
            } catch (SQLException | RuntimeException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(new IllegalStateException("rollback failed ("
                            + SqliteConnections.resultCode(rollback) + ")"));
                }
                throw e;
            }
        }
    }

    private static final List<String> SCHEMA_V1 = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('index', 0)",
            "CREATE TABLE IF NOT EXISTS acl_tokens ("
                    + "accessor_id TEXT PRIMARY KEY, "
                    + "secret_hash BLOB NOT NULL, "
                    + "secret_id TEXT NOT NULL, "
                    + "name TEXT NOT NULL, "
                    + "type TEXT NOT NULL, "
                    + "policies TEXT NOT NULL, "
                    + "create_time TEXT NOT NULL, "
                    + "expiration_time TEXT, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS acl_tokens_by_secret_hash ON acl_tokens (secret_hash)",
            "CREATE TABLE IF NOT EXISTS acl_policies ("
                    + "name TEXT PRIMARY KEY, "
                    + "description TEXT NOT NULL, "
                    + "rules TEXT NOT NULL, "
                    + "job_namespace TEXT, "
                    + "job_id TEXT, "
                    + "job_group TEXT, "
                    + "job_task TEXT, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS node_metadata ("
                    + "node_id TEXT PRIMARY KEY, "
                    + "metadata TEXT NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS variables ("
                    + "namespace TEXT NOT NULL, "
                    + "path TEXT NOT NULL, "
                    + "key_id TEXT NOT NULL, "
                    + "ciphertext BLOB NOT NULL, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL, "
                    + "create_time_nanos INTEGER NOT NULL, "
                    + "modify_time_nanos INTEGER NOT NULL, "
                    + "PRIMARY KEY (namespace, path)) WITHOUT ROWID");

    /** Version 2: ACL roles, auth methods, binding rules, and the roles a token holds. */
    private static final List<String> SCHEMA_V2 = List.of(
            "ALTER TABLE acl_tokens ADD COLUMN roles TEXT NOT NULL DEFAULT '[]'",
            "CREATE TABLE IF NOT EXISTS acl_roles ("
                    + "id TEXT PRIMARY KEY, "
                    + "name TEXT NOT NULL UNIQUE, "
                    + "description TEXT NOT NULL, "
                    + "policies TEXT NOT NULL, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS acl_auth_methods ("
                    + "name TEXT PRIMARY KEY, "
                    + "type TEXT NOT NULL, "
                    + "token_locality TEXT NOT NULL, "
                    + "max_token_ttl_nanos INTEGER NOT NULL, "
                    + "is_default INTEGER NOT NULL, "
                    + "config TEXT NOT NULL, "
                    + "create_time TEXT NOT NULL, "
                    + "modify_time TEXT NOT NULL, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS acl_binding_rules ("
                    + "id TEXT PRIMARY KEY, "
                    + "description TEXT NOT NULL, "
                    + "auth_method TEXT NOT NULL, "
                    + "selector TEXT NOT NULL, "
                    + "bind_type TEXT NOT NULL, "
                    + "bind_name TEXT NOT NULL, "
                    + "create_time TEXT NOT NULL, "
                    + "modify_time TEXT NOT NULL, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS acl_binding_rules_by_method ON acl_binding_rules (auth_method)");
}
