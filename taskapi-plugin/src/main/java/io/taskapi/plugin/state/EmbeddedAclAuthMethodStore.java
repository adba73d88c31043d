package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * ACL auth methods (table {@code acl_auth_methods}, by name) and binding rules (table {@code acl_binding_rules}, by
 * id) in the embedded database. Deleting a method deletes its rules in the same transaction. Thread-safe.
 */
public final class EmbeddedAclAuthMethodStore implements AclAuthMethodStore {
    private static final String METHOD_COLUMNS = "name, type, token_locality, max_token_ttl_nanos, is_default, config, "
            + "create_time, modify_time, create_index, modify_index";
    private static final String RULE_COLUMNS = "id, description, auth_method, selector, bind_type, bind_name, "
            + "create_time, modify_time, create_index, modify_index";

    private final EmbeddedDatabase database;

    /** @param database the open embedded database */
    public EmbeddedAclAuthMethodStore(EmbeddedDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<AclAuthMethod> findMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return database.read("look up an ACL auth method", connection -> findMethod(connection, name));
    }

    @Override
    public List<AclAuthMethod> listMethods() throws StateUnavailableException {
        List<AclAuthMethod> methods = database.read("list ACL auth methods", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + METHOD_COLUMNS
                    + " FROM acl_auth_methods");
                 ResultSet rows = statement.executeQuery()) {
                List<AclAuthMethod> all = new ArrayList<>();
                while (rows.next()) {
                    all.add(method(rows));
                }
                return all;
            }
        });
        methods.sort(Comparator.comparing(AclAuthMethod::name));
        return List.copyOf(methods);
    }

    @Override
    public AclAuthMethod putMethod(AclAuthMethod method) throws StateUnavailableException {
        requireNonNull(method, "method is null");
        return database.write("store an ACL auth method", Topic.ACL_AUTH_METHODS, transaction -> {
            Connection connection = transaction.connection();
            Optional<AclAuthMethod> existing = findMethod(connection, method.name());
            long index = transaction.index();
            long createIndex = existing.map(AclAuthMethod::createIndex).orElse(index);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO acl_auth_methods ("
                    + METHOD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                    + "type = excluded.type, token_locality = excluded.token_locality, "
                    + "max_token_ttl_nanos = excluded.max_token_ttl_nanos, is_default = excluded.is_default, "
                    + "config = excluded.config, create_time = excluded.create_time, "
                    + "modify_time = excluded.modify_time, modify_index = excluded.modify_index")) {
                upsert.setString(1, method.name());
                upsert.setString(2, method.type());
                upsert.setString(3, method.tokenLocality());
                upsert.setLong(4, method.maxTokenTtl().toNanos());
                upsert.setInt(5, method.isDefault() ? 1 : 0);
                upsert.setString(6, method.config());
                upsert.setString(7, method.createTime().toString());
                upsert.setString(8, method.modifyTime().toString());
                upsert.setLong(9, createIndex);
                upsert.setLong(10, index);
                upsert.executeUpdate();
            }
            return method.withIndexes(createIndex, index);
        });
    }

    @Override
    public boolean deleteMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return database.write("delete an ACL auth method", Topic.ACL_AUTH_METHODS, transaction -> {
            Connection connection = transaction.connection();
            if (findMethod(connection, name).isEmpty()) {
                return false;
            }
            transaction.index();
            try (PreparedStatement rules = connection.prepareStatement(
                    "DELETE FROM acl_binding_rules WHERE auth_method = ?");
                 PreparedStatement method = connection.prepareStatement("DELETE FROM acl_auth_methods WHERE name = ?")) {
                rules.setString(1, name);
                rules.executeUpdate();
                method.setString(1, name);
                method.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<AclBindingRule> findRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return database.read("look up an ACL binding rule", connection -> findRule(connection, id));
    }

    @Override
    public List<AclBindingRule> listRules() throws StateUnavailableException {
        return database.read("list ACL binding rules", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + RULE_COLUMNS
                    + " FROM acl_binding_rules ORDER BY id");
                 ResultSet rows = statement.executeQuery()) {
                List<AclBindingRule> all = new ArrayList<>();
                while (rows.next()) {
                    all.add(rule(rows));
                }
                return List.copyOf(all);
            }
        });
    }

    @Override
    public AclBindingRule putRule(AclBindingRule rule) throws StateUnavailableException {
        requireNonNull(rule, "rule is null");
        return database.write("store an ACL binding rule", Topic.ACL_AUTH_METHODS, transaction -> {
            Connection connection = transaction.connection();
            if (findMethod(connection, rule.authMethod()).isEmpty()) {
                throw new IllegalArgumentException("no ACL auth method is named " + rule.authMethod());
            }
            Optional<AclBindingRule> existing = findRule(connection, rule.id());
            long index = transaction.index();
            long createIndex = existing.map(AclBindingRule::createIndex).orElse(index);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO acl_binding_rules ("
                    + RULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    + "description = excluded.description, auth_method = excluded.auth_method, "
                    + "selector = excluded.selector, bind_type = excluded.bind_type, "
                    + "bind_name = excluded.bind_name, create_time = excluded.create_time, "
                    + "modify_time = excluded.modify_time, modify_index = excluded.modify_index")) {
                upsert.setString(1, rule.id());
                upsert.setString(2, rule.description());
                upsert.setString(3, rule.authMethod());
                upsert.setString(4, rule.selector());
                upsert.setString(5, rule.bindType());
                upsert.setString(6, rule.bindName());
                upsert.setString(7, rule.createTime().toString());
                upsert.setString(8, rule.modifyTime().toString());
                upsert.setLong(9, createIndex);
                upsert.setLong(10, index);
                upsert.executeUpdate();
            }
            return rule.withIndexes(createIndex, index);
        });
    }

    @Override
    public boolean deleteRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return database.write("delete an ACL binding rule", Topic.ACL_AUTH_METHODS, transaction -> {
            Connection connection = transaction.connection();
            if (findRule(connection, id).isEmpty()) {
                return false;
            }
            transaction.index();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM acl_binding_rules WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return database.onChange(Topic.ACL_AUTH_METHODS, listener);
    }

    @Override
    public String toString() {
        return "EmbeddedAclAuthMethodStore[" + database.file() + "]";
    }

    private static Optional<AclAuthMethod> findMethod(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + METHOD_COLUMNS
                + " FROM acl_auth_methods WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(method(rows)) : Optional.empty();
            }
        }
    }

    private static Optional<AclBindingRule> findRule(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + RULE_COLUMNS
                + " FROM acl_binding_rules WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rule(rows)) : Optional.empty();
            }
        }
    }

    private static AclAuthMethod method(ResultSet rows) throws SQLException {
        String name = rows.getString("name");
        try {
            return new AclAuthMethod(name, rows.getString("type"), rows.getString("token_locality"),
                    Duration.ofNanos(rows.getLong("max_token_ttl_nanos")), rows.getInt("is_default") != 0,
                    rows.getString("config"), Instant.parse(rows.getString("create_time")),
                    Instant.parse(rows.getString("modify_time")), rows.getLong("create_index"),
                    rows.getLong("modify_index"));
        } catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw new SQLException("the ACL auth method row " + name + " is corrupt ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static AclBindingRule rule(ResultSet rows) throws SQLException {
        String id = rows.getString("id");
        try {
            return new AclBindingRule(id, rows.getString("description"), rows.getString("auth_method"),
                    rows.getString("selector"), rows.getString("bind_type"), rows.getString("bind_name"),
                    Instant.parse(rows.getString("create_time")), Instant.parse(rows.getString("modify_time")),
                    rows.getLong("create_index"), rows.getLong("modify_index"));
        } catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw new SQLException("the ACL binding rule row " + id + " is corrupt ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** @return the database it keeps its rows in */
    EmbeddedDatabase database() {
        return database;
    }
}
