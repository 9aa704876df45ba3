package dev.petrel.inbox;

import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite layout of the inbox. One row per message in {@code messages} (everything the list,
 * search and summary need, plus lowercase search columns), the raw bytes apart in {@code raws} so
 * that list and search scans do not page through message bodies.
 *
 * <p>{@code seq} is the storage order; {@code id} increases with it (see {@link MessageIds}).
 * {@code summary_json} holds the addresses and snippet as the API shows them, so listing needs no
 * MIME parsing. {@code headers_lc} holds one {@code name TAB value LF} line per header field, for
 * {@code header:} searches through {@link #HEADER_MATCH_FUNCTION}.
 */
final class Schema {
    static final String HEADER_MATCH_FUNCTION = "petrel_header_match";
    static final int VERSION = 1;

    private Schema() {
    }

    static void create(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                int found = rs.next() ? rs.getInt(1) : 0;
                if (found > VERSION) {
                    throw new SQLException("the inbox database has layout version " + found + " but this Petrel knows only up to "
                            + VERSION + "; use the Petrel that wrote it, or move the inbox directory aside to start empty");
                }
            }
            s.execute("""
                    CREATE TABLE IF NOT EXISTS messages (
                      seq          INTEGER PRIMARY KEY AUTOINCREMENT,
                      id           TEXT NOT NULL UNIQUE,
                      inbox        TEXT NOT NULL,
                      received     INTEGER NOT NULL,
                      read         INTEGER NOT NULL DEFAULT 0,
                      size         INTEGER NOT NULL,
                      attachments  INTEGER NOT NULL,
                      inline_count INTEGER NOT NULL,
                      message_id   TEXT NOT NULL,
                      subject      TEXT NOT NULL,
                      summary_json TEXT NOT NULL,
                      facts_json   TEXT NOT NULL,
                      tags_json    TEXT NOT NULL,
                      tags_lc      TEXT NOT NULL,
                      from_lc      TEXT NOT NULL,
                      to_lc        TEXT NOT NULL,
                      cc_lc        TEXT NOT NULL,
                      bcc_lc       TEXT NOT NULL,
                      replyto_lc   TEXT NOT NULL,
                      subject_lc   TEXT NOT NULL,
                      msgid_lc     TEXT NOT NULL,
                      rcpt_lc      TEXT NOT NULL,
                      mailfrom_lc  TEXT NOT NULL,
                      headers_lc   TEXT NOT NULL,
                      text_lc      TEXT NOT NULL)""");
            s.execute("CREATE TABLE IF NOT EXISTS raws (seq INTEGER PRIMARY KEY, raw BLOB NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS messages_received ON messages(received)");
            s.execute("CREATE INDEX IF NOT EXISTS messages_inbox ON messages(inbox, seq)");
            s.execute("CREATE INDEX IF NOT EXISTS messages_tagged ON messages(seq) WHERE tags_json <> '[]'");
            s.execute("""
                    CREATE TRIGGER IF NOT EXISTS messages_delete_raw AFTER DELETE ON messages
                    BEGIN DELETE FROM raws WHERE seq = old.seq; END""");
            s.execute("PRAGMA user_version = " + VERSION);
        }
    }

    /** Registers the {@code header:} matcher on {@code connection} (SQLite functions are per connection). */
    static void registerFunctions(Connection connection) throws SQLException {
        Function.create(connection, HEADER_MATCH_FUNCTION, new HeaderMatch(), 3, Function.FLAG_DETERMINISTIC);
    }

    /**
     * {@code petrel_header_match(headers_lc, name, valueOrNull)}: 1 when a field called {@code name}
     * exists (and, with a value, one such field's value contains it), else 0. Both arguments are lowercase.
     */
    private static final class HeaderMatch extends Function {
        @Override
        protected void xFunc() throws SQLException {
            String headers = value_text(0);
            String name = value_text(1);
            String wanted = value_text(2);
            result(headers != null && name != null && matches(headers, name, wanted) ? 1 : 0);
        }

        static boolean matches(String headers, String name, String wanted) {
            String prefix = name + "\t";
            int lineStart = 0;
            while (lineStart < headers.length()) {
                int lineEnd = headers.indexOf('\n', lineStart);
                if (lineEnd < 0) lineEnd = headers.length();
                if (headers.startsWith(prefix, lineStart)) {
                    if (wanted == null) return true;
                    int at = headers.indexOf(wanted, lineStart + prefix.length());
                    if (at >= 0 && at + wanted.length() <= lineEnd) return true;
                }
                lineStart = lineEnd + 1;
            }
            return false;
        }
    }
}
