package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.StateUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStateTest {
    @TempDir
    Path tmp;

    @Test
    void opensTheDatabaseOnFirstUseOnlyAndSharesIt() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedState state = new EmbeddedState(Optional.of(dataDir), Clock.systemUTC())) {
            assertThat(state.database()).isEmpty();
            assertThat(dataDir).doesNotExist();

            EmbeddedAclTokenStore tokens = state.aclTokens();

            assertThat(state.database()).isPresent();
            assertThat(dataDir.resolve("state.db")).exists();
            assertThat(state.aclTokens()).isSameAs(tokens);
            state.aclPolicies().put(new io.taskapi.spi.state.AclPolicy("p", "", "", Optional.empty(), 0, 0));
            state.nodeMetadata().write("n", Map.of());
            assertThat(state.variables().list("*", "")).isEmpty();
            assertThat(state.database().orElseThrow().currentIndex()).isEqualTo(2);
            assertThat(dataDir.resolve("keyring.json")).doesNotExist();   // not needed yet
        }
    }

    @Test
    void readsTheDataDirFromTheConfig() throws Exception {
        Path dataDir = tmp.resolve("data");
        TaskApiConfig config = TaskApiConfig.fromMap(Map.of(TaskApiConfig.STATE_DATA_DIR, dataDir.toString()));
        try (EmbeddedState state = new EmbeddedState(config.state().dataDir(), Clock.systemUTC())) {
            assertThat(state.aclTokens().list()).isEmpty();
            assertThat(state.database().orElseThrow().dataDir()).isEqualTo(dataDir);
        }
    }

    @Test
    void theKeyringIsOpenedOnFirstUse() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedState state = new EmbeddedState(Optional.of(dataDir), Clock.systemUTC())) {
            Keyring keyring = state.keyring();

            assertThat(keyring.isSealed()).isFalse();
            assertThat(state.keyring()).isSameAs(keyring);
            VariableCipher cipher = new VariableCipher(keyring);
            assertThat(cipher.decrypt(cipher.encrypt("default", "a", Map.of("k", "v")))).containsEntry("k", "v");
            assertThat(state.database()).isEmpty();   // the keyring does not need the database
        }
    }

    @Test
    void withoutADataDirTheStoresRefuseAndTheKeyringIsSealed() {
        try (EmbeddedState state = new EmbeddedState(Optional.empty(), Clock.systemUTC())) {
            assertThatThrownBy(state::aclTokens).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the ACL token store").hasMessageContaining("state.data-dir");
            assertThatThrownBy(state::variables).isInstanceOf(IllegalStateException.class);
            assertThat(state.keyring().isSealed()).isTrue();
            assertThat(state.keyring().file()).isEmpty();
            assertThat(state.keyring().sealedReason().orElseThrow()).contains("state.data-dir is not set");
            assertThatThrownBy(() -> new VariableCipher(state.keyring()).encrypt("default", "a", Map.of()))
                    .isInstanceOf(StateUnavailableException.class);
        }
    }

    @Test
    void aDataDirOthersCanUseStopsTheStart() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (EmbeddedState state = new EmbeddedState(Optional.of(dataDir), Clock.systemUTC())) {
            assertThatThrownBy(state::aclTokens).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("accessible to other users");
            assertThatThrownBy(state::keyring).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCorruptDatabaseStopsTheStart() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dataDir.resolve("state.db"), "not a database".repeat(100));
        Files.setPosixFilePermissions(dataDir.resolve("state.db"), PosixFilePermissions.fromString("rw-------"));
        try (EmbeddedState state = new EmbeddedState(Optional.of(dataDir), Clock.systemUTC())) {
            assertThatThrownBy(state::aclPolicies).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SQLITE_NOTADB").hasCauseInstanceOf(StateUnavailableException.class);
        }
    }

    @Test
    void closeClosesTheDatabaseAndReleasesTheDirectory() throws Exception {
        Path dataDir = tmp.resolve("data");
        EmbeddedState state = new EmbeddedState(Optional.of(dataDir), Clock.systemUTC());
        state.aclTokens();
        EmbeddedDatabase database = state.database().orElseThrow();

        state.close();
        state.close();

        assertThat(database.isOpen()).isFalse();
        assertThatThrownBy(state::aclPolicies).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        EmbeddedDatabase.open(dataDir).close();
    }
}
