package dev.petrel.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the mailboxes of an RFC 5322 address-list (section 3.4), with the obsolete forms of
 * section 4.4 that real mail still carries: display names of words, quoted strings and dots;
 * nested comments and folding anywhere between tokens; angle addresses with an old source route
 * ({@code <@relay.example:alice@example.com>}); groups ({@code team: a@x, b@y;}), including empty
 * ones; empty list elements ({@code a@x,,b@y}); a quoted or dotted local part; a domain literal.
 *
 * <p>Display names and comments are never mistaken for addresses: an encoded word (RFC 2047) or a
 * lookalike text in a display name is skipped, so it can never smuggle an address in. Anything
 * that is not clearly an address list (a bare word, words before an address without {@code <}, an
 * unclosed {@code <}, quote, comment or domain literal, a stray {@code >}) is an error rather than
 * a guess, because the callers (DMARC's From domain, the From check of authenticated senders) must
 * never let an address a mail client might show slip past unseen.
 *
 * <p>Nothing is normalized: the local part is kept as written (quotes kept), the domain as written
 * (a name in its original case, or a {@code [literal]}); callers decide what they accept.
 */
public final class AddressList {
    private enum Kind { WORD, QUOTED, LITERAL, SPECIAL }

    /** A token; {@code text} is as written (quotes kept); for SPECIAL it is one of {@code < > @ , ; :}. */
    private record Token(Kind kind, String text) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }

        boolean isWord() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    private final List<Token> tokens;
    private final List<MailAddress> out = new ArrayList<>();
    private int pos;

    private AddressList(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * The mailboxes of {@code value} (a field body; folding line breaks may still be in it), in
     * order; empty for an empty list or empty groups.
     *
     * @throws IllegalArgumentException when {@code value} is not an address list, with the reason
     */
    public static List<MailAddress> parse(String value) {
        AddressList parser = new AddressList(tokenize(value));
        parser.list();
        return List.copyOf(parser.out);
    }

    private void list() {
        while (pos < tokens.size()) {
            if (peekIs(',')) {
                pos++;
                continue;
            }
            element(false);
            if (pos < tokens.size() && !peekIs(',')) throw new IllegalArgumentException("expected ',' between addresses");
        }
    }

    /** A mailbox, or (outside a group) a group {@code display-name: mailbox-list;}. */
    private void element(boolean inGroup) {
        int start = pos;
        while (pos < tokens.size() && tokens.get(pos).isWord()) pos++;
        if (pos == tokens.size()) throw new IllegalArgumentException("words without an address");
        Token t = tokens.get(pos);
        if (t.is('<')) {
            pos++;
            angleAddress();
        } else if (t.is('@') && pos > start) {
            pos = start;
            out.add(addrSpec());
        } else if (t.is(':') && pos > start && !inGroup) {
            pos++;
            group();
        } else {
            throw new IllegalArgumentException("unexpected '" + t.text() + "'");
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

    /** After {@code <}: an optional obsolete route {@code @a,@b:}, the addr-spec, then {@code >}. */
    private void angleAddress() {
        if (peekIs('@')) {
            while (peekIs('@') || peekIs(',')) {
                if (next().is('@')) domain();
            }
            if (!next().is(':')) throw new IllegalArgumentException("bad source route");
        }
        out.add(addrSpec());
        if (!peekIs('>')) throw new IllegalArgumentException("expected '>'");
        pos++;
    }

    /** local-part {@code @} domain; the local part is words and quoted strings joined by dots (obs-local-part). */
    private MailAddress addrSpec() {
        StringBuilder local = new StringBuilder();
        while (pos < tokens.size() && tokens.get(pos).isWord()) {
            String part = tokens.get(pos++).text();
            // "John alice@example.com" is a display name without angle brackets, not "Johnalice@...".
            if (!local.isEmpty() && local.charAt(local.length() - 1) != '.' && !part.startsWith(".")) {
                throw new IllegalArgumentException("words before an address without '<'");
            }
            local.append(part);
        }
        if (local.isEmpty() || !next().is('@')) throw new IllegalArgumentException("address without local part");
        String localPart = local.toString();
        if (localPart.startsWith(".") || localPart.endsWith(".") || localPart.contains("..")) {
            throw new IllegalArgumentException("bad local part");
        }
        return new MailAddress(localPart, domain());
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

    /** Words (atoms with their dots), quoted strings, domain literals and specials; white space and comments dropped. */
    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                i = afterComment(s, i);
            } else if (c == '"') {
                int end = closing(s, i, '"');
                tokens.add(new Token(Kind.QUOTED, s.substring(i, end + 1)));
                i = end + 1;
            } else if (c == '[') {
                int end = closing(s, i, ']');
                tokens.add(new Token(Kind.LITERAL, s.substring(i, end + 1)));
                i = end + 1;
            } else if ("<>@,;:".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, String.valueOf(c)));
                i++;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < s.length() && isWordChar(s.charAt(i))) i++;
                tokens.add(new Token(Kind.WORD, s.substring(start, i)));
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "'");
            }
        }
        return tokens;
    }

    /** RFC 5322 atext and '.', and anything beyond ASCII (RFC 6532 allows UTF-8 in addresses). */
    private static boolean isWordChar(char c) {
        return c > 0x7f || (c > 0x20 && c < 0x7f && "()<>[]:;@\\,\"".indexOf(c) < 0);
    }

    /** The index just after the comment opened at {@code i}; comments nest and may hold quoted pairs. */
    private static int afterComment(String s, int i) {
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

    /** The index of the {@code close} ending the quoted string or domain literal opened at {@code i}. */
    private static int closing(String s, int i, char close) {
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == close) {
                return i;
            }
        }
        throw new IllegalArgumentException(close == '"' ? "unclosed quoted string" : "unclosed domain literal");
    }
}
