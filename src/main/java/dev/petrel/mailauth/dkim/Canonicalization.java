package dev.petrel.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * The two canonicalization algorithms of RFC 6376 section 3.4, for header fields and for the body.
 *
 * <p>Lines are treated as they travel on the wire: a bare LF (as in files written by Unix tools)
 * counts as CRLF, and every line of the output ends in CRLF. Bytes are kept as they are (no
 * character decoding), so 8-bit header values hash as received.
 */
public enum Canonicalization {
    /** Tolerates almost no change: the field and the body as sent (section 3.4.1 and 3.4.3). */
    SIMPLE,
    /** Tolerates white space changes and header folding (section 3.4.2 and 3.4.4). */
    RELAXED;

    /** The name as written in {@code c=}. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code simple} or {@code relaxed} (case-insensitive), else null. */
    public static Canonicalization fromTagValue(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> null;
        };
    }

    /**
     * One header field, given as raw bytes from its name to its last line ending (which may be
     * missing), canonicalized and ending in CRLF.
     */
    public byte[] header(byte[] raw) {
        return switch (this) {
            case SIMPLE -> simpleHeader(raw);
            case RELAXED -> relaxedHeader(raw);
        };
    }

    /** The body ({@code length} octets of {@code message} from {@code offset}), canonicalized. */
    public byte[] body(byte[] message, int offset, int length) {
        return switch (this) {
            case SIMPLE -> simpleBody(message, offset, length);
            case RELAXED -> relaxedBody(message, offset, length);
        };
    }

    // ---- headers ----

    private static byte[] simpleHeader(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) out.write('\r');
            out.write(b);
        }
        if (raw.length == 0 || raw[raw.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static byte[] relaxedHeader(byte[] raw) {
        int colon = indexOf(raw, (byte) ':');
        if (colon < 0) throw new IllegalArgumentException("not a header field: no colon");
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        // Name: lower case, white space before the colon removed.
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(raw[nameEnd - 1])) nameEnd--;
        for (int i = 0; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
        out.write(':');
        // Value: unfold (drop line endings), runs of WSP become one SP, none at either end.
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') continue;
            if (isWsp(b)) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && started) out.write(' ');
            pendingSpace = false;
            started = true;
            out.write(b);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    // ---- body ----

    private static byte[] simpleBody(byte[] m, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 2);
        int end = offset + length;
        int pendingEmptyLines = 0;
        int pos = offset;
        while (pos < end) {
            int eol = lineEnd(m, pos, end);
            int contentEnd = contentEnd(m, pos, eol, end);
            if (contentEnd == pos) {
                pendingEmptyLines++; // written only if a non-empty line follows
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) crlf(out);
                out.write(m, pos, contentEnd - pos);
                crlf(out);
            }
            pos = eol < end ? eol + 1 : end;
        }
        // An empty body (or one of empty lines only) is a single CRLF.
        if (out.size() == 0) crlf(out);
        return out.toByteArray();
    }

    private static byte[] relaxedBody(byte[] m, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 2);
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int end = offset + length;
        int pendingEmptyLines = 0;
        int pos = offset;
        while (pos < end) {
            int eol = lineEnd(m, pos, end);
            int contentEnd = contentEnd(m, pos, eol, end);
            line.reset();
            boolean pendingSpace = false;
            for (int i = pos; i < contentEnd; i++) {
                byte b = m[i];
                if (isWsp(b)) {
                    pendingSpace = true;
                    continue;
                }
                if (pendingSpace) line.write(' '); // inner runs become one SP; trailing ones vanish
                pendingSpace = false;
                line.write(b);
            }
            if (line.size() == 0) {
                pendingEmptyLines++;
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) crlf(out);
                out.write(line.toByteArray(), 0, line.size());
                crlf(out);
            }
            pos = eol < end ? eol + 1 : end;
        }
        // An empty body stays empty under relaxed (RFC 6376 section 3.4.4, erratum 3.4.3 vs 3.4.4).
        return out.toByteArray();
    }

    /** Index of the LF ending the line at {@code from}, or {@code end} for an unterminated last line. */
    private static int lineEnd(byte[] m, int from, int end) {
        for (int i = from; i < end; i++) {
            if (m[i] == '\n') return i;
        }
        return end;
    }

    /** Where the line's content stops: before its CRLF or LF. */
    private static int contentEnd(byte[] m, int start, int eol, int end) {
        if (eol > start && eol < end && m[eol - 1] == '\r') return eol - 1;
        return eol;
    }

    private static void crlf(ByteArrayOutputStream out) {
        out.write('\r');
        out.write('\n');
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) return i;
        }
        return -1;
    }
}
