package dev.petrel.mailauth.dkim;

import java.util.List;

/**
 * Writes a signature header field (DKIM-Signature, and ARC's fields) folded into lines of at most
 * 78 characters: tags separated by one space, a continuation line ("CRLF SP") before a tag that
 * would not fit, the names of a list tag broken after a colon, and {@code b=} on a line of its own
 * with its base64 broken wherever the line is full (white space inside b= is ignored by verifiers).
 *
 * <p>Usage: {@code new FoldedField("DKIM-Signature")}, then {@link #tag} and {@link #list} in
 * order, then {@link #unsigned()} for the text to hash and {@link #signed} for the final field.
 */
public final class FoldedField {
    static final int LINE_LIMIT = 78;

    private final StringBuilder text = new StringBuilder(512);
    private boolean closed;

    public FoldedField(String name) {
        text.append(name).append(':');
    }

    /** Adds a complete tag, with its trailing semicolon: {@code "d=example.com;"}. */
    public FoldedField tag(String tag) {
        if (lineLength() + 1 + tag.length() > LINE_LIMIT) newLine();
        else text.append(' ');
        text.append(tag);
        return this;
    }

    /** Adds {@code prefix} followed by the names joined with ":" and a semicolon (h=). */
    public FoldedField list(String prefix, List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("empty list for " + prefix);
        tag(prefix + names.getFirst() + (names.size() == 1 ? ";" : ""));
        for (int i = 1; i < names.size(); i++) {
            String piece = names.get(i) + (i == names.size() - 1 ? ";" : "");
            text.append(':');
            if (lineLength() + piece.length() > LINE_LIMIT) newLine();
            text.append(piece);
        }
        return this;
    }

    /** The field up to and including "b=" on a line of its own: what the signature covers. */
    public String unsigned() {
        if (!closed) {
            newLine();
            text.append("b=");
            closed = true;
        }
        return text.toString();
    }

    /** The whole field: {@link #unsigned()}, the base64 signature folded, CRLF. */
    public String signed(String base64) {
        String start = unsigned();
        StringBuilder out = new StringBuilder(start.length() + base64.length() + 16).append(start);
        int room = Math.max(8, LINE_LIMIT - lineLength());
        int pos = 0;
        while (pos < base64.length()) {
            int end = Math.min(base64.length(), pos + room);
            if (pos > 0) out.append("\r\n ");
            out.append(base64, pos, end);
            pos = end;
            room = LINE_LIMIT - 1;
        }
        return out.append("\r\n").toString();
    }

    private void newLine() {
        text.append("\r\n ");
    }

    private int lineLength() {
        return text.length() - (text.lastIndexOf("\n") + 1);
    }
}
