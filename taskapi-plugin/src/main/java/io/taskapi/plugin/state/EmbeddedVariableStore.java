package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Encrypted variables in the embedded database (table {@code variables}, keyed by namespace and path). The store
 * holds only what {@link VariableCipher} produced: key id and ciphertext, never plaintext.
 *
 * <p>Check-and-set runs inside the write transaction, as the SPI says: for a put, an expected index of 0 succeeds
 * only when the variable is absent, N only when its modify index is N; for a delete, 0 succeeds only when it is
 * absent (and deletes nothing), N only when its modify index is N. A failed check throws
 * {@link CasConflictException} with the variable as it is, or {@code null} when it does not exist, and changes
 * nothing. Times are kept in nanoseconds since the epoch, as Nomad reports them. Thread-safe.
 */
public final class EmbeddedVariableStore implements VariableStore {
    /** The namespace that {@link #list} reads as "every namespace". */
    public static final String ALL_NAMESPACES = "*";

    private static final String COLUMNS = "namespace, path, key_id, ciphertext, create_index, modify_index, "
            + "create_time_nanos, modify_time_nanos";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Comparator<StoredVariable> ORDER = Comparator.comparing(StoredVariable::namespace)
            .thenComparing(StoredVariable::path);

    private final EmbeddedDatabase database;
    private final Clock clock;

    /**
     * @param database the open embedded database
     * @param clock gives the create and modify times
     */
    public EmbeddedVariableStore(EmbeddedDatabase database, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<StoredVariable> get(String namespace, String path) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        return database.read("read a variable", connection -> find(connection, namespace, path));
    }

    @Override
    public List<StoredVariable> list(String namespace, String pathPrefix) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(pathPrefix, "pathPrefix is null");
        boolean all = ALL_NAMESPACES.equals(namespace);
        List<StoredVariable> variables = database.read("list variables", connection -> {
            // substr, not LIKE: no wildcards to escape, and LIKE ignores ASCII case.
            String sql = "SELECT " + COLUMNS + " FROM variables WHERE substr(path, 1, length(?)) = ?"
                    + (all ? "" : " AND namespace = ?");
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, pathPrefix);
                statement.setString(2, pathPrefix);
                if (!all) {
                    statement.setString(3, namespace);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    List<StoredVariable> found = new ArrayList<>();
                    while (rows.next()) {
                        found.add(variable(rows));
                    }
                    return found;
                }
            }
        });
        variables.removeIf(variable -> !variable.path().startsWith(pathPrefix));
        variables.sort(ORDER);
        return List.copyOf(variables);
    }

    @Override
    public StoredVariable put(StoredVariable variable, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(variable, "variable is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        return database.write("store a variable", Topic.VARIABLES, transaction -> {
            Connection connection = transaction.connection();
            Optional<StoredVariable> current = find(connection, variable.namespace(), variable.path());
            check(current, expectedModifyIndex);
            long index = transaction.index();
            Instant now = clock.instant();
            long createIndex = current.map(StoredVariable::createIndex).orElse(index);
            Instant createTime = current.map(StoredVariable::createTime).orElse(now);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO variables (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, path) DO UPDATE SET "
                    + "key_id = excluded.key_id, ciphertext = excluded.ciphertext, "
                    + "modify_index = excluded.modify_index, modify_time_nanos = excluded.modify_time_nanos")) {
                upsert.setString(1, variable.namespace());
                upsert.setString(2, variable.path());
                upsert.setString(3, variable.keyId());
                upsert.setBytes(4, variable.ciphertext());
                upsert.setLong(5, createIndex);
                upsert.setLong(6, index);
                upsert.setLong(7, toNanos(createTime));
                upsert.setLong(8, toNanos(now));
                upsert.executeUpdate();
            }
            // What a read gives back: times at the stored (nanosecond) precision.
            return variable.stored(createIndex, index, fromNanos(toNanos(createTime)), fromNanos(toNanos(now)));
        });
    }

    @Override
    public boolean delete(String namespace, String path, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        return database.write("delete a variable", Topic.VARIABLES, transaction -> {
            Connection connection = transaction.connection();
            Optional<StoredVariable> current = find(connection, namespace, path);
            check(current, expectedModifyIndex);
            if (current.isEmpty()) {
                return false;
            }
            transaction.index();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM variables WHERE namespace = ? AND path = ?")) {
                delete.setString(1, namespace);
                delete.setString(2, path);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public String toString() {
        return "EmbeddedVariableStore[" + database.file() + "]";
    }

    /** Nomad's check-and-set: 0 means "only if absent", N "only if its modify index is N". */
    private static void check(Optional<StoredVariable> current, OptionalLong expected) throws CasConflictException {
        if (expected.isEmpty()) {
            return;
        }
        long index = expected.getAsLong();
        if (index == 0) {
            if (current.isPresent()) {
                throw new CasConflictException(current.get());
            }
        } else if (current.isEmpty()) {
            throw new CasConflictException(null);
        } else if (current.get().modifyIndex() != index) {
            throw new CasConflictException(current.get());
        }
    }

    private static Optional<StoredVariable> find(Connection connection, String namespace, String path)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM variables WHERE namespace = ? AND path = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, path);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(variable(rows)) : Optional.empty();
            }
        }
    }

    private static StoredVariable variable(ResultSet rows) throws SQLException {
        String namespace = rows.getString("namespace");
        String path = rows.getString("path");
        String keyId = rows.getString("key_id");
        byte[] ciphertext = rows.getBytes("ciphertext");
        if (keyId == null || ciphertext == null) {
            throw new SQLException("the variable row " + namespace + "/" + path + " is corrupt");
        }
        return new StoredVariable(namespace, path, keyId, ciphertext, rows.getLong("create_index"),
                rows.getLong("modify_index"), fromNanos(rows.getLong("create_time_nanos")),
                fromNanos(rows.getLong("modify_time_nanos")));
    }

    static long toNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** @return the database it keeps its rows in, for the index the plugin's answers start from */
    EmbeddedDatabase database() {
        return database;
    }
}
