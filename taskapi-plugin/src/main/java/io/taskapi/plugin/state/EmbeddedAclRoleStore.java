package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACL roles in the embedded database (table {@code acl_roles}, keyed by id, names unique). A role's create index is
 * kept across replacements. Thread-safe.
 */
public final class EmbeddedAclRoleStore implements AclRoleStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
    private static final String COLUMNS = "id, name, description, policies, create_index, modify_index";

    private final EmbeddedDatabase database;

    /** @param database the open embedded database */
    public EmbeddedAclRoleStore(EmbeddedDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<AclRole> find(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return database.read("look up an ACL role", connection -> findBy(connection, "id", id));
    }

    @Override
    public Optional<AclRole> findByName(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return database.read("look up an ACL role", connection -> findBy(connection, "name", name));
    }

    @Override
    public List<AclRole> list() throws StateUnavailableException {
        return database.read("list ACL roles", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM acl_roles ORDER BY id");
                 ResultSet rows = statement.executeQuery()) {
                List<AclRole> all = new ArrayList<>();
                while (rows.next()) {
                    all.add(role(rows));
                }
                return List.copyOf(all);
            }
        });
    }

    @Override
    public AclRole put(AclRole role) throws StateUnavailableException {
        requireNonNull(role, "role is null");
        String policies = EmbeddedAclTokenStore.json(role.policies());
        return database.write("store an ACL role", Topic.ACL_ROLES, transaction -> {
            Connection connection = transaction.connection();
            Optional<AclRole> named = findBy(connection, "name", role.name());
            if (named.isPresent() && !named.get().id().equals(role.id())) {
                throw new IllegalArgumentException("another ACL role is named " + role.name());
            }
            Optional<AclRole> existing = findBy(connection, "id", role.id());
            long index = transaction.index();
            long createIndex = existing.map(AclRole::createIndex).orElse(index);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO acl_roles (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    + "description = excluded.description, policies = excluded.policies, "
                    + "modify_index = excluded.modify_index")) {
                upsert.setString(1, role.id());
                upsert.setString(2, role.name());
                upsert.setString(3, role.description());
                upsert.setString(4, policies);
                upsert.setLong(5, createIndex);
                upsert.setLong(6, index);
                upsert.executeUpdate();
            }
            return role.withIndexes(createIndex, index);
        });
    }

    @Override
    public boolean delete(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return database.write("delete an ACL role", Topic.ACL_ROLES, transaction -> {
            Connection connection = transaction.connection();
            if (findBy(connection, "id", id).isEmpty()) {
                return false;
            }
            transaction.index();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM acl_roles WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return database.onChange(Topic.ACL_ROLES, listener);
    }

    @Override
    public String toString() {
        return "EmbeddedAclRoleStore[" + database.file() + "]";
    }

    /** @param column {@code id} or {@code name}, never caller input */
    private static Optional<AclRole> findBy(Connection connection, String column, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM acl_roles WHERE " + column + " = ?")) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(role(rows)) : Optional.empty();
            }
        }
    }

    private static AclRole role(ResultSet rows) throws SQLException {
        String id = rows.getString("id");
        try {
            return new AclRole(id, rows.getString("name"), rows.getString("description"),
                    JSON.readValue(rows.getString("policies"), STRING_LIST), rows.getLong("create_index"),
                    rows.getLong("modify_index"));
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new SQLException("the ACL role row " + id + " is corrupt (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** @return the database it keeps its rows in */
    EmbeddedDatabase database() {
        return database;
    }
}
