package dev.petrel.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles server reply lines into {@link ClientReply}s (RFC 5321 section 4.2): {@code 250-...}
 * continues a reply, {@code 250 ...} (or a bare {@code 250}) ends it, and every line of one reply
 * carries the same code.
 *
 * <p>Call order: {@link #feed} each line as read (without CRLF) until it returns {@link Done} or
 * {@link Malformed}; the parser is then ready for the next reply. Garbage never throws: a line
 * that is not a reply line is {@link Malformed}, a protocol error the caller treats like a broken
 * connection. Not thread-safe; one per connection.
 */
public final class ReplyParser {
    /** More lines than any sane server sends in one reply (EHLO lists a dozen or two). */
    public static final int MAX_LINES = 1000;

    /** What a fed line did. */
    public sealed interface Step permits More, Done, Malformed {}

    /** The reply continues: feed the next line. */
    public record More() implements Step {}

    /** The reply is complete. */
    public record Done(ClientReply reply) implements Step {}

    /** The line is not a valid reply line; the parser has been reset. */
    public record Malformed(String line, String reason) implements Step {}

    private static final More MORE = new More();

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    public Step feed(String line) {
        if (line == null) return malformed("", "no line");
        if (line.length() < 3 || !isDigits(line)) return malformed(line, "does not start with a three-digit reply code");
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (lineCode < 200 || lineCode > 599) return malformed(line, "reply code out of range");
        if (code != -1 && lineCode != code) return malformed(line, "reply code changed within a multi-line reply");
        char sep = line.length() == 3 ? ' ' : line.charAt(3);
        if (sep != ' ' && sep != '-') return malformed(line, "reply code not followed by a space or '-'");
        if (lines.size() >= MAX_LINES) return malformed(line, "more than " + MAX_LINES + " lines in one reply");
        code = lineCode;
        lines.add(line);
        if (sep == '-') return MORE;
        ClientReply reply = ClientReply.of(code, lines);
        reset();
        return new Done(reply);
    }

    /** True while a multi-line reply is half read. */
    public boolean inProgress() {
        return code != -1;
    }

    private Malformed malformed(String line, String reason) {
        reset();
        return new Malformed(line, reason);
    }

    private void reset() {
        lines.clear();
        code = -1;
    }

    private static boolean isDigits(String line) {
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
