package dev.petrel.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The store's single writer: one thread owns the write connection and commits in groups. It takes
 * whatever tasks are queued (up to {@link #MAX_BATCH}), runs each inside its own savepoint (so one
 * failing task fails alone), applies retention, commits once (one WAL fsync for the whole group),
 * and only then tells the listeners and completes the tasks' futures. While a commit's fsync runs,
 * new captures queue up and join the next group, so throughput grows with load instead of being
 * capped at one fsync per message.
 *
 * <p>The queue is bounded: when the disk cannot keep up, {@link #submit} blocks the capturing
 * thread, which is the back-pressure SMTP needs.
 */
final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    static final int MAX_BATCH = 512;
    private static final int QUEUE_CAPACITY = 8192;
    /** How often retention by age runs when no capture triggers it. */
    private static final long IDLE_SWEEP_MILLIS = 10_000;
    /** Retention by age runs at most this often during captures. */
    private static final long BUSY_SWEEP_MILLIS = 1_000;

    /** Work done inside the writer's transaction; events it adds are published after the commit. */
    interface Work<T> {
        T run(Connection connection, List<InboxEvent> events) throws SQLException;
    }

    private sealed interface Task {
        void fail(Throwable cause);
    }

    private record Insert(MessageRow row, CompletableFuture<MessageSummary> done) implements Task {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    private record Mutation<T>(Work<T> work, CompletableFuture<T> done) implements Task {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    private record Stop() implements Task {
        @Override
        public void fail(Throwable cause) {
        }
    }

    private final Connection connection;
    private final Retention retention;
    private final Clock clock;
    private final Consumer<InboxEvent> publisher;
    private final MessageIds ids;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final PreparedStatement insertMessage;
    private final PreparedStatement insertRaw;
    private volatile boolean closed;
    private volatile long commits;
    private long count;
    /** The last seq handed out; kept here (one writer) so an insert needs no generated-key query. */
    private long lastSeq;
    private long lastAgeSweep;

    StoreWriter(Connection connection, Retention retention, Clock clock, Consumer<InboxEvent> publisher) throws SQLException {
        this.connection = connection;
        this.retention = retention;
        this.clock = clock;
        this.publisher = publisher;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), (SELECT id FROM messages ORDER BY seq DESC LIMIT 1) FROM messages")) {
            rs.next();
            count = rs.getLong(1);
            ids = new MessageIds(rs.getString(2));
        }
        // AUTOINCREMENT's high-water mark, which stays above deleted rows, so a seq is never reused.
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)")) {
            rs.next();
            lastSeq = rs.getLong(1);
        }
        connection.setAutoCommit(false);
        insertMessage = connection.prepareStatement("""
                INSERT INTO messages (seq, id, inbox, received, size, attachments, inline_count, message_id, subject, summary_json,
                  facts_json, tags_json, tags_lc, from_lc, to_lc, cc_lc, bcc_lc, replyto_lc, subject_lc, msgid_lc, rcpt_lc,
                  mailfrom_lc, headers_lc, text_lc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        insertRaw = connection.prepareStatement("INSERT INTO raws (seq, raw) VALUES (?, ?)");
        thread = Thread.ofPlatform().name("inbox-writer").daemon(true).unstarted(this::loop);
        thread.start();
    }

    /** How many transactions this writer committed; each is one WAL fsync. */
    long commits() {
        return commits;
    }

    CompletableFuture<MessageSummary> insert(MessageRow row) {
        CompletableFuture<MessageSummary> done = new CompletableFuture<>();
        submit(new Insert(row, done));
        return done;
    }

    <T> CompletableFuture<T> mutate(Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        submit(new Mutation<>(work, done));
        return done;
    }

    private void submit(Task task) {
        if (closed) throw new InboxStoreException("the inbox store is closed");
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxStoreException("interrupted while queueing a write", e);
        }
        if (closed && queue.remove(task)) task.fail(new InboxStoreException("the inbox store is closed"));
    }

    private void loop() {
        List<Task> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            batch.clear();
            Task first;
            try {
                first = queue.poll(IDLE_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (retention.limitsAge()) runBatch(batch); // an empty group still sweeps by age
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.removeIf(t -> t instanceof Stop);
            runBatch(batch);
            if (stop) {
                List<Task> left = new ArrayList<>();
                queue.drainTo(left);
                left.forEach(t -> t.fail(new InboxStoreException("the inbox store is closed")));
                return;
            }
        }
    }

    private void runBatch(List<Task> batch) {
        List<InboxEvent> events = new ArrayList<>();
        List<MessageSummary> stored = new ArrayList<>();
        List<Runnable> completions = new ArrayList<>();
        long countBefore = count;
        long lastSeqBefore = lastSeq;
        try {
            for (Task task : batch) runTask(task, events, stored, completions);
            if (batch.stream().anyMatch(t -> t instanceof Mutation)) count = countMessages(); // deletes change the count
            applyRetention(events, false);
            connection.commit();
            commits++; // only this thread writes it
        } catch (SQLException | RuntimeException e) {
            count = countBefore;
            lastSeq = lastSeqBefore;
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            LOG.error("inbox: commit of {} writes failed: {}", batch.size(), e.getMessage(), e);
            InboxStoreException failure = new InboxStoreException("inbox write failed: " + e.getMessage(), e);
            batch.forEach(t -> t.fail(failure));
            return;
        }
        // Listeners first: when store() returns, every listener has heard of the message.
        if (!stored.isEmpty()) publish(new InboxEvent.Stored(stored));
        events.forEach(this::publish);
        completions.forEach(Runnable::run);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runTask(Task task, List<InboxEvent> events, List<MessageSummary> stored, List<Runnable> completions)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            switch (task) {
                case Insert insert -> {
                    MessageSummary summary = insertRow(insert.row());
                    stored.add(summary);
                    count++;
                    completions.add(() -> insert.done().complete(summary));
                }
                case Mutation mutation -> {
                    List<InboxEvent> own = new ArrayList<>();
                    Object result = mutation.work().run(connection, own);
                    events.addAll(own);
                    completions.add(() -> mutation.done().complete(result));
                }
                case Stop stop -> {
                }
            }
            connection.releaseSavepoint(savepoint);
        } catch (SQLException | RuntimeException e) {
            connection.rollback(savepoint);
            completions.add(() -> task.fail(new InboxStoreException("inbox write failed: " + e.getMessage(), e)));
        }
    }

    private MessageSummary insertRow(MessageRow r) throws SQLException {
        String id = ids.next(clock.millis());
        long seq = lastSeq + 1;
        PreparedStatement s = insertMessage;
        int i = 1;
        s.setLong(i++, seq);
        s.setString(i++, id);
        s.setString(i++, r.inbox);
        s.setLong(i++, r.received);
        s.setLong(i++, r.raw.length);
        s.setInt(i++, r.attachments);
        s.setInt(i++, r.inlineCount);
        s.setString(i++, r.messageId);
        s.setString(i++, r.subject);
        s.setString(i++, r.summaryJson);
        s.setString(i++, r.factsJson);
        s.setString(i++, r.tagsJson);
        s.setString(i++, r.tagsLc);
        s.setString(i++, r.fromLc);
        s.setString(i++, r.toLc);
        s.setString(i++, r.ccLc);
        s.setString(i++, r.bccLc);
        s.setString(i++, r.replyToLc);
        s.setString(i++, r.subjectLc);
        s.setString(i++, r.msgIdLc);
        s.setString(i++, r.rcptLc);
        s.setString(i++, r.mailFromLc);
        s.setString(i++, r.headersLc);
        s.setString(i, r.textLc);
        s.executeUpdate();
        insertRaw.setLong(1, seq);
        insertRaw.setBytes(2, r.raw);
        insertRaw.executeUpdate();
        lastSeq = seq; // only now: a failed insert is rolled back to its savepoint and its seq is free again
        return r.summary(id);
    }

    private long countMessages() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes what retention no longer keeps; {@code force} sweeps by age even if one ran recently. */
    void applyRetention(List<InboxEvent> events, boolean force) throws SQLException {
        if (retention.limitsCount() && count > retention.maxMessages()) {
            long excess = count - retention.maxMessages();
            List<String> doomed = new ArrayList<>();
            long lastSeq = -1;
            try (PreparedStatement s = connection.prepareStatement("SELECT seq, id FROM messages ORDER BY seq ASC LIMIT ?")) {
                s.setLong(1, excess);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        lastSeq = rs.getLong(1);
                        doomed.add(rs.getString(2));
                    }
                }
            }
            if (lastSeq >= 0) {
                try (PreparedStatement s = connection.prepareStatement("DELETE FROM messages WHERE seq <= ?")) {
                    s.setLong(1, lastSeq);
                    s.executeUpdate();
                }
                count -= doomed.size();
                events.add(new InboxEvent.Deleted(doomed));
            }
        }
        long now = clock.millis();
        if (retention.limitsAge() && (force || now - lastAgeSweep >= BUSY_SWEEP_MILLIS)) {
            lastAgeSweep = now;
            long cutoff = now - retention.maxAge().toMillis();
            List<String> doomed = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT id FROM messages WHERE received < ? ORDER BY seq")) {
                s.setLong(1, cutoff);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) doomed.add(rs.getString(1));
                }
            }
            if (!doomed.isEmpty()) {
                try (PreparedStatement s = connection.prepareStatement("DELETE FROM messages WHERE received < ?")) {
                    s.setLong(1, cutoff);
                    s.executeUpdate();
                }
                count -= doomed.size();
                events.add(new InboxEvent.Deleted(doomed));
            }
        }
    }

    private void publish(InboxEvent event) {
        try {
            publisher.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("inbox: a listener failed on {}: {}", event.getClass().getSimpleName(), e.toString(), e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            queue.put(new Stop());
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            insertMessage.close();
            insertRaw.close();
            connection.close();
        } catch (SQLException e) {
            LOG.warn("inbox: closing the database failed: {}", e.getMessage());
        }
    }
}
