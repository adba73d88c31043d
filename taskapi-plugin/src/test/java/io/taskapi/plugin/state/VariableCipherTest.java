package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariableCipherTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Map<String, String> ITEMS = Map.of("password", "hunter2-TOPSECRET", "user", "admin");

    @TempDir
    Path tmp;

    private Keyring keyring;
    private VariableCipher cipher;

    @BeforeEach
    void open() {
        keyring = Keyring.open(tmp.resolve("data"), new MutableClock(NOW));
        cipher = new VariableCipher(keyring);
    }

    @Test
    void roundTripsItems() throws Exception {
        Map<String, String> items = new LinkedHashMap<>();
        items.put("z", "last");
        items.put("a", "first \u00e9\u4e2d \"quoted\"\n");
        items.put("empty", "");

        StoredVariable encrypted = cipher.encrypt("default", "nomad/jobs/web", items);

        assertThat(encrypted.namespace()).isEqualTo("default");
        assertThat(encrypted.path()).isEqualTo("nomad/jobs/web");
        assertThat(encrypted.keyId()).isEqualTo(keyring.activeKeyId());
        assertThat(encrypted.createIndex()).isZero();
        assertThat(cipher.decrypt(encrypted)).isEqualTo(items);
        assertThat(cipher.decrypt(encrypted).keySet()).containsExactly("a", "empty", "z");
        assertThat(cipher.decrypt(cipher.encrypt("default", "e", Map.of()))).isEmpty();
    }

    @Test
    void ciphertextIsNonceThenSealedItemsAndHoldsNoPlaintext() throws Exception {
        StoredVariable first = cipher.encrypt("default", "a", ITEMS);
        StoredVariable second = cipher.encrypt("default", "a", ITEMS);

        byte[] bytes = first.ciphertext();
        String plaintext = "{\"password\":\"hunter2-TOPSECRET\",\"user\":\"admin\"}";
        assertThat(bytes).hasSize(VariableCipher.NONCE_BYTES + plaintext.length() + VariableCipher.TAG_BITS / 8);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("TOPSECRET").doesNotContain("admin");
        assertThat(Arrays.copyOf(bytes, 12)).isNotEqualTo(Arrays.copyOf(second.ciphertext(), 12));   // fresh nonce
        assertThat(bytes).isNotEqualTo(second.ciphertext());
        assertThat(first.toString()).doesNotContain("TOPSECRET");
    }

    @Test
    void anyTamperedByteIsRejected() throws Exception {
        StoredVariable encrypted = cipher.encrypt("default", "a", ITEMS);
        byte[] bytes = encrypted.ciphertext();

        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            StoredVariable altered = new StoredVariable("default", "a", encrypted.keyId(), tampered, 1, 1, NOW, NOW);
            assertThatThrownBy(() -> cipher.decrypt(altered)).as("byte " + i)
                    .isInstanceOf(CiphertextRejectedException.class).hasMessageContaining("does not authenticate")
                    .hasMessageNotContaining("TOPSECRET");
        }
        StoredVariable truncated = new StoredVariable("default", "a", encrypted.keyId(), Arrays.copyOf(bytes, 20), 1,
                1, NOW, NOW);
        assertThatThrownBy(() -> cipher.decrypt(truncated)).isInstanceOf(CiphertextRejectedException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void ciphertextMovedToAnotherPathOrNamespaceIsRejected() throws Exception {
        StoredVariable encrypted = cipher.encrypt("default", "app/db", ITEMS);
        byte[] bytes = encrypted.ciphertext();

        for (String[] target : new String[][] {{"default", "app/other"}, {"prod", "app/db"}, {"defaul", "tapp/db"},
                {"default", "app/db/"}}) {
            StoredVariable moved = new StoredVariable(target[0], target[1], encrypted.keyId(), bytes, 1, 1, NOW, NOW);
            assertThatThrownBy(() -> cipher.decrypt(moved)).as(String.join("/", target))
                    .isInstanceOf(CiphertextRejectedException.class);
        }
        assertThat(cipher.decrypt(new StoredVariable("default", "app/db", encrypted.keyId(), bytes, 9, 9, NOW, NOW)))
                .isEqualTo(ITEMS);
    }

    @Test
    void ciphertextRelabelledWithAnotherKeyIsRejected() throws Exception {
        StoredVariable encrypted = cipher.encrypt("default", "a", ITEMS);
        String firstKey = encrypted.keyId();
        keyring.rotate();
        StoredVariable relabelled = new StoredVariable("default", "a", keyring.activeKeyId(), encrypted.ciphertext(),
                1, 1, NOW, NOW);

        assertThatThrownBy(() -> cipher.decrypt(relabelled)).isInstanceOf(CiphertextRejectedException.class);
        assertThat(cipher.decrypt(encrypted)).isEqualTo(ITEMS);
        assertThat(firstKey).isNotEqualTo(keyring.activeKeyId());
    }

    @Test
    void anUnknownKeyIsUnavailable() throws Exception {
        StoredVariable encrypted = cipher.encrypt("default", "a", ITEMS);
        String unknown = UUID.randomUUID().toString();
        StoredVariable orphan = new StoredVariable("default", "a", unknown, encrypted.ciphertext(), 1, 1, NOW, NOW);

        assertThatThrownBy(() -> cipher.decrypt(orphan)).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("has no key " + unknown);
    }

    @Test
    void aDifferentKeyringCannotDecrypt() throws Exception {
        StoredVariable encrypted = cipher.encrypt("default", "a", ITEMS);
        Keyring other = Keyring.open(tmp.resolve("other"), new MutableClock(NOW));

        assertThatThrownBy(() -> new VariableCipher(other).decrypt(encrypted))
                .isInstanceOf(StateUnavailableException.class);
    }

    @Test
    void encryptedVariablesGoThroughTheStoreAndBack() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.open(tmp.resolve("data"))) {
            EmbeddedVariableStore variables = new EmbeddedVariableStore(database, new MutableClock(NOW));

            StoredVariable stored = variables.put(cipher.encrypt("default", "a", ITEMS), OptionalLong.of(0));

            assertThat(cipher.decrypt(variables.get("default", "a").orElseThrow())).isEqualTo(ITEMS);
            assertThat(stored.modifyIndex()).isEqualTo(1);
            assertThat(new String(java.nio.file.Files.readAllBytes(database.file().resolveSibling("state.db-wal")),
                    StandardCharsets.ISO_8859_1)).doesNotContain("TOPSECRET");
        }
    }

    @Test
    void refusesNullItems() {
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("k", null);

        assertThatThrownBy(() -> cipher.encrypt("default", "a", withNull)).isInstanceOf(NullPointerException.class);
    }
}
