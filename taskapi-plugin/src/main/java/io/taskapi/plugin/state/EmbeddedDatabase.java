package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's embedded, durable store: one SQLite database, {@code <dataDir>/state.db}, shared by the embedded ACL
 * token, ACL policy, node metadata and variable stores.
 *
 * <p><b>Durability.</b> The database runs in WAL mode with {@code synchronous=FULL}: every commit fsyncs the
 * write-ahead log before the write returns, so an acknowledged write survives the agent being killed (even with
 * {@code kill -9}) and, as far as the disk honours fsync, a power loss.
 *
 * <p><b>Concurrency.</b> Writes are serialized: one writer connection, one transaction at a time
 * ({@code BEGIN IMMEDIATE}). Reads use a small pool of separate connections and run concurrently with each other and
 * with the writer (WAL readers see the last committed state). A lock file ({@code state.lock}) keeps a second agent
 * (or a second open in this JVM) off the same directory.
 *
 * <p><b>Index.</b> A single, monotonically increasing index, like Nomad's Raft index, is bumped inside the
 * transaction of every write that changes something; the stores use it as create and modify index.
 * {@link #currentIndex()} reads it.
 *
 * <p><b>Listeners</b> ({@link #onChange(Runnable)} and the stores' own {@code onChange}) are called after the commit,
 * on the writing thread, once the database's locks are released: a listener that reads sees the write.
 *
 * <p><b>Files.</b> The data directory is made 0700 when missing and must otherwise belong to the agent's user and be
 * closed to everyone else ({@link IllegalStateException} if not); the database file is made 0600 before SQLite
 * opens it, so its WAL and shared-memory files get the same mode.
 *
 * <p><b>Failures.</b> Every SQL failure becomes a {@link StateUnavailableException} whose message says what failed
 * and SQLite's result code, never a value: the original SQL exception is not attached as the cause, only a copy of
 * its result code and stack trace.
 *
 * <p>Its parts: {@link DatabaseFiles} (the files and the lock), {@link SqliteConnections}, {@link SchemaMigrations},
 * {@link ReaderPool}, {@link ChangeBus}. Thread-safe.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The database file's name in the data directory. */
    public static final String FILE_NAME = "state.db";
    /** The lock file's name in the data directory. */
    public static final String LOCK_FILE_NAME = "state.lock";
    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = SchemaMigrations.VERSION;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final int READERS = 4;

    /** What a write changed, so that each store's listeners hear only of their own table. */
    enum Topic {
        ACL_TOKENS, ACL_POLICIES, ACL_ROLES, ACL_AUTH_METHODS, NODE_METADATA, VARIABLES
    }

    /** Work on a read connection. */
    @FunctionalInterface
    interface SqlRead<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Work inside a write transaction; may throw its own checked exception, which rolls the transaction back. */
    @FunctionalInterface
    interface SqlWrite<T, E extends Exception> {
        T apply(WriteTransaction transaction) throws SQLException, E;
    }

    /** The open write transaction. */
    static final class WriteTransaction {
        private final Connection connection;
        private long index;

        private WriteTransaction(Connection connection) {
            this.connection = connection;
        }

        /** @return the writer connection, in the transaction */
        Connection connection() {
            return connection;
        }

        /**
         * Bumps the global index (once per transaction) and marks the transaction as a change to commit. Call it
         * before changing anything: a transaction that never called it is rolled back.
         *
         * @return this write's index
         */
        long index() throws SQLException {
            if (index == 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE meta SET value = value + 1 WHERE key = 'index'");
                    try (ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'index'")) {
                        if (!rows.next()) {
                            throw new SQLException("the index row is missing");
                        }
                        index = rows.getLong(1);
                    }
                }
            }
            return index;
        }

        private boolean changed() {
            return index != 0;
        }
    }

    private final DatabaseFiles files;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    // Held shared by every operation and exclusively by close, so that close never pulls a connection from under one.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReaderPool readers;
    private final ChangeBus changes = new ChangeBus();
    private volatile boolean closed;

    private EmbeddedDatabase(DatabaseFiles files, Connection writer) {
        this.files = files;
        this.writer = writer;
        this.readers = new ReaderPool(files.file(), READERS);
    }

    /**
     * Opens {@code <dataDir>/state.db}, making the directory (0700) and the database when they are missing, and
     * brings its schema up to date.
     *
     * @param dataDir an absolute path
     * @return the open database
     * @throws IllegalStateException when the directory or the database file is not private to the agent's user, is
     *     used by another agent, or holds a schema newer than this code
     * @throws StateUnavailableException when SQLite cannot open or set up the database (a corrupt file, say)
     */
    public static EmbeddedDatabase open(Path dataDir) throws StateUnavailableException {
        DatabaseFiles files;
        try {
            files = DatabaseFiles.claim(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the embedded state in " + dataDir + ": " + e, e);
        }
        Connection writer = null;
        try {
            writer = SqliteConnections.connect(files.file());
            SqliteConnections.checkDurability(writer);
            int version = SchemaMigrations.migrate(writer);
            EmbeddedDatabase database = new EmbeddedDatabase(files, writer);
            LOG.info("Opened the embedded state {} (schema version {}, index {})", files.file(), version,
                    database.currentIndex());
            return database;
        } catch (SQLException e) {
            closeQuietly(writer, files);
            throw unavailable("open " + files.file(), e);
        } catch (StateUnavailableException | RuntimeException | Error e) {
            closeQuietly(writer, files);
            throw e;
        }
    }

    /** @return the data directory */
    public Path dataDir() {
        return files.dir();
    }

    /** @return the database file */
    public Path file() {
        return files.file();
    }

    /**
     * @return the index of the last committed write (0 for a new database)
     * @throws StateUnavailableException when the database cannot answer
     */
    public long currentIndex() throws StateUnavailableException {
        return read("read the index", connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'index'")) {
                if (!rows.next()) {
                    throw new SQLException("the index row is missing");
                }
                return rows.getLong(1);
            }
        });
    }

    /**
     * Tells the listener after every committed change to any embedded store, for example to wake blocking queries
     * (read {@link #currentIndex()} for the new index).
     *
     * @param listener called after a commit; must be quick and must not throw
     * @return closing it stops the notifications
     */
    public Subscription onChange(Runnable listener) {
        return changes.subscribe(null, listener);
    }

    /** @return whether it is open */
    public boolean isOpen() {
        return !closed;
    }

    /** Waits for running operations, then closes the connections and releases the directory. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<Connection> connections = readers.drain();
            connections.add(writer);
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.warn("Closing an embedded state connection failed ({})", SqliteConnections.resultCode(e));
                }
            }
            try {
                files.close();
            } catch (IOException e) {
                LOG.warn("Releasing {} failed: {}", files.lockFile(), e.toString());
            }
            LOG.info("Closed the embedded state {}", files.file());
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + files.file() + (closed ? ", closed" : "") + "]";
    }

    // ---- for the stores

    Subscription onChange(Topic topic, Runnable listener) {
        return changes.subscribe(requireNonNull(topic, "topic is null"), listener);
    }

    /**
     * Runs a read on a pooled read-only connection.
     *
     * @param what what is being done, for the failure message: never a value
     */
    <T> T read(String what, SqlRead<T> work) throws StateUnavailableException {
        lifecycle.readLock().lock();
        try {
            ensureOpen(what);
            Connection connection = readers.borrow(what);
            boolean healthy = false;
            try {
                T result = work.apply(connection);
                healthy = true;
                return result;
            } finally {
                readers.release(connection, healthy);
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Runs a write in one transaction on the writer connection, one at a time. The transaction commits (durably)
     * when the work called {@link WriteTransaction#index()} and returned; otherwise it is rolled back. Listeners of
     * the topic hear of a commit after it.
     *
     * @param what what is being done, for the failure message: never a value
     * @param topic what it changes
     * @throws E the work's own failure: nothing changed
     */
    <T, E extends Exception> T write(String what, Topic topic, SqlWrite<T, E> work)
            throws StateUnavailableException, E {
        requireNonNull(topic, "topic is null");
        Outcome<T> outcome;
        lifecycle.readLock().lock();
        try {
            ensureOpen(what);
            writeLock.lock();
            try {
                outcome = inTransaction(what, work);
            } finally {
                writeLock.unlock();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        if (outcome.committed()) {
            changes.publish(topic);
        }
        return outcome.result();
    }

    // ---- internals

    /** What a transaction returned, and whether it committed a change. */
    private record Outcome<T>(T result, boolean committed) {}

    private <T, E extends Exception> Outcome<T> inTransaction(String what, SqlWrite<T, E> work)
            throws StateUnavailableException, E {
        try (Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
        WriteTransaction transaction = new WriteTransaction(writer);
        T result;
        try {
            result = work.apply(transaction);
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable(what, e);
        } catch (Exception | Error e) {
            rollbackQuietly();
            throw asThrown(e);
        }
        if (!transaction.changed()) {
            rollbackQuietly();
            return new Outcome<>(result, false);
        }
        try (Statement statement = writer.createStatement()) {
            statement.execute("COMMIT");
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable(what, e);
        }
        return new Outcome<>(result, true);
    }

    /** Rethrows what the work threw: a runtime exception, an error, or its own checked exception {@code E}. */
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // E is the caller's checked exception, inferred
    private static <E extends Exception> E asThrown(Throwable thrown) throws E {
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        throw (E) thrown;
    }

    private void rollbackQuietly() {
        try (Statement statement = writer.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active" after a failed COMMIT that already ended it, or the connection is gone
            LOG.debug("Rollback of the embedded state failed ({})", SqliteConnections.resultCode(e));
        }
    }

    private void ensureOpen(String what) throws StateUnavailableException {
        if (closed) {
            throw new StateUnavailableException("the embedded state store is closed: cannot " + what);
        }
    }

    private static void closeQuietly(Connection writer, DatabaseFiles files) {
        SqliteConnections.closeQuietly(writer);
        try {
            files.close();
        } catch (IOException e) {
            // the original failure matters more
        }
    }

    /**
     * @param what what failed, never a value
     * @param e the SQL failure
     * @return a failure that names SQLite's result code but holds neither the SQL exception's message nor its causes
     */
    static StateUnavailableException unavailable(String what, SQLException e) {
        String code = SqliteConnections.resultCode(e);
        SqlFailure cause = new SqlFailure(code);
        cause.setStackTrace(e.getStackTrace());
        return new StateUnavailableException("the embedded state store could not " + what + " (" + code + ")",
                cause);
    }

    /** An SQL failure reduced to its result code and stack trace. */
    static final class SqlFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SqlFailure(String resultCode) {
            super(resultCode);
        }
    }
}
