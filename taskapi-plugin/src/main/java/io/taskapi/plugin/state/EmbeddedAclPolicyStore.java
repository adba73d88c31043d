package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * ACL policies in the embedded database (table {@code acl_policies}, keyed by name). A policy's create index is kept
 * across replacements; its modify index is the index of its last write. Thread-safe.
 */
public final class EmbeddedAclPolicyStore implements AclPolicyStore {
    private static final String COLUMNS = "name, description, rules, job_namespace, job_id, job_group, job_task, "
            + "create_index, modify_index";

    private final EmbeddedDatabase database;

    /** @param database the open embedded database */
    public EmbeddedAclPolicyStore(EmbeddedDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<AclPolicy> find(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return database.read("look up an ACL policy", connection -> find(connection, name));
    }

    @Override
    public List<AclPolicy> list() throws StateUnavailableException {
        List<AclPolicy> policies = database.read("list ACL policies", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM acl_policies ORDER BY name");
                 ResultSet rows = statement.executeQuery()) {
                List<AclPolicy> all = new ArrayList<>();
                while (rows.next()) {
                    all.add(policy(rows));
                }
                return all;
            }
        });
        // SQLite orders by UTF-8 bytes; sort as Java does, so that every store gives the same order.
        policies.sort(Comparator.comparing(AclPolicy::name));
        return List.copyOf(policies);
    }

    @Override
    public AclPolicy put(AclPolicy policy) throws StateUnavailableException {
        requireNonNull(policy, "policy is null");
        return database.write("store an ACL policy", Topic.ACL_POLICIES, transaction -> {
            Connection connection = transaction.connection();
            Optional<AclPolicy> existing = find(connection, policy.name());
            long index = transaction.index();
            long createIndex = existing.map(AclPolicy::createIndex).orElse(index);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO acl_policies (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                    + "description = excluded.description, rules = excluded.rules, "
                    + "job_namespace = excluded.job_namespace, job_id = excluded.job_id, "
                    + "job_group = excluded.job_group, job_task = excluded.job_task, "
                    + "modify_index = excluded.modify_index")) {
                upsert.setString(1, policy.name());
                upsert.setString(2, policy.description());
                upsert.setString(3, policy.rules());
                upsert.setString(4, policy.jobAcl().map(JobAcl::namespace).orElse(null));
                upsert.setString(5, policy.jobAcl().map(JobAcl::jobId).orElse(null));
                upsert.setString(6, policy.jobAcl().map(JobAcl::group).orElse(null));
                upsert.setString(7, policy.jobAcl().map(JobAcl::task).orElse(null));
                upsert.setLong(8, createIndex);
                upsert.setLong(9, index);
                upsert.executeUpdate();
            }
            return policy.withIndexes(createIndex, index);
        });
    }

    @Override
    public boolean delete(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return database.write("delete an ACL policy", Topic.ACL_POLICIES, transaction -> {
            Connection connection = transaction.connection();
            if (find(connection, name).isEmpty()) {
                return false;
            }
            transaction.index();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM acl_policies WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return database.onChange(Topic.ACL_POLICIES, listener);
    }

    @Override
    public String toString() {
        return "EmbeddedAclPolicyStore[" + database.file() + "]";
    }

    private static Optional<AclPolicy> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM acl_policies WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(policy(rows)) : Optional.empty();
            }
        }
    }

    private static AclPolicy policy(ResultSet rows) throws SQLException {
        String name = rows.getString("name");
        String namespace = rows.getString("job_namespace");
        try {
            Optional<JobAcl> jobAcl = namespace == null ? Optional.empty() : Optional.of(new JobAcl(namespace,
                    rows.getString("job_id"), rows.getString("job_group"), rows.getString("job_task")));
            return new AclPolicy(name, rows.getString("description"), rows.getString("rules"), jobAcl,
                    rows.getLong("create_index"), rows.getLong("modify_index"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SQLException("the ACL policy row " + name + " is corrupt (" + e.getMessage() + ")");
        }
    }

    /** @return the database it keeps its rows in, for the index the plugin's answers start from */
    EmbeddedDatabase database() {
        return database;
    }
}
