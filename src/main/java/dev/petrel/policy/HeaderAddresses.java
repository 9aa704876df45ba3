package dev.petrel.policy;

import dev.petrel.message.MailAddress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the mailbox addresses of the From: header field(s) of a message (RFC 5322 section 3.4
 * and the obsolete syntax of 4.4 that real mail still uses): folded lines, display names, quoted
 * strings, nested comments, angle addresses with an old source route, groups, and several
 * addresses or several From: fields. Display names are not addresses and are ignored; encoded
 * words (RFC 2047) can therefore never smuggle an address in.
 *
 * <p>Strict where it matters for {@link SenderPolicy}: anything that is not clearly an address
 * list (a bare word, an unclosed {@code <}, a stray {@code >}) throws {@link IllegalArgumentException},
 * so that an address a mail client might show can never slip past the check unseen.
 */
public final class HeaderAddresses {
    private HeaderAddresses() {}

    /**
     * The addresses of every From: field in a header section (the bytes up to the empty line; a
     * missing empty line is fine). Empty when there is no From: field or it is an empty group.
     */
    public static List<MailAddress> from(byte[] headerSection) {
        List<MailAddress> out = new ArrayList<>();
        for (String field : unfoldedFields(new String(headerSection, StandardCharsets.UTF_8))) {
            int colon = field.indexOf(':');
            if (colon < 0) continue;
            // obs-optional allows white space between the name and the colon.
            if (field.substring(0, colon).strip().equalsIgnoreCase("from")) out.addAll(addressList(field.substring(colon + 1)));
        }
        return out;
    }

    /** The header fields, each with its continuation lines joined (CRLF removed, the white space kept). */
    static List<String> unfoldedFields(String headers) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : headers.split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) break; // end of the header section
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
            } else {
                if (current != null) fields.add(current.toString());
                current = new StringBuilder(line);
            }
        }
        if (current != null) fields.add(current.toString());
        return fields;
    }

    /** An RFC 5322 address-list (mailboxes and groups); empty elements are skipped (obs-addr-list). */
    public static List<MailAddress> addressList(String value) {
        return new Parser(tokenize(value)).list();
    }

    private enum Kind { WORD, QUOTED, LITERAL, SPECIAL }

    /** {@code text} is the token as written (quotes kept); a SPECIAL is one of {@code < > @ , ; :}. */
    private record Token(Kind kind, String text) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }
    }

    /** Splits into words (atoms with their dots), quoted strings, domain literals and specials; drops white space and comments. */
    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                i = skipComment(s, i);
            } else if (c == '"') {
                int end = closing(s, i, '"');
                out.add(new Token(Kind.QUOTED, s.substring(i, end + 1)));
                i = end + 1;
            } else if (c == '[') {
                int end = closing(s, i, ']');
                out.add(new Token(Kind.LITERAL, s.substring(i, end + 1)));
                i = end + 1;
            } else if ("<>@,;:".indexOf(c) >= 0) {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c)));
                i++;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < s.length() && isWordChar(s.charAt(i))) i++;
                out.add(new Token(Kind.WORD, s.substring(start, i)));
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "'");
            }
        }
        return out;
    }

    /** RFC 5322 atext plus '.', plus anything beyond ASCII (RFC 6532). */
    private static boolean isWordChar(char c) {
        return c > 0x7f || (c > 0x20 && c < 0x7f && "()<>[]:;@\\,\"".indexOf(c) < 0);
    }

    /** The index just after a comment, which may nest and contain quoted pairs. */
    private static int skipComment(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unclosed comment");
    }

    /** The index of the {@code close} that ends a quoted string or domain literal opened at {@code i}. */
    private static int closing(String s, int i, char close) {
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == close) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed " + (close == '"' ? "quoted string" : "domain literal"));
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final List<MailAddress> out = new ArrayList<>();
        private int pos;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        List<MailAddress> list() {
            while (pos < tokens.size()) {
                if (peekIs(',')) {
                    pos++;
                    continue;
                }
                element(false);
                if (pos < tokens.size() && !peekIs(',')) throw new IllegalArgumentException("expected ',' between addresses");
            }
            return out;
        }

        /** A mailbox, or (outside a group) a group {@code name: a, b;}. */
        private void element(boolean inGroup) {
            int start = pos;
            while (pos < tokens.size() && (tokens.get(pos).kind() == Kind.WORD || tokens.get(pos).kind() == Kind.QUOTED)) pos++;
            if (pos == tokens.size()) throw new IllegalArgumentException("not an address");
            Token t = tokens.get(pos);
            if (t.is('<')) {
                pos++;
                angleAddress();
            } else if (t.is('@')) {
                pos = start;
                out.add(addrSpec());
            } else if (t.is(':') && !inGroup && pos > start) {
                pos++;
                group();
            } else {
                throw new IllegalArgumentException("not an address");
            }
        }

        private void group() {
            while (true) {
                if (pos == tokens.size()) throw new IllegalArgumentException("group without ';'");
                if (peekIs(';')) {
                    pos++;
                    return;
                }
                if (peekIs(',')) {
                    pos++;
                    continue;
                }
                element(true);
                if (!peekIs(',') && !peekIs(';')) throw new IllegalArgumentException("expected ',' or ';' in a group");
            }
        }

        /** After {@code <}: an optional obsolete route {@code @a,@b:}, the addr-spec, {@code >}. */
        private void angleAddress() {
            if (peekIs('@')) {
                while (peekIs('@') || peekIs(',')) {
                    if (next().is('@')) domain();
                }
                if (!next().is(':')) throw new IllegalArgumentException("bad route");
            }
            out.add(addrSpec());
            if (!next().is('>')) throw new IllegalArgumentException("expected '>'");
        }

        /** local-part {@code @} domain; the local part may be words and quoted strings joined by dots (obs-local-part). */
        private MailAddress addrSpec() {
            StringBuilder local = new StringBuilder();
            while (pos < tokens.size() && (tokens.get(pos).kind() == Kind.WORD || tokens.get(pos).kind() == Kind.QUOTED)) {
                String part = tokens.get(pos++).text();
                // Pieces must be joined by dots: "John alice@example.com" is a display name without
                // angle brackets, not the address "Johnalice@example.com".
                if (!local.isEmpty() && local.charAt(local.length() - 1) != '.' && !part.startsWith(".")) {
                    throw new IllegalArgumentException("words before an address without '<'");
                }
                local.append(part);
            }
            if (local.isEmpty() || !next().is('@')) throw new IllegalArgumentException("not an address");
            String d = domain();
            if (local.charAt(0) == '.' || local.charAt(local.length() - 1) == '.' || local.indexOf("..") >= 0) {
                throw new IllegalArgumentException("bad local part");
            }
            return new MailAddress(local.toString(), d);
        }

        private String domain() {
            Token t = next();
            if (t.kind() == Kind.LITERAL) return t.text();
            if (t.kind() != Kind.WORD || t.text().startsWith(".") || t.text().endsWith(".") || t.text().contains("..")) {
                throw new IllegalArgumentException("bad domain");
            }
            return t.text();
        }

        private boolean peekIs(char special) {
            return pos < tokens.size() && tokens.get(pos).is(special);
        }

        private Token next() {
            if (pos == tokens.size()) throw new IllegalArgumentException("address ends too early");
            return tokens.get(pos++);
        }
    }
}
