package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.plugin.os.PosixProcess;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void makesAPrivateDataDirAndPrivateFiles() throws Exception {
        Path dataDir = tmp.resolve("a/b/data");

        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            assertThat(database.dataDir()).isEqualTo(dataDir);
            assertThat(database.file()).isEqualTo(dataDir.resolve("state.db"));
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("state.db"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("state.lock"))).isEqualTo("rw-------");
            new EmbeddedNodeMetadataStore(database).write("n", Map.of("k", Optional.of("v")));
            assertThat(dataDir.resolve("state.db-wal")).exists();
            assertThat(mode(dataDir.resolve("state.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("state.db-shm"))).isEqualTo("rw-------");
            assertThat(database.isOpen()).isTrue();
        }
    }

    @Test
    void runsInWalModeWithFullSynchronousAndABusyTimeout() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            assertThat(pragma(database, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(database, "synchronous")).isEqualTo("2");
            assertThat(Integer.parseInt(pragma(database, "busy_timeout"))).isPositive();
            assertThat(pragma(database, "secure_delete")).isEqualTo("1");
        }
    }

    @Test
    void refusesADataDirOthersCanUse() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accessible to other users").hasMessageContaining("chmod 700");
        assertThat(dataDir.resolve("state.db")).doesNotExist();
        assertThatThrownBy(() -> Keyring.open(dataDir, new MutableClock(NOW)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesADataDirOfAnotherUser() throws Exception {
        assumeTrue(PosixProcess.effectiveUid() == 0, "only root can give a directory away");
        Path dataDir = Files.createDirectory(tmp.resolve("theirs"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dataDir, "unix:uid", 65534);

        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to uid 65534");
    }

    @Test
    void refusesADatabaseFileOthersCanRead() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase.open(dataDir).close();
        Files.setPosixFilePermissions(dataDir.resolve("state.db"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("state.db is accessible to other users");
    }

    @Test
    void refusesARelativeDataDir() {
        assertThatThrownBy(() -> EmbeddedDatabase.open(Path.of("relative/data")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("absolute");
    }

    @Test
    void oneOpenAtATime() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("open already");
            assertThat(database.isOpen()).isTrue();
        }
        EmbeddedDatabase.open(dataDir).close();
    }

    @Test
    void everyChangeBumpsOneGlobalIndexAndNoOpsDoNot() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            EmbeddedAclPolicyStore policies = new EmbeddedAclPolicyStore(database);
            EmbeddedNodeMetadataStore metadata = new EmbeddedNodeMetadataStore(database);
            assertThat(database.currentIndex()).isZero();

            tokens.put(token("a"));
            assertThat(database.currentIndex()).isEqualTo(1);
            AclPolicy policy = policies.put(new AclPolicy("p", "", "", Optional.empty(), 0, 0));
            assertThat(policy.modifyIndex()).isEqualTo(2);
            metadata.write("node", Map.of());
            assertThat(database.currentIndex()).isEqualTo(3);

            assertThat(tokens.delete("missing")).isFalse();
            assertThat(policies.delete("missing")).isFalse();
            assertThat(database.currentIndex()).isEqualTo(3);

            assertThat(policies.put(policy).modifyIndex()).isEqualTo(4);
        }
    }

    @Test
    void indexSurvivesReopen() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            new EmbeddedAclTokenStore(database).put(token("a"));
            new EmbeddedAclTokenStore(database).put(token("b"));
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            assertThat(database.currentIndex()).isEqualTo(2);
            new EmbeddedAclTokenStore(database).put(token("c"));
            assertThat(database.currentIndex()).isEqualTo(3);
        }
    }

    @Test
    void schemaVersionIsRecordedAndANewerOneIsRefused() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedDatabase.open(dataDir).close();
        EmbeddedDatabase.open(dataDir).close();   // idempotent
        try (Connection raw = raw(dataDir); Statement statement = raw.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT version FROM schema_version")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(EmbeddedDatabase.SCHEMA_VERSION);
                assertThat(rows.next()).isFalse();
            }
            statement.executeUpdate("UPDATE schema_version SET version = 99");
        }

        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void aCorruptDatabaseIsUnavailableWithoutItsContentInTheMessage() throws Exception {
        Path dataDir = tmp.resolve("data");
        Files.createDirectory(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path file = dataDir.resolve("state.db");
        Files.writeString(file, "SECRET-CONTENT ".repeat(400));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir)).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("SQLITE_NOTADB").hasMessageNotContaining("SECRET");
        // the lock was released
        Files.delete(file);
        EmbeddedDatabase.open(dataDir).close();
    }

    @Test
    void sqlFailuresNameTheResultCodeButNeverAValue() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            AclToken token = token("a");
            try (Connection raw = raw(dataDir); Statement statement = raw.createStatement()) {
                statement.execute("DROP TABLE acl_tokens");
            }

            assertThatThrownBy(() -> tokens.put(token)).isInstanceOf(StateUnavailableException.class)
                    .hasMessage("the embedded state store could not store an ACL token (SQLITE_ERROR)")
                    .satisfies(e -> {
                        assertThat(e.getCause()).isInstanceOf(EmbeddedDatabase.SqlFailure.class)
                                .hasMessage("SQLITE_ERROR").hasNoCause();
                        assertThat(e.getCause().getStackTrace()).isNotEmpty();
                    });
            assertThatThrownBy(() -> tokens.findBySecretId(token.secretId()))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageNotContaining(token.secretId());
            assertThat(database.currentIndex()).isZero();   // the failed write was rolled back
        }
    }

    @Test
    void aClosedDatabaseIsUnavailable() throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"));
        EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
        database.close();
        database.close();

        assertThat(database.isOpen()).isFalse();
        assertThatThrownBy(() -> tokens.put(token("a"))).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(database::currentIndex).isInstanceOf(StateUnavailableException.class);
    }

    @Test
    void listenersHearAfterTheCommitAndSeeTheWrite() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            AclToken token = token("a");
            List<String> seen = new CopyOnWriteArrayList<>();
            tokens.onChange(() -> {
                // Another connection, as another process would read: the row must be committed already.
                try (Connection raw = raw(dataDir);
                     Statement statement = raw.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM acl_tokens")) {
                    rows.next();
                    seen.add("rows=" + rows.getInt(1));
                    seen.add("store=" + tokens.findByAccessorId(token.accessorId()).isPresent());
                    seen.add("index=" + database.currentIndex());
                } catch (Exception e) {
                    seen.add("failed: " + e);
                }
            });

            tokens.put(token);

            assertThat(seen).containsExactly("rows=1", "store=true", "index=1");
        }
    }

    @Test
    void listenersHearOnlyOfTheirTableAndOnlyOfChanges() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            EmbeddedAclPolicyStore policies = new EmbeddedAclPolicyStore(database);
            AtomicInteger tokenChanges = new AtomicInteger();
            AtomicInteger policyChanges = new AtomicInteger();
            AtomicInteger anyChanges = new AtomicInteger();
            Subscription tokenSubscription = tokens.onChange(tokenChanges::incrementAndGet);
            policies.onChange(policyChanges::incrementAndGet);
            database.onChange(anyChanges::incrementAndGet);

            tokens.put(token("a"));
            policies.put(new AclPolicy("p", "", "", Optional.empty(), 0, 0));
            tokens.delete("missing");
            new EmbeddedNodeMetadataStore(database).write("n", Map.of());
            tokenSubscription.close();
            tokenSubscription.close();
            tokens.put(token("b"));

            assertThat(tokenChanges).hasValue(1);
            assertThat(policyChanges).hasValue(1);
            assertThat(anyChanges).hasValue(4);
        }
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheWriteNorStopTheOthers() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            AtomicInteger heard = new AtomicInteger();
            tokens.onChange(() -> {
                throw new IllegalStateException("broken listener");
            });
            tokens.onChange(heard::incrementAndGet);
            AclToken token = token("a");

            tokens.put(token);

            assertThat(heard).hasValue(1);
            assertThat(tokens.findByAccessorId(token.accessorId())).contains(token);
        }
    }

    @Test
    void concurrentWritersAndReadersLoseNothing() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    AclToken token = token("t" + i);
                    results.add(pool.submit(() -> {
                        tokens.put(token);
                        return tokens.findBySecretId(token.secretId()).isPresent()
                                && !tokens.list().isEmpty();
                    }));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(tokens.list()).hasSize(400);
            assertThat(database.currentIndex()).isEqualTo(400);
        }
    }

    static AclToken token(String name) {
        return new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), name, AclTokenType.CLIENT,
                List.of("p1", "p2"), NOW, Optional.empty());
    }

    static Connection raw(Path dataDir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("state.db"));
    }

    private static String pragma(EmbeddedDatabase database, String name) throws Exception {
        return database.read("read a pragma", connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
