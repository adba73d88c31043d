package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

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
 * <p>Thread-safe.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The database file's name in the data directory. */
    public static final String FILE_NAME = "state.db";
    /** The lock file's name in the data directory. */
    public static final String LOCK_FILE_NAME = "state.lock";
    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final int READERS = 4;

    /** What a write changed, so that each store's listeners hear only of their own table. */
    enum Topic {
        ACL_TOKENS, ACL_POLICIES, NODE_METADATA, VARIABLES
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

    private record Listener(Topic topic, Runnable runnable) {}

    private final Path dataDir;
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    // Held shared by every operation and exclusively by close, so that close never pulls a connection from under one.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Semaphore readerPermits = new Semaphore(READERS);
    private final BlockingQueue<Connection> idleReaders = new ArrayBlockingQueue<>(READERS);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private EmbeddedDatabase(Path dataDir, Path file, FileChannel lockChannel, FileLock lock, Connection writer) {
        this.dataDir = dataDir;
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = writer;
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
        Path dir = DataDirectory.prepare(dataDir);
        Path file = dir.resolve(FILE_NAME);
        FileChannel lockChannel = null;
        Connection writer = null;
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE_NAME), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), DataDirectory.FILE_ATTRIBUTE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("the embedded state in " + dir + " is open already in this process");
            }
            if (lock == null) {
                throw new IllegalStateException("the embedded state in " + dir + " is in use by another process "
                        + "(" + LOCK_FILE_NAME + " is locked)");
            }
            createPrivateFile(dir, file);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path part = dir.resolve(FILE_NAME + suffix);
                if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                    String problem = DataDirectory.checkPrivateFile(part);
                    if (!problem.isEmpty()) {
                        throw new IllegalStateException("refusing to open the embedded state: " + problem);
                    }
                }
            }
            writer = connect(file);
            checkPragmas(writer);
            int version = migrate(writer);
            EmbeddedDatabase database = new EmbeddedDatabase(dir, file, lockChannel, lock, writer);
            LOG.info("Opened the embedded state {} (schema version {}, index {})", file, version,
                    database.currentIndex());
            return database;
        } catch (SQLException e) {
            closeQuietly(writer, lockChannel);
            throw unavailable("open " + file, e);
        } catch (IOException e) {
            closeQuietly(writer, lockChannel);
            throw new IllegalStateException("cannot open the embedded state in " + dir + ": " + e, e);
        } catch (StateUnavailableException | RuntimeException | Error e) {
            closeQuietly(writer, lockChannel);
            throw e;
        }
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the database file */
    public Path file() {
        return file;
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
        return subscribe(null, listener);
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
            List<Connection> connections = new ArrayList<>();
            idleReaders.drainTo(connections);
            connections.add(writer);
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.warn("Closing an embedded state connection failed ({})", resultCode(e));
                }
            }
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("Releasing {} failed: {}", dataDir.resolve(LOCK_FILE_NAME), e.toString());
            }
            LOG.info("Closed the embedded state {}", file);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + file + (closed ? ", closed" : "") + "]";
    }

    // ---- for the stores

    Subscription onChange(Topic topic, Runnable listener) {
        return subscribe(requireNonNull(topic, "topic is null"), listener);
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
            Connection connection = borrowReader(what);
            boolean healthy = false;
            try {
                T result = work.apply(connection);
                healthy = true;
                return result;
            } finally {
                returnReader(connection, healthy);
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
            notifyListeners(topic);
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
            LOG.debug("Rollback of the embedded state failed ({})", resultCode(e));
        }
    }

    private Connection borrowReader(String what) throws StateUnavailableException, SQLException {
        try {
            readerPermits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting to " + what);
        }
        Connection connection = idleReaders.poll();
        if (connection != null) {
            return connection;
        }
        try {
            connection = connect(file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = 1");
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, null);
            readerPermits.release();
            throw e;
        }
    }

    private void returnReader(Connection connection, boolean healthy) {
        if (!healthy || !idleReaders.offer(connection)) {
            closeQuietly(connection, null);
        }
        readerPermits.release();
    }

    private Subscription subscribe(Topic topic, Runnable runnable) {
        Listener listener = new Listener(topic, requireNonNull(runnable, "listener is null"));
        listeners.add(listener);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                listeners.remove(listener);
            }
        };
    }

    private void notifyListeners(Topic topic) {
        for (Listener listener : listeners) {
            if (listener.topic() == null || listener.topic() == topic) {
                try {
                    listener.runnable().run();
                } catch (RuntimeException e) {
                    // The write is durable and must be reported as done: a broken listener cannot undo it.
                    LOG.warn("An embedded state change listener ({}) threw", listener.runnable().getClass().getName(),
                            e);
                }
            }
        }
    }

    private void ensureOpen(String what) throws StateUnavailableException {
        if (closed) {
            throw new StateUnavailableException("the embedded state store is closed: cannot " + what);
        }
    }

    private static void createPrivateFile(Path dir, Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            // An empty file is an empty SQLite database; SQLite gives its WAL and shm files the same mode.
            Files.createFile(file, DataDirectory.FILE_ATTRIBUTE);
            DataDirectory.fsyncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // checked like any existing file
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** Checks that SQLite really runs with the durability settings asked for (a file system may refuse WAL). */
    private static void checkPragmas(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
                String mode = rows.next() ? rows.getString(1) : "";
                if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
                    throw new IllegalStateException("the embedded state could not switch to WAL mode (it is '"
                            + mode + "'): put state.data-dir on a local file system");
                }
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA synchronous")) {
                int synchronous = rows.next() ? rows.getInt(1) : -1;
                if (synchronous < 2) {
                    throw new IllegalStateException("the embedded state runs with synchronous=" + synchronous
                            + " instead of FULL (2)");
                }
            }
        }
    }

    /** Creates the tables when missing and records or checks the schema version, in one transaction. */
    private static int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
                int version = 0;
                try (ResultSet rows = statement.executeQuery("SELECT version FROM schema_version WHERE id = 1")) {
                    if (rows.next()) {
                        version = rows.getInt(1);
                    }
                }
                if (version > SCHEMA_VERSION) {
                    throw new IllegalStateException("the embedded state has schema version " + version
                            + ", newer than this plugin's " + SCHEMA_VERSION + ": it was written by a newer version");
                }
                // Version 1. Later versions add their migrations after this, each guarded by the version read above.
                for (String ddl : SCHEMA_V1) {
                    statement.execute(ddl);
                }
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO schema_version (id, "
                        + "version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version")) {
                    upsert.setInt(1, SCHEMA_VERSION);
                    upsert.executeUpdate();
                }
                statement.execute("COMMIT");
                return SCHEMA_VERSION;
            } catch (SQLException | RuntimeException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(new IllegalStateException("rollback failed (" + resultCode(rollback) + ")"));
                }
                throw e;
            }
        }
    }

    private static final List<String> SCHEMA_V1 = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('index', 0)",
            "CREATE TABLE IF NOT EXISTS acl_tokens ("
                    + "accessor_id TEXT PRIMARY KEY, "
                    + "secret_hash BLOB NOT NULL, "
                    + "secret_id TEXT NOT NULL, "
                    + "name TEXT NOT NULL, "
                    + "type TEXT NOT NULL, "
                    + "policies TEXT NOT NULL, "
                    + "create_time TEXT NOT NULL, "
                    + "expiration_time TEXT, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE UNIQUE INDEX IF NOT EXISTS acl_tokens_by_secret_hash ON acl_tokens (secret_hash)",
            "CREATE TABLE IF NOT EXISTS acl_policies ("
                    + "name TEXT PRIMARY KEY, "
                    + "description TEXT NOT NULL, "
                    + "rules TEXT NOT NULL, "
                    + "job_namespace TEXT, "
                    + "job_id TEXT, "
                    + "job_group TEXT, "
                    + "job_task TEXT, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS node_metadata ("
                    + "node_id TEXT PRIMARY KEY, "
                    + "metadata TEXT NOT NULL, "
                    + "modify_index INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS variables ("
                    + "namespace TEXT NOT NULL, "
                    + "path TEXT NOT NULL, "
                    + "key_id TEXT NOT NULL, "
                    + "ciphertext BLOB NOT NULL, "
                    + "create_index INTEGER NOT NULL, "
                    + "modify_index INTEGER NOT NULL, "
                    + "create_time_nanos INTEGER NOT NULL, "
                    + "modify_time_nanos INTEGER NOT NULL, "
                    + "PRIMARY KEY (namespace, path)) WITHOUT ROWID");

    private static void closeQuietly(Connection connection, FileChannel lockChannel) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the original failure matters more
            }
        }
        if (lockChannel != null) {
            try {
                lockChannel.close();   // releases the lock
            } catch (IOException e) {
                // the original failure matters more
            }
        }
    }

    /**
     * @param what what failed, never a value
     * @param e the SQL failure
     * @return a failure that names SQLite's result code but holds neither the SQL exception's message nor its causes
     */
    static StateUnavailableException unavailable(String what, SQLException e) {
        String code = resultCode(e);
        SqlFailure cause = new SqlFailure(code);
        cause.setStackTrace(e.getStackTrace());
        return new StateUnavailableException("the embedded state store could not " + what + " (" + code + ")",
                cause);
    }

    private static String resultCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().name();
        }
        return "SQL error " + e.getErrorCode();
    }

    /** An SQL failure reduced to its result code and stack trace. */
    static final class SqlFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SqlFailure(String resultCode) {
            super(resultCode);
        }
    }
}
