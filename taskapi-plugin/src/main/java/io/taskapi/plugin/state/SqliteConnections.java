package io.taskapi.plugin.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/** How the embedded database's connections are made: WAL, {@code synchronous=FULL}, secure delete. */
final class SqliteConnections {
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private SqliteConnections() {}

    /**
     * @param file the database file
     * @return a new connection with the durability settings
     * @throws SQLException when SQLite cannot open it
     */
    static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /**
     * Checks that SQLite really runs with the durability settings asked for (a file system may refuse WAL).
     *
     * @param connection a connection from {@link #connect}
     * @throws IllegalStateException when it does not
     */
    static void checkDurability(Connection connection) throws SQLException {
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

    /**
     * @param e an SQL failure
     * @return SQLite's result code, the only part of a failure that is safe to show (never a value)
     */
    static String resultCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().name();
        }
        return "SQL error " + e.getErrorCode();
    }

    /** @param connection closed if not null, failures ignored: the failure that led here matters more */
    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the original failure matters more
            }
        }
    }
}
