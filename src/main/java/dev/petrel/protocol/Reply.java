package dev.petrel.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (null only where RFC 2034
 * leaves it out: the greeting, the EHLO/HELO answer, 334 and 354) and one or more text lines.
 */
public record Reply(int code, String enhanced, List<String> lines) {
    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code " + code);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply needs text");
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text with a line break: " + line);
            }
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    /** The reply as sent on the wire, every line ending in CRLF. */
    public byte[] toWire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) sb.append(enhanced).append(' ');
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The reply on one line, for logs: {@code 250 2.0.0 Ok}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(code);
        if (enhanced != null) sb.append(' ').append(enhanced);
        sb.append(' ').append(String.join(" / ", lines));
        return sb.toString();
    }
}
