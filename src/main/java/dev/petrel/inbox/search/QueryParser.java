package dev.petrel.inbox.search;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns query text into clauses. Grammar (terms separated by white space, all must hold):
 * <pre>
 *   term     = ["-" / "!"] ( phrase / operator ":" value / word )
 *   phrase   = DQUOTE *(any char except DQUOTE, or \" ) DQUOTE
 *   value    = word / phrase            ; subject:"two words" keeps the space
 * </pre>
 * An unquoted {@code name:} prefix made of letters is an operator; an unknown one is an error rather
 * than silently searched as text, so a typo such as {@code form:bob} does not quietly match nothing.
 * Quote text that contains a colon to search for it literally.
 */
final class QueryParser {
    static final String OPERATORS = "from, to, cc, bcc, reply-to, subject, message-id, rcpt, mailfrom, header, tag, "
            + "inbox, has, is, before, after, larger, smaller";
    private static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z][A-Za-z-]*");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?([kKmM][bB]?|[bB])?");
    private static final int MAX_QUERY_LENGTH = 4096;

    private final String text;
    private final ZoneId zone;
    private int pos;

    QueryParser(String text, ZoneId zone) {
        this.text = text == null ? "" : text;
        this.zone = zone;
    }

    List<Clause> parse() throws QuerySyntaxException {
        if (text.length() > MAX_QUERY_LENGTH) {
            throw new QuerySyntaxException("the query is " + text.length() + " characters long; at most " + MAX_QUERY_LENGTH + " are allowed");
        }
        List<Clause> clauses = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) return clauses;
            clauses.add(clause());
        }
    }

    private Clause clause() throws QuerySyntaxException {
        int start = pos;
        boolean negated = false;
        char c = text.charAt(pos);
        if (c == '-' || c == '!') {
            if (pos + 1 >= text.length() || Character.isWhitespace(text.charAt(pos + 1))) {
                throw new QuerySyntaxException("'" + c + "' at position " + (start + 1)
                        + " must be followed by a term to exclude, e.g. " + c + "from:bob@example.com");
            }
            negated = true;
            pos++;
        }
        Token token = token();
        return new Clause(term(token, start), negated);
    }

    /** A raw token: its text with quotes removed, and the operator prefix if one was written unquoted. */
    private record Token(String operator, String value, boolean valueQuoted) {
    }

    private Token token() throws QuerySyntaxException {
        StringBuilder value = new StringBuilder();
        String operator = null;
        boolean quoted = false;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            char c = text.charAt(pos);
            if (c == '"') {
                quoted = true;
                readPhrase(value);
            } else if (c == ':' && operator == null && !quoted && OPERATOR_NAME.matcher(value).matches()) {
                operator = value.toString().toLowerCase(Locale.ROOT);
                value.setLength(0);
                pos++;
            } else {
                value.append(c);
                pos++;
            }
        }
        return new Token(operator, value.toString(), quoted);
    }

    private void readPhrase(StringBuilder into) throws QuerySyntaxException {
        int open = pos;
        pos++; // the opening quote
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                into.append('"');
                pos += 2;
            } else if (c == '"') {
                pos++;
                return;
            } else {
                into.append(c);
                pos++;
            }
        }
        throw new QuerySyntaxException("the quote at position " + (open + 1) + " is not closed; add a closing \"");
    }

    private Term term(Token token, int start) throws QuerySyntaxException {
        String value = token.value();
        if (token.operator() == null) {
            if (value.isBlank()) throw new QuerySyntaxException("empty phrase \"\" at position " + (start + 1) + "; remove it or put text inside");
            return new Term.Text(lower(value));
        }
        String op = token.operator();
        Term.FieldName field = Term.FieldName.byKeyword(op);
        if (field != null) return new Term.Field(field, lower(required(op, value, "alice@example.com")));
        return switch (op) {
            case "header" -> header(value);
            case "tag" -> new Term.Tag(lower(required(op, value, "urgent")));
            case "inbox" -> new Term.Inbox(required(op, value, "signup-test").strip());
            case "has" -> switch (lower(required(op, value, "attachment"))) {
                case "attachment", "attachments" -> new Term.Has(Term.Feature.ATTACHMENT);
                case "inline", "inlines" -> new Term.Has(Term.Feature.INLINE);
                default -> throw new QuerySyntaxException("has:" + value + " is not known; use has:attachment or has:inline");
            };
            case "is" -> switch (lower(required(op, value, "unread"))) {
                case "read" -> new Term.Read(true);
                case "unread" -> new Term.Read(false);
                default -> throw new QuerySyntaxException("is:" + value + " is not known; use is:read or is:unread");
            };
            case "after" -> new Term.ReceivedAfter(date(op, required(op, value, "2026-01-31")));
            case "before" -> new Term.ReceivedBefore(date(op, required(op, value, "2026-01-31")));
            case "larger" -> new Term.Size(true, size(op, required(op, value, "100kb")));
            case "smaller" -> new Term.Size(false, size(op, required(op, value, "100kb")));
            default -> throw new QuerySyntaxException("unknown search operator '" + op + ":'; known operators are " + OPERATORS
                    + ". To search for text containing a colon, quote it: \"" + op + ":" + value + "\"");
        };
    }

    private Term header(String value) throws QuerySyntaxException {
        String spec = required("header", value, "X-Mailer=PHPMailer");
        int eq = spec.indexOf('=');
        String name = (eq < 0 ? spec : spec.substring(0, eq)).strip();
        if (name.isEmpty()) throw new QuerySyntaxException("header: needs a field name, e.g. header:X-Mailer or header:X-Mailer=PHPMailer");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw new QuerySyntaxException("'" + name + "' is not a header field name (RFC 5322 allows printable ASCII except ':')");
            }
        }
        if (eq < 0) return new Term.Header(lower(name), null);
        String wanted = spec.substring(eq + 1);
        if (wanted.isBlank()) {
            throw new QuerySyntaxException("header:" + name + "= needs a value after '='; write header:" + name
                    + " to ask only that the field is present");
        }
        return new Term.Header(lower(name), lower(wanted.strip()));
    }

    private Instant date(String op, String value) throws QuerySyntaxException {
        String v = value.strip();
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(zone).toInstant();
            if (v.endsWith("Z") || v.endsWith("z") || hasOffset(v)) return OffsetDateTime.parse(v.toUpperCase(Locale.ROOT)).toInstant();
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new QuerySyntaxException(op + ":" + value + " is not a date; write a date as 2026-01-31, a local time as "
                    + "2026-01-31T14:30 or 2026-01-31T14:30:00, or an instant as 2026-01-31T14:30:00Z or 2026-01-31T14:30:00+02:00");
        }
    }

    private static boolean hasOffset(String v) {
        int t = v.indexOf('T');
        return t > 0 && (v.indexOf('+', t) > 0 || v.indexOf('-', t) > 0);
    }

    private static long size(String op, String value) throws QuerySyntaxException {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new QuerySyntaxException(op + ":" + value + " is not a size; write bytes (2048), kilobytes (2k, 2kb) or megabytes (1.5m, 1.5mb)");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        double factor = switch (unit.charAt(0)) {
            case 'k' -> 1024;
            case 'm' -> 1024 * 1024;
            default -> 1;
        };
        return (long) (number * factor);
    }

    private static String required(String op, String value, String example) throws QuerySyntaxException {
        if (value.isBlank()) throw new QuerySyntaxException(op + ": needs a value, e.g. " + op + ":" + example);
        return value;
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }
}
