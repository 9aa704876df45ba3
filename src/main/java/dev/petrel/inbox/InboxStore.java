package dev.petrel.inbox;

import dev.petrel.inbox.search.SearchQuery;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * The capture inbox: a durable store of captured messages in one SQLite database
 * ({@code inbox.db} in the given directory, WAL mode, synchronous=FULL).
 *
 * <p>Writes ({@link #store}, deletes, read flags) go through one writer thread that commits in groups
 * (see {@link StoreWriter}): {@link #store} returns once the message is committed and fsync'ed, so a
 * capture acknowledged after it survives a crash. Reads use a small pool of read-only connections and
 * never wait for writes. Listeners ({@link #subscribe}) hear of every committed change; wait-for
 * ({@link #await}) is built on them.
 *
 * <p>Thread-safe. Open one store per directory (SQLite would serialize a second writer, but the id
 * order would no longer follow storage order).
 */
public final class InboxStore implements AutoCloseable {
    /** At most this many wait-for calls may wait at once. */
    public static final int MAX_WAITERS = 1_000;
    private static final int READ_CONNECTIONS = 4;
    private static final String SUMMARY_COLUMNS =
            "id, inbox, message_id, read, subject, received, size, attachments, summary_json, tags_json";

    private final Path database;
    private final StoreWriter writer;
    private final ReadPool reads;
    private final List<InboxListener> listeners = new CopyOnWriteArrayList<>();
    private final MessageWaiters waiters;

    private InboxStore(Path database, Retention retention, Clock clock) throws SQLException {
        this.database = database;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: every commit fsyncs the WAL, so a committed capture survives power loss; group commit keeps that affordable.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5_000);
        Connection connection = config.createConnection("jdbc:sqlite:" + database);
        try {
            Schema.create(connection);
            Schema.registerFunctions(connection);
            this.writer = new StoreWriter(connection, retention, clock, this::publish);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        try {
            this.reads = new ReadPool(database, READ_CONNECTIONS);
        } catch (SQLException | RuntimeException e) {
            writer.close();
            throw e;
        }
        this.waiters = new MessageWaiters(this, MAX_WAITERS);
        listeners.add(waiters);
        applyRetention(); // the limits may have been lowered since the last run
    }

    /** Opens (creating if needed) the store in {@code directory}, keeping what {@code retention} allows. */
    public static InboxStore open(Path directory, Retention retention) throws IOException {
        return open(directory, retention, Clock.systemUTC());
    }

    /** As {@link #open(Path, Retention)}, with the clock that ids and retention by age use. */
    public static InboxStore open(Path directory, Retention retention, Clock clock) throws IOException {
        Files.createDirectories(directory);
        try {
            return new InboxStore(directory.resolve("inbox.db"), retention, clock);
        } catch (SQLException e) {
            throw new IOException("cannot open the inbox database " + directory.resolve("inbox.db") + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code text} has the form of a message id (26 characters of Crockford base32); usable as a cursor. */
    public static boolean isWellFormedId(String text) {
        return MessageIds.isWellFormed(text);
    }

    /** The writer, for tests of its grouping. */
    StoreWriter writer() {
        return writer;
    }

    /** The database file. */
    public Path databaseFile() {
        return database;
    }

    // ---- writing ----

    /** Stores {@code message} and returns once it is durably committed. */
    public MessageSummary store(CapturedMessage message) {
        return join(storeAsync(message));
    }

    /**
     * Parses {@code message} on the calling thread, queues it for the writer and returns a future
     * completed after the commit. Blocks only when the write queue is full (back-pressure).
     */
    public CompletableFuture<MessageSummary> storeAsync(CapturedMessage message) {
        return writer.insert(new MessageRow(message));
    }

    /** Deletes the messages with these ids (unknown ids are ignored); returns how many were deleted. */
    public int delete(Collection<String> ids) {
        List<String> wanted = List.copyOf(ids);
        if (wanted.isEmpty()) return 0;
        return join(writer.mutate((c, events) -> {
            List<String> deleted = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE id = ?")) {
                for (String id : wanted) {
                    s.setString(1, id);
                    if (s.executeUpdate() > 0) deleted.add(id);
                }
            }
            if (!deleted.isEmpty()) events.add(new InboxEvent.Deleted(deleted));
            return deleted.size();
        }));
    }

    /** Deletes every message matching {@code query} (an empty query matches all: callers guard that). */
    public int deleteMatching(SearchQuery query) {
        SearchSql.Condition where = SearchSql.where(query);
        return join(writer.mutate((c, events) -> {
            List<String> ids = selectIds(c, where);
            if (ids.isEmpty()) return 0;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE " + where.sql())) {
                bind(s, where.parameters(), 1);
                s.executeUpdate();
            }
            events.add(new InboxEvent.Deleted(ids));
            return ids.size();
        }));
    }

    /** Marks the messages with these ids read or unread; returns how many changed. */
    public int setRead(Collection<String> ids, boolean read) {
        List<String> wanted = List.copyOf(ids);
        if (wanted.isEmpty()) return 0;
        return join(writer.mutate((c, events) -> {
            List<String> changed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE messages SET read = ? WHERE id = ? AND read <> ?")) {
                for (String id : wanted) {
                    s.setInt(1, read ? 1 : 0);
                    s.setString(2, id);
                    s.setInt(3, read ? 1 : 0);
                    if (s.executeUpdate() > 0) changed.add(id);
                }
            }
            if (!changed.isEmpty()) events.add(new InboxEvent.ReadChanged(changed, read));
            return changed.size();
        }));
    }

    /** Marks every message matching {@code query} read or unread; returns how many changed. */
    public int setReadMatching(SearchQuery query, boolean read) {
        SearchSql.Condition where = SearchSql.where(query);
        return join(writer.mutate((c, events) -> {
            String condition = "(" + where.sql() + ") AND read <> " + (read ? 1 : 0);
            List<String> ids = selectIds(c, new SearchSql.Condition(condition, where.parameters()));
            if (ids.isEmpty()) return 0;
            try (PreparedStatement s = c.prepareStatement("UPDATE messages SET read = " + (read ? 1 : 0) + " WHERE " + condition)) {
                bind(s, where.parameters(), 1);
                s.executeUpdate();
            }
            events.add(new InboxEvent.ReadChanged(ids, read));
            return ids.size();
        }));
    }

    /** Applies retention now (it also runs after every write group and every 10 s when idle). */
    public void applyRetention() {
        join(writer.mutate((c, events) -> {
            writer.applyRetention(events, true);
            return null;
        }));
    }

    // ---- reading ----

    /** The newest messages first, {@code limit} of them from offset {@code start}. */
    public MessagePage list(int start, int limit) {
        return search(SearchQuery.ALL, start, limit);
    }

    /** The messages matching {@code query}, newest first, {@code limit} of them from offset {@code start}. */
    public MessagePage search(SearchQuery query, int start, int limit) {
        int from = Math.max(0, start);
        int size = Math.max(0, limit);
        SearchSql.Condition where = SearchSql.where(query);
        return reads.read(c -> {
            long[] all = counts(c, SearchSql.where(SearchQuery.ALL));
            long[] matching = query.isEmpty() ? all : counts(c, where);
            List<MessageSummary> page = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM messages WHERE " + where.sql()
                    + " ORDER BY seq DESC LIMIT ? OFFSET ?")) {
                int next = bind(s, where.parameters(), 1);
                s.setInt(next++, size);
                s.setInt(next, from);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) page.add(summary(rs));
                }
            }
            return new MessagePage(all[0], all[1], matching[0], matching[1], from, tags(c), page);
        });
    }

    /** How many messages carry each tag, by tag (sorted). */
    public Map<String, Long> tagCounts() {
        return reads.read(c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT j.value, count(*) FROM messages m, json_each(m.tags_json) j WHERE m.tags_json <> '[]' GROUP BY 1 ORDER BY 1")) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        });
    }

    /** The bytes the store takes on disk: the database and its write-ahead log. */
    public long sizeOnDisk() {
        long size = 0;
        for (Path p : List.of(database, database.resolveSibling(database.getFileName() + "-wal"))) {
            try {
                if (Files.exists(p)) size += Files.size(p);
            } catch (IOException e) {
                // Checkpointing may remove the log between the two calls: it then counts as empty.
            }
        }
        return size;
    }

    /** Every tag in use, sorted. */
    public List<String> tags() {
        return reads.read(InboxStore::tags);
    }

    /**
     * Replaces the tags of the messages with these ids (Mailpit's PUT /api/v1/tags); tags are
     * cleaned as Mailpit cleans them. Returns how many messages were found.
     */
    public int setTags(Collection<String> ids, List<String> tags) {
        List<String> wanted = List.copyOf(ids);
        List<String> clean = Tags.clean(tags);
        return join(writer.mutate((c, events) -> {
            int found = 0;
            try (PreparedStatement s = c.prepareStatement("UPDATE messages SET tags_json = ?, tags_lc = ? WHERE id = ?")) {
                for (String id : wanted) {
                    s.setString(1, Tags.json(clean));
                    s.setString(2, Tags.searchColumn(clean));
                    s.setString(3, id);
                    found += s.executeUpdate();
                }
            }
            return found;
        }));
    }

    /** Renames tag {@code from} (any case) to {@code to} on every message; returns how many changed. */
    public int renameTag(String from, String to) {
        List<String> cleanTo = Tags.clean(List.of(to));
        if (cleanTo.isEmpty()) throw new IllegalArgumentException("'" + to + "' has no letters, digits, '-', '.', '_' or spaces left to be a tag");
        return retag(from, tags -> tags.stream().map(t -> t.equalsIgnoreCase(from) ? cleanTo.getFirst() : t).toList());
    }

    /** Removes tag {@code tag} (any case) from every message; returns how many changed. */
    public int deleteTag(String tag) {
        return retag(tag, tags -> tags.stream().filter(t -> !t.equalsIgnoreCase(tag)).toList());
    }

    private int retag(String tag, java.util.function.UnaryOperator<List<String>> change) {
        String needle = Tags.searchColumn(List.of(tag.strip()));
        if (needle.isEmpty()) return 0;
        return join(writer.mutate((c, events) -> {
            Map<String, List<String>> changed = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, tags_json FROM messages WHERE instr(tags_lc, ?) > 0")) {
                s.setString(1, needle);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) changed.put(rs.getString(1), Tags.clean(change.apply(Tags.fromJson(rs.getString(2)))));
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE messages SET tags_json = ?, tags_lc = ? WHERE id = ?")) {
                for (Map.Entry<String, List<String>> e : changed.entrySet()) {
                    s.setString(1, Tags.json(e.getValue()));
                    s.setString(2, Tags.searchColumn(e.getValue()));
                    s.setString(3, e.getKey());
                    s.executeUpdate();
                }
            }
            return changed.size();
        }));
    }

    /** Every inbox that holds a message, by name, with its counts. */
    public List<InboxCount> inboxes() {
        return reads.read(c -> {
            List<InboxCount> result = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT inbox, count(*), sum(read = 0) FROM messages GROUP BY inbox ORDER BY inbox");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) result.add(new InboxCount(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
            return result;
        });
    }

    /** The summary of message {@code id}. */
    public Optional<MessageSummary> summary(String id) {
        return reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM messages WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Message {@code id} in full (its MIME is parsed again from the stored bytes). */
    public Optional<InboxMessage> get(String id) {
        record Row(MessageSummary summary, String facts, byte[] raw) {
        }
        Optional<Row> row = reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + SUMMARY_COLUMNS
                    + ", facts_json, raws.raw FROM messages JOIN raws USING (seq) WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(summary(rs), rs.getString(11), rs.getBytes(12))) : Optional.empty();
                }
            }
        });
        return row.map(r -> new InboxMessage(r.summary(), MimeReader.parse(r.raw(), true), MessageRow.readFacts(r.facts())));
    }

    /** The bytes of message {@code id} as received. */
    public Optional<byte[]> raw(String id) {
        return reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT raws.raw FROM messages JOIN raws USING (seq) WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** The decoded content of MIME part {@code partId} of message {@code id}. */
    public Optional<PartContent> part(String id, String partId) {
        return raw(id).flatMap(raw -> MimeReader.part(raw, partId));
    }

    /** The id of the newest message matching {@code query} (Mailpit's {@code latest}). */
    public Optional<String> latestId(SearchQuery query) {
        List<MessageSummary> newest = search(query, 0, 1).messages();
        return newest.isEmpty() ? Optional.empty() : Optional.of(newest.getFirst().id());
    }

    /**
     * The oldest message matching {@code query} whose id is greater than {@code cursor} (any, when the
     * cursor is null), and the newest id this look saw, which is where a later look may resume: every
     * message up to it was considered.
     */
    MatchScan firstMatchAfter(SearchQuery query, String cursor) {
        SearchSql.Condition where = SearchSql.where(query);
        return reads.read(c -> {
            String newest;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM messages ORDER BY seq DESC LIMIT 1")) {
                newest = rs.next() ? rs.getString(1) : null;
            }
            String scannedTo = cursor == null || (newest != null && newest.compareTo(cursor) > 0) ? newest : cursor;
            if (newest == null || (cursor != null && newest.compareTo(cursor) <= 0)) return new MatchScan(Optional.empty(), scannedTo);
            String sql = "SELECT " + SUMMARY_COLUMNS + " FROM messages WHERE (" + where.sql() + ")"
                    + (cursor == null ? "" : " AND id > ?") + " AND id <= ? ORDER BY id ASC LIMIT 1";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int next = bind(s, where.parameters(), 1);
                if (cursor != null) s.setString(next++, cursor);
                s.setString(next, newest);
                try (ResultSet rs = s.executeQuery()) {
                    return new MatchScan(rs.next() ? Optional.of(summary(rs)) : Optional.empty(), scannedTo);
                }
            }
        });
    }

    /** The result of {@link #firstMatchAfter}: the match if any, and the newest id considered (null for an empty store). */
    record MatchScan(Optional<MessageSummary> match, String scannedTo) {
    }

    /** The id of the newest message, or null when the store is empty; a cursor meaning "from now on". */
    public String newestId() {
        return reads.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM messages ORDER BY seq DESC LIMIT 1")) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /**
     * Waits until a message matching {@code query} with an id greater than {@code cursor} (any
     * message, when null) is stored, or {@code timeout} passes. The future completes with the oldest
     * such message, or empty on timeout. No polling: each committed write group wakes the check.
     *
     * @throws TooManyWaitersException when {@link #MAX_WAITERS} calls are already waiting
     */
    public CompletableFuture<Optional<MessageSummary>> await(SearchQuery query, String cursor, Duration timeout) {
        return waiters.await(query, cursor, timeout);
    }

    /** Adds a listener of committed changes; close the returned handle to remove it. */
    public AutoCloseable subscribe(InboxListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(InboxEvent event) {
        for (InboxListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(InboxStore.class).warn("inbox: a listener failed: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        waiters.close();
        writer.close();
        reads.close();
    }

    // ---- helpers ----

    private static long[] counts(Connection c, SearchSql.Condition where) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*), coalesce(sum(read = 0), 0) FROM messages WHERE " + where.sql())) {
            bind(s, where.parameters(), 1);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static List<String> tags(Connection c) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT DISTINCT j.value FROM messages m, json_each(m.tags_json) j WHERE m.tags_json <> '[]' ORDER BY 1")) {
            while (rs.next()) tags.add(rs.getString(1));
        }
        return tags;
    }

    private static List<String> selectIds(Connection c, SearchSql.Condition where) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM messages WHERE " + where.sql() + " ORDER BY seq")) {
            bind(s, where.parameters(), 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static int bind(PreparedStatement s, List<Object> parameters, int first) throws SQLException {
        int i = first;
        for (Object p : parameters) s.setObject(i++, p);
        return i;
    }

    private static MessageSummary summary(ResultSet rs) throws SQLException {
        MessageRow.SummaryParts parts = MessageRow.readSummary(rs.getString(9));
        return new MessageSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0, parts.from(), parts.to(),
                parts.cc(), parts.bcc(), parts.replyTo(), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), parts.username(),
                MessageRow.readTags(rs.getString(10)), rs.getLong(7), rs.getInt(8), parts.snippet());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxStoreException("interrupted while waiting for the inbox writer", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InboxStoreException ise) throw ise;
            throw new InboxStoreException("inbox write failed: " + e.getCause(), e.getCause());
        }
    }
}
