package io.taskapi.plugin.state;

import io.taskapi.spi.state.StateUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A few read-only connections, opened as needed and kept for reuse, so that reads run concurrently with each other and
 * with the writer (WAL readers see the last committed state). A connection that failed is closed, not reused.
 */
final class ReaderPool {
    private final Path file;
    private final Semaphore permits;
    private final BlockingQueue<Connection> idle;

    /**
     * @param file the database file
     * @param size the most connections open at once
     */
    ReaderPool(Path file, int size) {
        this.file = file;
        this.permits = new Semaphore(size);
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * @param what what the connection is for, for the failure message
     * @return a read-only connection; give it back with {@link #release}
     */
    Connection borrow(String what) throws StateUnavailableException, SQLException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting to " + what);
        }
        Connection connection = idle.poll();
        if (connection != null) {
            return connection;
        }
        try {
            connection = SqliteConnections.connect(file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = 1");
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            SqliteConnections.closeQuietly(connection);
            permits.release();
            throw e;
        }
    }

    /**
     * @param connection a connection from {@link #borrow}
     * @param healthy whether it did its work without failing (a failed one is closed)
     */
    void release(Connection connection, boolean healthy) {
        if (!healthy || !idle.offer(connection)) {
            SqliteConnections.closeQuietly(connection);
        }
        permits.release();
    }

    /** @return the idle connections, removed from the pool: the caller closes them (at close, when none is lent) */
    List<Connection> drain() {
        List<Connection> connections = new ArrayList<>();
        idle.drainTo(connections);
        return connections;
    }
}
