package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by schema version 1 (before roles and auth methods) opens, keeps its tokens, gains the rest. */
final class SchemaMigrationTest {
    @TempDir
    Path tmp;

    @Test
    void aVersionOneDatabaseIsBroughtUpToVersionTwoKeepingItsTokens() throws Exception {
        Path dataDir = tmp.resolve("data");
        AclToken token = new AclToken("a1", "00000000-0000-0000-0000-000000000001", "old", AclTokenType.CLIENT,
                List.of("p"), Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            new EmbeddedAclTokenStore(database).put(token);
        }
        // Back to what version 1 wrote: no role column, no role or auth method tables.
        try (Connection raw = EmbeddedDatabaseTest.raw(dataDir); Statement statement = raw.createStatement()) {
            statement.execute("DROP TABLE acl_roles");
            statement.execute("DROP TABLE acl_auth_methods");
            statement.execute("DROP TABLE acl_binding_rules");
            statement.execute("ALTER TABLE acl_tokens DROP COLUMN roles");
            statement.execute("UPDATE schema_version SET version = 1");
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            assertThat(tokens.findByAccessorId("a1")).contains(token);
            AclRole role = new EmbeddedAclRoleStore(database).put(new AclRole("r1", "ops", "", List.of("p"), 0, 0));
            AclToken withRole = new AclToken("a2", "00000000-0000-0000-0000-000000000002", "new",
                    AclTokenType.CLIENT, List.of(), Instant.parse("2030-01-01T00:00:00Z"), Optional.empty(),
                    List.of(role.id()));
            tokens.put(withRole);
            assertThat(tokens.findByAccessorId("a2")).contains(withRole);
        }
        try (Connection raw = EmbeddedDatabaseTest.raw(dataDir); Statement statement = raw.createStatement();
             ResultSet version = statement.executeQuery("SELECT version FROM schema_version")) {
            assertThat(version.next()).isTrue();
            assertThat(version.getInt(1)).isEqualTo(2);
        }
    }
}
