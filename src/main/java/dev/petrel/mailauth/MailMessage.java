package dev.petrel.mailauth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A message split into its header fields and its body, the way DKIM, ARC and DMARC read it. The
 * bytes are kept exactly as received: each field's raw form (name, colon, value and folding, with
 * its final line ending) is what canonicalization works on.
 *
 * <p>Lines end in CRLF in the spool; a bare LF is accepted as a line ending too, so that files
 * written by other tools can be checked. The header section ends at the first empty line, or at the
 * first line that is neither a field nor a continuation (that line then starts the body, as in
 * RFC 6376 section 3.4 and as opendkim reads it). Immutable and thread-safe.
 */
public final class MailMessage {
    /**
     * One header field.
     *
     * @param name the field name as written (compare with {@link #is})
     * @param raw  the field exactly as in the message, up to and including its last line ending
     */
    public record HeaderField(String name, byte[] raw) {
        /** Whether this field's name is {@code other}, ignoring case. */
        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** The value after the colon, unfolded (line endings removed), leading and trailing white space trimmed. */
        public String value() {
            String text = new String(raw, StandardCharsets.UTF_8);
            return text.substring(text.indexOf(':') + 1).replace("\r\n", "").replace("\n", "").strip();
        }

        /** A new field {@code name: value} followed by CRLF; the value may already contain folding. */
        public static HeaderField of(String name, String value) {
            return new HeaderField(name, (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private final byte[] bytes;
    private final List<HeaderField> headers;
    private final int bodyOffset;

    private MailMessage(byte[] bytes, List<HeaderField> headers, int bodyOffset) {
        this.bytes = bytes;
        this.headers = List.copyOf(headers);
        this.bodyOffset = bodyOffset;
    }

    /** Splits {@code message} (not copied: do not change it afterwards). */
    public static MailMessage parse(byte[] message) {
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        String fieldName = null;
        while (pos < message.length) {
            int eol = lineEnd(message, pos);
            boolean empty = eol == pos || (eol == pos + 1 && message[pos] == '\r');
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (continuation && fieldStart >= 0) {
                pos = next(message, eol);
                continue;
            }
            if (fieldStart >= 0) fields.add(field(message, fieldName, fieldStart, pos));
            fieldStart = -1;
            if (empty) return new MailMessage(message, fields, next(message, eol));
            int colon = nameEnd(message, pos, eol);
            if (colon < 0) return new MailMessage(message, fields, pos); // not a field: the body starts here
            fieldStart = pos;
            fieldName = new String(message, pos, colon - pos, StandardCharsets.US_ASCII).stripTrailing();
            pos = next(message, eol);
        }
        if (fieldStart >= 0) fields.add(field(message, fieldName, fieldStart, message.length));
        return new MailMessage(message, fields, message.length);
    }

    /** Every header field, top to bottom. */
    public List<HeaderField> headers() {
        return headers;
    }

    /** The fields named {@code name} (any case), top to bottom. */
    public List<HeaderField> headers(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower)).toList();
    }

    /** The whole message as given to {@link #parse} (not a copy: do not change it). */
    public byte[] bytes() {
        return bytes;
    }

    /** Where the body starts in {@link #bytes()}: after the empty line that ends the header section. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** Length of the body in octets. */
    public int bodyLength() {
        return bytes.length - bodyOffset;
    }

    /** The message with {@code fields} placed above its first header field, in the order given. */
    public MailMessage prepend(List<HeaderField> fields) {
        int extra = fields.stream().mapToInt(f -> f.raw().length).sum();
        byte[] out = new byte[extra + bytes.length];
        int pos = 0;
        for (HeaderField f : fields) {
            System.arraycopy(f.raw(), 0, out, pos, f.raw().length);
            pos += f.raw().length;
        }
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return parse(out);
    }

    /**
     * The message without the header fields {@code drop} matches; every other byte (the remaining
     * fields, the empty line, the body) is kept exactly. Returns this message when nothing matches.
     */
    public MailMessage without(Predicate<HeaderField> drop) {
        if (headers.stream().noneMatch(drop)) return this;
        // Fields are contiguous from the first byte, so the header section's fields end where their lengths add up.
        int fieldsEnd = headers.stream().mapToInt(f -> f.raw().length).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (HeaderField f : headers) {
            if (!drop.test(f)) out.writeBytes(f.raw());
        }
        out.write(bytes, fieldsEnd, bytes.length - fieldsEnd);
        return parse(out.toByteArray());
    }

    /** Index of the LF ending the line at {@code from}, or the end of the message. */
    private static int lineEnd(byte[] m, int from) {
        for (int i = from; i < m.length; i++) {
            if (m[i] == '\n') return i;
        }
        return m.length;
    }

    private static int next(byte[] m, int eol) {
        return Math.min(m.length, eol + 1);
    }

    /** The index of the colon after a valid field name (printable US-ASCII but colon, RFC 5322 2.2), or -1. */
    private static int nameEnd(byte[] m, int from, int eol) {
        for (int i = from; i < eol; i++) {
            byte b = m[i];
            if (b == ':') return i > from ? i : -1;
            // White space before the colon is obsolete syntax (RFC 5322 4.5) that DKIM still handles.
            if ((b < 33 || b > 126) && b != ' ' && b != '\t') return -1;
        }
        return -1;
    }

    private static HeaderField field(byte[] m, String name, int start, int end) {
        byte[] raw = new byte[end - start];
        System.arraycopy(m, start, raw, 0, raw.length);
        return new HeaderField(name, raw);
    }
}
