package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclTokenStoreTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.123456789Z");

    @TempDir
    Path tmp;

    private Path dataDir;
    private EmbeddedDatabase database;
    private EmbeddedAclTokenStore tokens;

    @BeforeEach
    void open() throws Exception {
        dataDir = tmp.resolve("data");
        database = EmbeddedDatabase.open(dataDir);
        tokens = new EmbeddedAclTokenStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void findsATokenByItsExactSecretOnly() throws Exception {
        AclToken reader = token("reader", AclTokenType.CLIENT, List.of("node-read", "vars"), Optional.empty());
        AclToken admin = token("admin", AclTokenType.MANAGEMENT, List.of(), Optional.of(NOW.plusSeconds(60)));
        tokens.put(reader);
        tokens.put(admin);

        assertThat(tokens.findBySecretId(reader.secretId())).contains(reader);
        assertThat(tokens.findBySecretId(admin.secretId())).contains(admin);
        assertThat(tokens.findBySecretId(reader.accessorId())).isEmpty();
        assertThat(tokens.findBySecretId(reader.secretId().toUpperCase(Locale.ROOT))).isEmpty();
        assertThat(tokens.findBySecretId(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void keepsEveryFieldExactly() throws Exception {
        AclToken expiring = token("expiring", AclTokenType.CLIENT, List.of("b", "a"),
                Optional.of(Instant.parse("2031-02-03T04:05:06.000000007Z")));

        tokens.put(expiring);

        AclToken found = tokens.findByAccessorId(expiring.accessorId()).orElseThrow();
        assertThat(found).isEqualTo(expiring);
        assertThat(found.policies()).containsExactly("b", "a");
        assertThat(found.createTime()).isEqualTo(NOW);
        assertThat(found.expirationTime()).contains(Instant.parse("2031-02-03T04:05:06.000000007Z"));
    }

    @Test
    void findsByAccessorIdAndListsAll() throws Exception {
        AclToken a = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        AclToken b = token("b", AclTokenType.MANAGEMENT, List.of(), Optional.empty());
        assertThat(tokens.list()).isEmpty();
        tokens.put(a);
        tokens.put(b);

        assertThat(tokens.findByAccessorId(a.accessorId())).contains(a);
        assertThat(tokens.findByAccessorId(a.secretId())).isEmpty();
        assertThat(tokens.findByAccessorId("missing")).isEmpty();
        assertThat(tokens.list()).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void putReplacesByAccessorIdIncludingTheSecret() throws Exception {
        AclToken first = token("first", AclTokenType.CLIENT, List.of("p"), Optional.empty());
        tokens.put(first);
        AclToken rotated = new AclToken(first.accessorId(), UUID.randomUUID().toString(), "renamed",
                AclTokenType.MANAGEMENT, List.of(), NOW, Optional.empty());

        tokens.put(rotated);

        assertThat(tokens.findBySecretId(first.secretId())).isEmpty();
        assertThat(tokens.findBySecretId(rotated.secretId())).contains(rotated);
        assertThat(tokens.list()).containsExactly(rotated);
    }

    @Test
    void aSecretBelongsToOneTokenOnly() throws Exception {
        AclToken first = token("first", AclTokenType.CLIENT, List.of(), Optional.empty());
        tokens.put(first);
        AclToken thief = new AclToken(UUID.randomUUID().toString(), first.secretId(), "thief", AclTokenType.MANAGEMENT,
                List.of(), NOW, Optional.empty());

        assertThatThrownBy(() -> tokens.put(thief)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another ACL token already has this secret")
                .hasMessageNotContaining(first.secretId());
        assertThat(tokens.findBySecretId(first.secretId())).contains(first);
        assertThat(tokens.list()).containsExactly(first);
    }

    @Test
    void deleteRemovesAndSaysWhetherThereWasOne() throws Exception {
        AclToken token = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        tokens.put(token);

        assertThat(tokens.delete(token.accessorId())).isTrue();
        assertThat(tokens.delete(token.accessorId())).isFalse();
        assertThat(tokens.findBySecretId(token.secretId())).isEmpty();
        assertThat(tokens.findByAccessorId(token.accessorId())).isEmpty();
    }

    @Test
    void indexesTheSecretBySha256AndStoresItForTheAclApi() throws Exception {
        AclToken token = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        tokens.put(token);

        try (Connection raw = EmbeddedDatabaseTest.raw(dataDir); Statement statement = raw.createStatement();
             ResultSet rows = statement.executeQuery("SELECT secret_hash, secret_id FROM acl_tokens")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBytes(1)).isEqualTo(MessageDigest.getInstance("SHA-256")
                    .digest(token.secretId().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(rows.getString(2)).isEqualTo(token.secretId());
        }
    }

    @Test
    void bootstrapsOnceEvenAfterTheTokenIsDeletedAndAfterReopening() throws Exception {
        AclToken first = token("bootstrap", AclTokenType.MANAGEMENT, List.of(), Optional.empty());
        AclToken second = token("again", AclTokenType.MANAGEMENT, List.of(), Optional.empty());
        assertThat(tokens.isBootstrapped()).isFalse();

        assertThat(tokens.bootstrap(first)).isTrue();
        assertThat(tokens.isBootstrapped()).isTrue();
        assertThat(tokens.findBySecretId(first.secretId())).contains(first);
        assertThat(tokens.bootstrap(second)).isFalse();
        assertThat(tokens.findBySecretId(second.secretId())).isEmpty();

        assertThat(tokens.delete(first.accessorId())).isTrue();
        long index = database.currentIndex();
        assertThat(tokens.bootstrap(second)).isFalse();
        assertThat(database.currentIndex()).isEqualTo(index);   // a refused bootstrap changes nothing
        assertThat(tokens.list()).isEmpty();

        database.close();
        database = EmbeddedDatabase.open(dataDir);
        tokens = new EmbeddedAclTokenStore(database);
        assertThat(tokens.isBootstrapped()).isTrue();
        assertThat(tokens.bootstrap(second)).isFalse();
        assertThat(tokens.list()).isEmpty();
    }

    @Test
    void bootstrapTakesAManagementTokenOnly() throws Exception {
        AclToken client = token("client", AclTokenType.CLIENT, List.of(), Optional.empty());

        assertThatThrownBy(() -> tokens.bootstrap(client)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tokens.isBootstrapped()).isFalse();
    }

    @Test
    void tokensSurviveReopening() throws Exception {
        AclToken token = token("a", AclTokenType.CLIENT, List.of("p"), Optional.of(NOW));
        tokens.put(token);
        database.close();

        database = EmbeddedDatabase.open(dataDir);
        tokens = new EmbeddedAclTokenStore(database);

        assertThat(tokens.findBySecretId(token.secretId())).contains(token);
    }

    @Test
    void neverPrintsASecret() throws Exception {
        AclToken token = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        tokens.put(token);

        assertThat(tokens.toString()).doesNotContain(token.secretId());
    }

    private static AclToken token(String name, AclTokenType type, List<String> policies, Optional<Instant> expiry) {
        return new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), name, type, policies, NOW,
                expiry);
    }
}
