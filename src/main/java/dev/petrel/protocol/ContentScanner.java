package dev.petrel.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a message as its content streams by, for the [limits] checks at the end of data: the
 * size of the header section, and how deeply multipart and message/rfc822 parts nest (a
 * {@code multipart/mixed} message has depth 1).
 *
 * <p>Fed the decoded content (CRLF line endings) without our Received header. Only header
 * fields and boundary lines are looked at, through a bounded line buffer, and only Content-Type
 * is kept; scanning stops once the message turns out to be flat or too deep, so a session holds
 * at most {@code maxDepth} boundaries however hostile the input.
 */
final class ContentScanner {
    /** Longer lines are cut: a boundary is at most 70 characters (RFC 2046 section 5.1.1). */
    private static final int MAX_LINE = 1000;
    /** A folded Content-Type longer than this is not worth reading further. */
    private static final int MAX_FIELD = 4096;
    private static final Pattern BOUNDARY = Pattern.compile(";\\s*boundary\\s*=\\s*(?:\"([^\"]{1,70})\"|([^\\s;\"]{1,70}))",
            Pattern.CASE_INSENSITIVE);

    private final int maxDepth;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private long lineOctets;
    private long headerSize;
    private int receivedFields;
    private boolean topHeaders = true;
    private boolean inHeaders = true; // header fields of the message, of a part, or of an embedded message
    private StringBuilder field;      // the Content-Type field being read (unfolded), or null
    private String contentType;       // the last complete Content-Type of the current header block
    /** Innermost first: a boundary per open multipart, "" per open message/rfc822. */
    private final Deque<String> nesting = new ArrayDeque<>();
    private boolean tooDeep;
    private boolean done;

    ContentScanner(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    void feed(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            byte c = b[i];
            lineOctets++;
            if (c == '\n') {
                int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                line(len);
                lineLength = 0;
                lineOctets = 0;
            } else if (lineLength < MAX_LINE) {
                line[lineLength++] = c;
            }
        }
    }

    /** Octets of the message's header section, each field with its CRLF; the empty line after it not counted. */
    long headerSize() {
        // A header section still open at the end (no body) counts its unfinished last line too.
        return topHeaders ? headerSize + lineOctets : headerSize;
    }

    /** {@code Received:} fields in the message's own header section (RFC 5321 6.3 hop count). */
    int receivedFields() {
        return receivedFields;
    }

    boolean tooDeep() {
        return tooDeep;
    }

    private void line(int len) {
        if (inHeaders) {
            headerLine(len);
        } else if (len >= 2 && line[0] == '-' && line[1] == '-') {
            delimiter(len);
        }
    }

    private void headerLine(int len) {
        boolean continuation = len > 0 && (line[0] == ' ' || line[0] == '\t');
        if (!continuation && !isField(len)) {
            // The empty line, or (as Postfix's cleanup reads it) a line that is no header field:
            // the body has begun, and that line is part of it.
            endOfHeaders();
            if (len > 0) line(len);
            return;
        }
        if (topHeaders) headerSize += lineOctets;
        if (continuation) {
            if (field != null && field.length() < MAX_FIELD) field.append(text(0, len));
            return;
        }
        finishField();
        if (topHeaders && len >= 9 && text(0, 9).equalsIgnoreCase("received:")) receivedFields++;
        if (len >= 13 && text(0, 13).equalsIgnoreCase("content-type:")) field = new StringBuilder(text(13, len));
    }

    /** {@code name:} with a name of printable ASCII (RFC 5322 section 2.2), blanks before the colon tolerated. */
    private boolean isField(int len) {
        int i = 0;
        while (i < len && line[i] > 32 && line[i] < 127 && line[i] != ':') i++;
        if (i == 0) return false;
        while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
        return i < len && line[i] == ':';
    }

    private void finishField() {
        if (field != null) contentType = field.toString();
        field = null;
    }

    private void endOfHeaders() {
        finishField();
        String type = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
        String declared = contentType;
        contentType = null;
        topHeaders = false;
        inHeaders = false;
        if (type.startsWith("multipart/")) {
            Matcher m = BOUNDARY.matcher(declared);
            if (m.find()) open(m.group(1) != null ? m.group(1) : m.group(2));
        } else if (type.startsWith("message/rfc822") || type.startsWith("message/global")) {
            open("");
            inHeaders = true; // the body is a message: its header fields come next
        }
        if (nesting.isEmpty() && !inHeaders) done = true; // a flat message has nothing more to measure
    }

    private void open(String boundary) {
        nesting.push(boundary);
        if (nesting.size() > maxDepth) {
            tooDeep = true;
            done = true;
        }
    }

    /** A line starting with "--": the delimiter of an open multipart, or body text. */
    private void delimiter(int len) {
        int end = len;
        while (end > 2 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--; // RFC 2046: trailing blanks allowed
        String text = text(2, end);
        int inner = 0;
        for (String boundary : nesting) {
            if (!boundary.isEmpty()) {
                if (text.equals(boundary)) {
                    pop(inner); // parts left open inside end here
                    inHeaders = true;
                    return;
                }
                if (text.length() == boundary.length() + 2 && text.startsWith(boundary) && text.endsWith("--")) {
                    pop(inner + 1);
                    if (nesting.isEmpty()) done = true;
                    return;
                }
            }
            inner++;
        }
    }

    private void pop(int count) {
        for (int i = 0; i < count; i++) nesting.pop();
    }

    private String text(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
