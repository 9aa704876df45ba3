package dev.petrel.inbox;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only SQLite connections. In WAL mode readers never wait for the writer, so
 * API reads and wait-for checks proceed while captures commit. Each borrowed connection runs its
 * work inside one read transaction, so all statements of a call see the same snapshot.
 */
final class ReadPool implements AutoCloseable {
    /** What to do with a connection; may throw SQLException. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final long BORROW_TIMEOUT_SECONDS = 30;

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();

    ReadPool(Path database, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        for (int i = 0; i < size; i++) {
            Connection c = config.createConnection("jdbc:sqlite:" + database);
            Schema.registerFunctions(c);
            c.setAutoCommit(false);
            all.add(c);
            idle.add(c);
        }
    }

    <T> T read(Work<T> work) {
        Connection c;
        try {
            c = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxStoreException("interrupted while waiting for a database connection", e);
        }
        if (c == null) throw new InboxStoreException("no database connection became free within " + BORROW_TIMEOUT_SECONDS + " s");
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection stays usable or fails again on next use; the first error is the one to report
            }
            throw new InboxStoreException("inbox read failed: " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with a connection that will not close
            }
        }
    }
}
