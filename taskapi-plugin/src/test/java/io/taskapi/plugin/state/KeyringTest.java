package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void firstOpenMakesA0600KeyringWithOneActiveKey() throws Exception {
        Path dataDir = tmp.resolve("data");

        Keyring keyring = Keyring.open(dataDir, new MutableClock(NOW));

        Path file = dataDir.resolve("keyring.json");
        assertThat(keyring.isSealed()).isFalse();
        assertThat(keyring.sealedReason()).isEmpty();
        assertThat(keyring.file()).contains(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(keyring.keys()).containsExactly(new Keyring.KeyInfo(keyring.activeKeyId(), NOW, true));
        JsonNode json = JSON.readTree(file.toFile());
        assertThat(json.path("version").asInt()).isEqualTo(1);
        JsonNode key = json.path("keys").get(0);
        assertThat(key.path("id").asText()).isEqualTo(keyring.activeKeyId());
        assertThat(key.path("state").asText()).isEqualTo("active");
        assertThat(key.path("created").asText()).isEqualTo(NOW.toString());
        assertThat(Base64.getDecoder().decode(key.path("key").asText())).hasSize(32);
        try (var listing = Files.list(dataDir)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("keyring.json");
        }
    }

    @Test
    void reopeningLoadsTheSameKeys() throws Exception {
        Path dataDir = tmp.resolve("data");
        Keyring first = Keyring.open(dataDir, new MutableClock(NOW));
        StoredVariable encrypted = new VariableCipher(first).encrypt("default", "a", Map.of("k", "v"));

        Keyring second = Keyring.open(dataDir, new MutableClock(NOW));

        assertThat(second.activeKeyId()).isEqualTo(first.activeKeyId());
        assertThat(second.keys()).isEqualTo(first.keys());
        assertThat(new VariableCipher(second).decrypt(encrypted)).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void rotateAddsAnActiveKeyAndOldCiphertextStillDecrypts() throws Exception {
        Path dataDir = tmp.resolve("data");
        MutableClock clock = new MutableClock(NOW);
        Keyring keyring = Keyring.open(dataDir, clock);
        VariableCipher cipher = new VariableCipher(keyring);
        String oldKey = keyring.activeKeyId();
        StoredVariable old = cipher.encrypt("default", "a", Map.of("old", "secret"));
        clock.advance(java.time.Duration.ofDays(1));

        String newKey = keyring.rotate();

        assertThat(newKey).isNotEqualTo(oldKey).isEqualTo(keyring.activeKeyId());
        assertThat(keyring.keys()).containsExactly(new Keyring.KeyInfo(oldKey, NOW, false),
                new Keyring.KeyInfo(newKey, NOW.plus(java.time.Duration.ofDays(1)), true));
        StoredVariable fresh = cipher.encrypt("default", "a", Map.of("new", "secret"));
        assertThat(fresh.keyId()).isEqualTo(newKey);
        assertThat(old.keyId()).isEqualTo(oldKey);
        assertThat(cipher.decrypt(old)).isEqualTo(Map.of("old", "secret"));
        assertThat(cipher.decrypt(fresh)).isEqualTo(Map.of("new", "secret"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring.file().orElseThrow())))
                .isEqualTo("rw-------");

        Keyring reopened = Keyring.open(dataDir, clock);
        assertThat(reopened.activeKeyId()).isEqualTo(newKey);
        assertThat(new VariableCipher(reopened).decrypt(old)).isEqualTo(Map.of("old", "secret"));
        try (var listing = Files.list(dataDir)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("keyring.json");
        }
    }

    @Test
    void aWorldReadableKeyringIsSealed() throws Exception {
        Path dataDir = tmp.resolve("data");
        Keyring.open(dataDir, new MutableClock(NOW));
        Files.setPosixFilePermissions(dataDir.resolve("keyring.json"), PosixFilePermissions.fromString("rw-r--r--"));

        Keyring keyring = Keyring.open(dataDir, new MutableClock(NOW));

        assertSealed(keyring, "accessible to other users");
        // never rewritten: the keys are still there to be recovered
        assertThat(JSON.readTree(dataDir.resolve("keyring.json").toFile()).path("keys")).hasSize(1);
    }

    @Test
    void anUnparsableKeyringIsSealedWithoutQuotingIt() throws Exception {
        Path dataDir = keyringDir("{\"version\":1,\"keys\":[{\"id\": SECRETKEYMATERIAL");

        assertSealed(Keyring.open(dataDir, new MutableClock(NOW)), "cannot read");
        assertThat(Keyring.open(dataDir, new MutableClock(NOW)).sealedReason().orElseThrow())
                .doesNotContain("SECRETKEYMATERIAL");
    }

    @Test
    void anUnreadableKeyringIsSealed() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(dataDir.resolve("keyring.json"));   // unreadable as a file, even by root

        assertSealed(Keyring.open(dataDir, new MutableClock(NOW)), "not a regular file");
    }

    @Test
    void aSymlinkedKeyringIsSealed() throws Exception {
        Path dataDir = tmp.resolve("data");
        Keyring.open(dataDir, new MutableClock(NOW));
        Path elsewhere = tmp.resolve("elsewhere.json");
        Files.move(dataDir.resolve("keyring.json"), elsewhere);
        Files.createSymbolicLink(dataDir.resolve("keyring.json"), elsewhere);

        assertSealed(Keyring.open(dataDir, new MutableClock(NOW)), "not a regular file");
    }

    @Test
    void malformedKeyringsAreSealed() throws Exception {
        String good = goodKeyringJson();
        Map<String, UnaryOperator<String>> corruptions = Map.of(
                "unknown format version", json -> json.replace("\"version\" : 1", "\"version\" : 2"),
                "not a 256-bit key", json -> json.replaceAll("\"key\" : \"[^\"]*\"", "\"key\" : \"AAAA\""),
                "not base64", json -> json.replaceAll("\"key\" : \"[^\"]*\"", "\"key\" : \"!!!\""),
                "0 active keys", json -> json.replace("\"active\"", "\"inactive\""),
                "unknown state", json -> json.replace("\"active\"", "\"rekeying\""),
                "not a UUID", json -> json.replaceAll("\"id\" : \"[^\"]*\"", "\"id\" : \"x\""),
                "no keys", json -> "{\"version\":1,\"keys\":[]}",
                "not a JSON object", json -> "[]");
        for (Map.Entry<String, UnaryOperator<String>> corruption : corruptions.entrySet()) {
            String json = corruption.getValue().apply(good);
            assertThat(json).as(corruption.getKey()).isNotEqualTo(good);
            Path dataDir = keyringDir(json);

            assertSealed(Keyring.open(dataDir, new MutableClock(NOW)), corruption.getKey());
        }
    }

    @Test
    void aSealedKeyringDoesNotStopTheOtherStores() throws Exception {
        Path dataDir = tmp.resolve("data");
        Keyring.open(dataDir, new MutableClock(NOW));
        Files.setPosixFilePermissions(dataDir.resolve("keyring.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Keyring keyring = Keyring.open(dataDir, new MutableClock(NOW));
        assertThat(keyring.isSealed()).isTrue();

        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
            EmbeddedAclPolicyStore policies = new EmbeddedAclPolicyStore(database);
            EmbeddedNodeMetadataStore metadata = new EmbeddedNodeMetadataStore(database);
            EmbeddedVariableStore variables = new EmbeddedVariableStore(database, new MutableClock(NOW));
            AclToken token = EmbeddedDatabaseTest.token("a");

            tokens.put(token);
            policies.put(new AclPolicy("p", "", "", Optional.empty(), 0, 0));
            metadata.write("n", Map.of("k", Optional.of("v")));

            assertThat(tokens.findBySecretId(token.secretId())).contains(token);
            assertThat(policies.find("p")).isPresent();
            assertThat(metadata.read("n")).containsKey("k");
            assertThat(variables.list("*", "")).isEmpty();
            VariableCipher cipher = new VariableCipher(keyring);
            assertThatThrownBy(() -> variables.put(cipher.encrypt("default", "a", Map.of("k", "v")),
                    OptionalLong.empty())).isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("keyring is sealed");
        }
    }

    @Test
    void neverPrintsKeyMaterial() throws Exception {
        Path dataDir = tmp.resolve("data");
        Keyring keyring = Keyring.open(dataDir, new MutableClock(NOW));
        String material = JSON.readTree(dataDir.resolve("keyring.json").toFile()).path("keys").get(0).path("key")
                .asText();

        assertThat(keyring.toString()).contains(keyring.activeKeyId()).doesNotContain(material);
        assertThat(keyring.keys().toString()).doesNotContain(material);
        assertThat(new VariableCipher(keyring).toString()).doesNotContain(material);
    }

    private String goodKeyringJson() throws Exception {
        Path dataDir = tmp.resolve("good");
        Keyring.open(dataDir, new MutableClock(NOW));
        return Files.readString(dataDir.resolve("keyring.json"));
    }

    private int dirs;

    private Path keyringDir(String content) throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("dir" + dirs++));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path file = dataDir.resolve("keyring.json");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return dataDir;
    }

    private static void assertSealed(Keyring keyring, String reason) {
        assertThat(keyring.isSealed()).as(reason).isTrue();
        assertThat(keyring.sealedReason().orElseThrow()).as(reason).contains(reason);
        assertThat(keyring.toString()).contains("sealed");
        assertThatThrownBy(keyring::activeKeyId).as(reason).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("keyring is sealed");
        assertThatThrownBy(keyring::keys).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(keyring::rotate).isInstanceOf(StateUnavailableException.class);
        VariableCipher cipher = new VariableCipher(keyring);
        assertThatThrownBy(() -> cipher.encrypt("default", "a", Map.of("k", "v")))
                .isInstanceOf(StateUnavailableException.class);
        StoredVariable any = new StoredVariable("default", "a", "k", new byte[40], 1, 1, NOW, NOW);
        assertThatThrownBy(() -> cipher.decrypt(any)).isInstanceOf(StateUnavailableException.class);
    }
}
