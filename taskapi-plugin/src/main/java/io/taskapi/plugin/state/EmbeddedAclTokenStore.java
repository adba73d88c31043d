package io.taskapi.plugin.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import io.taskapi.spi.state.WriteIndexes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACL tokens in the embedded database (table {@code acl_tokens}, keyed by accessor id).
 *
 * <p><b>Secrets.</b> A token is found by the SHA-256 of its secret ({@code secret_hash}, a unique index), never by
 * comparing secret strings, and the hit is confirmed with {@link MessageDigest#isEqual}. The secret itself is stored
 * too, in clear, because Nomad's ACL API gives it back ({@code GET /v1/acl/token/:accessor} to a management token):
 * it is protected by the file modes (the database is 0600 in a 0700 directory), not by encryption, as in Nomad's own
 * state store. Secure delete is on, so a deleted token's secret is overwritten in the database file. Secrets are
 * never logged and never appear in an exception message.
 *
 * <p><b>Bootstrap</b> is once in the store's life: it records a flag row in the same transaction as the token, and
 * the flag stays when the token is deleted.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedAclTokenStore implements AclTokenStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
    private static final String COLUMNS = "accessor_id, secret_id, name, type, policies, create_time, "
            + "expiration_time, roles";
    private static final String BOOTSTRAP_KEY = "acl_bootstrap_index";

    private final EmbeddedDatabase database;

    /** @param database the open embedded database */
    public EmbeddedAclTokenStore(EmbeddedDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException {
        requireNonNull(secretId, "secretId is null");
        byte[] presented = secretId.getBytes(UTF_8);
        byte[] hash = sha256(presented);
        Optional<AclToken> found = database.read("look up an ACL token", connection ->
                queryOne(connection, "SELECT " + COLUMNS + " FROM acl_tokens WHERE secret_hash = ?",
                        statement -> statement.setBytes(1, hash)));
        // The digest match is all but certain; the constant-time compare makes it certain without leaking timing.
        return found.filter(token -> MessageDigest.isEqual(token.secretId().getBytes(UTF_8), presented));
    }

    @Override
    public Optional<AclToken> findByAccessorId(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        return database.read("look up an ACL token", connection ->
                queryOne(connection, "SELECT " + COLUMNS + " FROM acl_tokens WHERE accessor_id = ?",
                        statement -> statement.setString(1, accessorId)));
    }

    @Override
    public WriteIndexes writeIndexes(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        return database.read("read an ACL token's indexes", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT create_index, modify_index FROM acl_tokens WHERE accessor_id = ?")) {
                statement.setString(1, accessorId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? new WriteIndexes(rows.getLong(1), rows.getLong(2)) : WriteIndexes.NONE;
                }
            }
        });
    }

    @Override
    public List<AclToken> list() throws StateUnavailableException {
        return database.read("list ACL tokens", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM acl_tokens ORDER BY accessor_id");
                 ResultSet rows = statement.executeQuery()) {
                List<AclToken> tokens = new ArrayList<>();
                while (rows.next()) {
                    tokens.add(token(rows));
                }
                return List.copyOf(tokens);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when another token (another accessor id) already has this secret
     */
    @Override
    public void put(AclToken token) throws StateUnavailableException {
        requireNonNull(token, "token is null");
        String policies = policiesJson(token);
        database.write("store an ACL token", Topic.ACL_TOKENS, transaction -> {
            upsert(transaction, token, policies);
            return null;
        });
    }

    @Override
    public boolean delete(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        return database.write("delete an ACL token", Topic.ACL_TOKENS, transaction -> {
            Connection connection = transaction.connection();
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM acl_tokens WHERE accessor_id = ?")) {
                exists.setString(1, accessorId);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        return false;
                    }
                }
            }
            transaction.index();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM acl_tokens WHERE accessor_id = ?")) {
                delete.setString(1, accessorId);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean bootstrap(AclToken managementToken) throws StateUnavailableException {
        requireNonNull(managementToken, "managementToken is null");
        if (managementToken.type() != AclTokenType.MANAGEMENT) {
            throw new IllegalArgumentException("the bootstrap token must be a management token");
        }
        String policies = policiesJson(managementToken);
        return database.write("bootstrap the ACL system", Topic.ACL_TOKENS, transaction -> {
            Connection connection = transaction.connection();
            try (PreparedStatement done = connection.prepareStatement("SELECT 1 FROM meta WHERE key = ?")) {
                done.setString(1, BOOTSTRAP_KEY);
                try (ResultSet rows = done.executeQuery()) {
                    if (rows.next()) {
                        return false;
                    }
                }
            }
            long index = transaction.index();
            try (PreparedStatement flag = connection.prepareStatement(
                    "INSERT INTO meta (key, value) VALUES (?, ?)")) {
                flag.setString(1, BOOTSTRAP_KEY);
                flag.setLong(2, index);
                flag.executeUpdate();
            }
            upsert(transaction, managementToken, policies);
            return true;
        });
    }

    /**
     * @return whether {@link #bootstrap} has succeeded once in this store's life
     * @throws StateUnavailableException when the store cannot answer
     */
    public boolean isBootstrapped() throws StateUnavailableException {
        return database.read("read the ACL bootstrap flag", connection -> {
            try (PreparedStatement done = connection.prepareStatement("SELECT 1 FROM meta WHERE key = ?")) {
                done.setString(1, BOOTSTRAP_KEY);
                try (ResultSet rows = done.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return database.onChange(Topic.ACL_TOKENS, listener);
    }

    @Override
    public String toString() {
        return "EmbeddedAclTokenStore[" + database.file() + "]";
    }

    // ---- rows

    private static void upsert(EmbeddedDatabase.WriteTransaction transaction, AclToken token, String policies)
            throws SQLException {
        Connection connection = transaction.connection();
        byte[] hash = sha256(token.secretId().getBytes(UTF_8));
        try (PreparedStatement clash = connection.prepareStatement(
                "SELECT 1 FROM acl_tokens WHERE secret_hash = ? AND accessor_id <> ?")) {
            clash.setBytes(1, hash);
            clash.setString(2, token.accessorId());
            try (ResultSet rows = clash.executeQuery()) {
                if (rows.next()) {
                    throw new IllegalArgumentException("another ACL token already has this secret (accessor "
                            + token.accessorId() + " not stored)");
                }
            }
        }
        long index = transaction.index();
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO acl_tokens (accessor_id, "
                + "secret_hash, secret_id, name, type, policies, create_time, expiration_time, create_index, "
                + "modify_index, roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (accessor_id) "
                + "DO UPDATE SET "
                + "secret_hash = excluded.secret_hash, secret_id = excluded.secret_id, name = excluded.name, "
                + "type = excluded.type, policies = excluded.policies, create_time = excluded.create_time, "
                + "expiration_time = excluded.expiration_time, modify_index = excluded.modify_index, "
                + "roles = excluded.roles")) {
            upsert.setString(1, token.accessorId());
            upsert.setBytes(2, hash);
            upsert.setString(3, token.secretId());
            upsert.setString(4, token.name());
            upsert.setString(5, token.type().name());
            upsert.setString(6, policies);
            upsert.setString(7, token.createTime().toString());
            upsert.setString(8, token.expirationTime().map(Instant::toString).orElse(null));
            upsert.setLong(9, index);
            upsert.setLong(10, index);
            upsert.setString(11, json(token.roles()));
            upsert.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static Optional<AclToken> queryOne(Connection connection, String sql, Binder binder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
    }

    private static AclToken token(ResultSet rows) throws SQLException {
        String accessorId = rows.getString("accessor_id");
        try {
            String expiration = rows.getString("expiration_time");
            return new AclToken(accessorId, rows.getString("secret_id"), rows.getString("name"),
                    AclTokenType.valueOf(rows.getString("type")),
                    JSON.readValue(rows.getString("policies"), STRING_LIST),
                    Instant.parse(rows.getString("create_time")),
                    expiration == null ? Optional.empty() : Optional.of(Instant.parse(expiration)),
                    JSON.readValue(rows.getString("roles"), STRING_LIST));
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException
                 | NullPointerException e) {
            // Never the row's content in the message: it holds the secret.
            throw new SQLException("the ACL token row " + accessorId + " is corrupt ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String policiesJson(AclToken token) {
        return json(token.policies());
    }

    static String json(List<String> strings) {
        try {
            return JSON.writeValueAsString(strings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return the database it keeps its rows in, for the index the plugin's answers start from */
    EmbeddedDatabase database() {
        return database;
    }
}
