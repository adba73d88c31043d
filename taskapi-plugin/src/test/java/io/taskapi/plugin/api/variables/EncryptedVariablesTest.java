package io.taskapi.plugin.api.variables;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.state.Keyring;
import io.taskapi.plugin.state.VariableCipher;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.testing.InMemoryVariableStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store seen through the cipher: ciphertext only in the store, Nomad's check-and-set, sealed means 503. */
final class EncryptedVariablesTest {
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    Path tmp;

    private InMemoryVariableStore store;
    private EncryptedVariables variables;

    @BeforeEach
    void open() {
        store = new InMemoryVariableStore();
        Keyring keyring = Keyring.open(tmp.resolve("data"), Clock.systemUTC());
        variables = new EncryptedVariables(store, new VariableCipher(keyring), keyring);
    }

    @Test
    void theStoreHoldsCiphertextAndAReadGivesThePlaintextBack() throws Exception {
        DecryptedVariable written = variables.write("default", "app/db", Map.of("password", SECRET),
                OptionalLong.empty());

        StoredVariable stored = store.variables().get(0);
        assertThat(new String(stored.ciphertext(), UTF_8)).doesNotContain(SECRET).doesNotContain("password");
        assertThat(variables.read("default", "app/db").orElseThrow().items()).containsExactly(
                Map.entry("password", SECRET));
        assertThat(written.modifyIndex()).isEqualTo(stored.modifyIndex());
        assertThat(written.toString()).doesNotContain(SECRET).contains("password");
    }

    @Test
    void checkAndSetFollowsNomad() throws Exception {
        DecryptedVariable first = variables.write("default", "a", Map.of("k", "1"), OptionalLong.of(0));

        assertConflict(() -> variables.write("default", "a", Map.of("k", "2"), OptionalLong.of(0)),
                "cas conflict: expected ModifyIndex 0; found " + first.modifyIndex());
        long stale = first.modifyIndex() + 7;
        assertConflict(() -> variables.write("default", "a", Map.of("k", "2"), OptionalLong.of(stale)),
                "cas conflict: expected ModifyIndex " + (first.modifyIndex() + 7) + "; found " + first.modifyIndex());
        assertConflict(() -> variables.write("default", "absent", Map.of("k", "2"), OptionalLong.of(3)),
                "cas conflict: expected ModifyIndex 3; found 0 (the variable does not exist)");
        DecryptedVariable second = variables.write("default", "a", Map.of("k", "2"),
                OptionalLong.of(first.modifyIndex()));
        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(0)),
                "cas conflict: expected ModifyIndex 0; found " + second.modifyIndex());

        assertThat(second.createIndex()).isEqualTo(first.createIndex());
        assertThat(variables.delete("default", "absent", OptionalLong.of(0))).isFalse();
        assertThat(variables.delete("default", "a", OptionalLong.of(second.modifyIndex()))).isTrue();
        assertThat(variables.read("default", "a")).isEmpty();
    }

    @Test
    void aConflictNeverCarriesAnItem() {
        assertThatThrownBy(() -> {
            variables.write("default", "a", Map.of("k", SECRET), OptionalLong.empty());
            variables.write("default", "a", Map.of("k", "other"), OptionalLong.of(0));
        }).isInstanceOf(ApiException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void aSealedKeyringRefusesEveryOperationListingAndDeletingIncluded() throws Exception {
        Path dir = tmp.resolve("sealed");
        Keyring.open(dir, Clock.systemUTC());
        Files.setPosixFilePermissions(dir.resolve(Keyring.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        Keyring sealed = Keyring.open(dir, Clock.systemUTC());
        EncryptedVariables refused = new EncryptedVariables(store, new VariableCipher(sealed), sealed);

        assertThatThrownBy(() -> refused.read("default", "a")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("sealed");
        assertThatThrownBy(() -> refused.list("*", "")).hasMessageContaining("sealed");
        assertThatThrownBy(() -> refused.delete("default", "a", OptionalLong.empty())).hasMessageContaining("sealed");
        assertThatThrownBy(() -> refused.write("default", "a", Map.of("k", "v"), OptionalLong.empty()))
                .isInstanceOf(StateUnavailableException.class).hasMessageContaining("sealed");
        assertThat(store.variables()).isEmpty();
    }

    @Test
    void aCiphertextMovedToAnotherPathIsAnInternalErrorNamingTheVariableOnly() throws Exception {
        variables.write("default", "a", Map.of("k", SECRET), OptionalLong.empty());
        StoredVariable original = store.variables().get(0);
        store.put(new StoredVariable("default", "b", original.keyId(), original.ciphertext(), 0, 0,
                original.createTime(), original.modifyTime()), OptionalLong.empty());

        assertThatThrownBy(() -> variables.read("default", "b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("default/b").satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void listsAreSortedByNamespaceThenPathWhateverTheStoreDoes() throws Exception {
        for (String path : new String[] {"z", "a", "m"}) {
            variables.write("prod", path, Map.of("k", "v"), OptionalLong.empty());
            variables.write("default", path, Map.of("k", "v"), OptionalLong.empty());
        }

        assertThat(variables.list("*", "").stream().map(v -> v.namespace() + "/" + v.path()))
                .containsExactly("default/a", "default/m", "default/z", "prod/a", "prod/m", "prod/z");
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ApiException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
    }
}
