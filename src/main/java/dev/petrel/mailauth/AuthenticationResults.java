package dev.petrel.mailauth;

import dev.petrel.mailauth.arc.ArcResult;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dmarc.DmarcResult;
import dev.petrel.mailauth.spf.SpfResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code Authentication-Results} header field (RFC 8601): writing ours, removing forged copies
 * of ours, and reading anyone's.
 *
 * <ul>
 * <li>{@link #builder} writes the field for a received message: one result ("resinfo") per line,
 *     {@code none} when there is nothing to report. Every value that comes from the message or
 *     from DNS (identities, reasons, comments) is quoted or escaped and stripped of control
 *     characters, so that no value can end the field early or add a field of its own.</li>
 * <li>{@link #withoutOurs} is the filter of RFC 8601 section 5: before adding our field, remove
 *     every existing one that claims our authserv-id, because a downstream reader (a filter, a
 *     mailbox, ARC) trusts fields with that id.</li>
 * <li>{@link #parse} reads a field back into its authserv-id and {@code method=result} pairs with
 *     their reasons and properties, comments dropped; lenient about white space and comments,
 *     strict about structure.</li>
 * </ul>
 * Pure functions and immutable values; the builder is not thread-safe.
 */
public final class AuthenticationResults {
    public static final String FIELD_NAME = "Authentication-Results";

    /** Lines are kept under this many characters where the values allow (RFC 5322 section 2.1.1). */
    static final int LINE_LIMIT = 78;
    private static final String FOLD = "\r\n\t";
    /** RFC 2045 tspecials: a value containing one of these (or space, a control or non-ASCII) is not a token. */
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?");
    private static final String ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
    /** {@code [[local-part] "@"] domain-name} of RFC 8601's pvalue, with a dot-atom local part. */
    private static final Pattern ADDRESS_OR_DOMAIN = Pattern.compile(
            "(?:(?:[" + ATEXT + "]+(?:\\.[" + ATEXT + "]+)*)?@)?"
                    + "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    /** One {@code ptype.property=value}, such as {@code header.d=example.com}. */
    public record Property(String type, String name, String value) {
        public Property {
            Objects.requireNonNull(value, "value");
        }

        /** {@code type.name}, as in {@code smtp.mailfrom}. */
        public String key() {
            return type + "." + name;
        }
    }

    /**
     * One result: {@code method=result}, an optional reason, properties in order.
     *
     * @param method     the method in lower case ({@code spf}, {@code dkim}, ...), without a method version
     * @param result     the result keyword in lower case
     * @param reason     the reason text (unquoted), or null
     * @param properties the properties in the order written
     */
    public record Result(String method, String result, String reason, List<Property> properties) {
        public Result {
            properties = List.copyOf(properties);
        }

        /** The value of the first property {@code type.name} (any case), or null. */
        public String property(String type, String name) {
            for (Property p : properties) {
                if (p.type().equalsIgnoreCase(type) && p.name().equalsIgnoreCase(name)) return p.value();
            }
            return null;
        }
    }

    /**
     * A parsed field.
     *
     * @param authservId the authentication service identifier, unquoted, as written
     * @param version    the version after it, or null when absent (version 1 is implied)
     * @param results    the results in order; empty for {@code none}
     */
    public record Parsed(String authservId, Integer version, List<Result> results) {
        public Parsed {
            results = List.copyOf(results);
        }
    }

    private AuthenticationResults() {}

    /** A builder for our field; {@code authservId} is normally the server's host name. */
    public static Builder builder(String authservId) {
        return new Builder(authservId);
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Collects results in the order added, then {@link #build}s the field. */
    public static final class Builder {
        private final String authservId;
        private final List<Resinfo> results = new ArrayList<>();

        private Builder(String authservId) {
            if (authservId == null || authservId.isBlank()) throw new IllegalArgumentException("authserv-id is required");
            this.authservId = authservId;
        }

        /**
         * An SPF result. The property is {@code smtp.helo} when {@code result.identity()} is
         * {@code helo}, else {@code smtp.mailfrom}.
         *
         * @param identity the checked identity as it should appear (the MAIL FROM address or its
         *                 domain, or the HELO name); null to use {@code result.domain()}
         */
        public Builder spf(SpfResult result, String identity) {
            Resinfo r = new Resinfo("spf", result.kind().keyword());
            r.reason = result.problem();
            String value = identity != null ? identity : result.domain();
            if (value != null) r.property("smtp", "helo".equalsIgnoreCase(result.identity()) ? "helo" : "mailfrom", value);
            results.add(r);
            return this;
        }

        /** One DKIM result (call once per signature): {@code header.d}, {@code i}, {@code s}, {@code a}, {@code b}; a reason unless it passed. */
        public Builder dkim(DkimResult result) {
            Resinfo r = new Resinfo("dkim", result.kind().keyword());
            r.reason = result.kind() == DkimResult.Kind.PASS ? null : result.reason();
            r.property("header", "d", result.domain());
            r.property("header", "i", result.identity());
            r.property("header", "s", result.selector());
            r.property("header", "a", result.algorithm());
            r.property("header", "b", result.signaturePrefix());
            results.add(r);
            return this;
        }

        /** Every DKIM result, in order. */
        public Builder dkim(List<DkimResult> dkimResults) {
            dkimResults.forEach(this::dkim);
            return this;
        }

        /**
         * The DMARC result: {@code header.from}, and for pass and fail a comment with the
         * policy the domain requested ({@code p}, {@code sp} when the record has one) and the
         * disposition after {@code pct} sampling ({@code dis}), as OpenDMARC writes it. Errors
         * carry their reason.
         */
        public Builder dmarc(DmarcResult result) {
            Resinfo r = new Resinfo("dmarc", result.keyword());
            DmarcResult.AppliedPolicy policy = switch (result) {
                case DmarcResult.Pass pass -> pass.policy();
                case DmarcResult.Fail fail -> fail.policy();
                case DmarcResult.None none -> null;
                case DmarcResult.TempError error -> {
                    r.reason = error.reason();
                    yield null;
                }
                case DmarcResult.PermError error -> {
                    r.reason = error.reason();
                    yield null;
                }
            };
            if (policy != null) {
                StringBuilder comment = new StringBuilder("p=").append(policy.record().policy().keyword());
                if (policy.record().subdomainPolicy() != null) comment.append(" sp=").append(policy.record().subdomainPolicy().keyword());
                comment.append(" dis=").append(policy.disposition().keyword());
                r.comment = comment.toString();
            }
            r.property("header", "from", result.fromDomain());
            results.add(r);
            return this;
        }

        /** The ARC chain's result (RFC 8617 section 4.4), with the reason for a failure. */
        public Builder arc(ArcResult result) {
            Resinfo r = new Resinfo("arc", result.kind().keyword());
            r.reason = result.reason();
            results.add(r);
            return this;
        }

        /**
         * Any other method (iprev, auth, ...): {@code method}, {@code result}, {@code ptype} and
         * property names must be keywords (letters, digits, hyphens); values are quoted as needed.
         *
         * @param reason     a reason, or null
         * @param properties the properties; null values are skipped
         */
        public Builder result(String method, String result, String reason, List<Property> properties) {
            Resinfo r = new Resinfo(keyword(method), keyword(result));
            r.reason = reason;
            for (Property p : properties) r.property(keyword(p.type()), keyword(p.name()), p.value());
            results.add(r);
            return this;
        }

        /** The field, folded, ending in CRLF. */
        public MailMessage.HeaderField build() {
            return MailMessage.HeaderField.of(FIELD_NAME, value());
        }

        /** The field body after {@code "Authentication-Results: "}, folded, without the final CRLF. */
        public String value() {
            String id = asValue(authservId);
            if (results.isEmpty()) return id + "; none";
            StringBuilder out = new StringBuilder(id).append(';');
            for (int i = 0; i < results.size(); i++) {
                boolean last = i == results.size() - 1;
                List<String> words = results.get(i).words();
                StringBuilder line = new StringBuilder(words.get(0));
                for (int w = 1; w < words.size(); w++) {
                    String word = words.get(w);
                    int tail = (w == words.size() - 1 && !last) ? 1 : 0; // the ';' that will end the line
                    // +1 for the folding tab, +1 for the space before the word
                    if (1 + line.length() + 1 + word.length() + tail > LINE_LIMIT) {
                        out.append(FOLD).append(line);
                        line = new StringBuilder(word);
                    } else {
                        line.append(' ').append(word);
                    }
                }
                out.append(FOLD).append(line);
                if (!last) out.append(';');
            }
            return out.toString();
        }
    }

    /** One result being built: the words it is written as, each a place where the line may fold. */
    private static final class Resinfo {
        final String method;
        final String result;
        String reason;
        String comment;
        final List<String> properties = new ArrayList<>();

        Resinfo(String method, String result) {
            this.method = method;
            this.result = result;
        }

        void property(String type, String name, String value) {
            if (value != null) properties.add(type + "." + name + "=" + asValue(value));
        }

        List<String> words() {
            List<String> words = new ArrayList<>();
            words.add(method + "=" + result);
            if (reason != null) words.add("reason=" + asValue(reason));
            if (comment != null) words.add(asComment(comment));
            words.addAll(properties);
            return words;
        }
    }

    private static String keyword(String word) {
        if (word == null || !KEYWORD.matcher(word).matches()) throw new IllegalArgumentException("not a keyword: " + word);
        return word.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} as an RFC 8601 value: as is when it is a token or an address or domain name,
     * else a quoted string. Control characters (CR and LF above all) become spaces first.
     */
    static String asValue(String text) {
        String clean = withoutControls(text);
        if (isToken(clean) || ADDRESS_OR_DOMAIN.matcher(clean).matches()) return clean;
        StringBuilder out = new StringBuilder(clean.length() + 2).append('"');
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '"' || c == '\\') out.append('\\');
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** {@code text} as a comment: parentheses and backslashes escaped, control characters made spaces. */
    static String asComment(String text) {
        String clean = withoutControls(text);
        StringBuilder out = new StringBuilder(clean.length() + 2).append('(');
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '(' || c == ')' || c == '\\') out.append('\\');
            out.append(c);
        }
        return out.append(')').toString();
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) return false;
        }
        return true;
    }

    private static String withoutControls(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c < ' ' || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085' ? ' ' : c);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Removing forged fields

    /**
     * {@code message} without every Authentication-Results field whose authserv-id is {@code
     * authservId} (ignoring case; comments and white space before it and a version after it do not
     * matter, and any version is removed: we never write another). Fields of other services are
     * kept, and so is every other byte of the message. A field whose authserv-id cannot be read
     * does not claim to be ours and stays.
     */
    public static MailMessage withoutOurs(MailMessage message, String authservId) {
        return message.without(field -> field.is(FIELD_NAME) && authservId.equalsIgnoreCase(authservIdOf(field.value())));
    }

    /** The authserv-id of a field body, or null when it has none that can be read. */
    public static String authservIdOf(String fieldValue) {
        try {
            Lexer lexer = new Lexer(fieldValue);
            lexer.skipCfws();
            return lexer.value();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /** Parses a field. */
    public static Parsed parse(MailMessage.HeaderField field) {
        if (!field.is(FIELD_NAME)) throw new IllegalArgumentException("not an " + FIELD_NAME + " field: " + field.name());
        return parse(field.value());
    }

    /**
     * Parses a field body (the text after the colon; folding may remain).
     *
     * @throws IllegalArgumentException when it does not follow RFC 8601 section 2.2, saying where
     */
    public static Parsed parse(String fieldValue) {
        Lexer in = new Lexer(fieldValue);
        in.skipCfws();
        String id = in.value();
        in.skipCfws();
        Integer version = null;
        if (in.peekDigit()) {
            version = Integer.valueOf(in.digits());
            in.skipCfws();
        }
        List<Result> results = new ArrayList<>();
        while (!in.atEnd()) {
            in.expect(';');
            in.skipCfws();
            String method = in.keyword().toLowerCase(Locale.ROOT);
            in.skipCfws();
            if (method.equals("none") && results.isEmpty() && (in.atEnd() || in.peek() == ';')) {
                continue; // no-result: "id; none"
            }
            if (in.peek() == '/') { // a method version, which we note only by skipping
                in.expect('/');
                in.skipCfws();
                in.digits();
                in.skipCfws();
            }
            in.expect('=');
            in.skipCfws();
            String result = in.keyword().toLowerCase(Locale.ROOT);
            String reason = null;
            List<Property> properties = new ArrayList<>();
            in.skipCfws();
            while (!in.atEnd() && in.peek() != ';') {
                String type = in.keyword();
                in.skipCfws();
                // RFC 8601 puts the reason before the properties; some writers put it after them.
                if (type.equalsIgnoreCase("reason") && in.peek() == '=' && reason == null) {
                    in.expect('=');
                    in.skipCfws();
                    reason = in.value();
                } else {
                    in.expect('.');
                    in.skipCfws();
                    String name = in.keyword();
                    in.skipCfws();
                    in.expect('=');
                    in.skipCfws();
                    properties.add(new Property(type.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), in.propertyValue()));
                }
                in.skipCfws();
            }
            results.add(new Result(method, result, reason, properties));
        }
        return new Parsed(id, version, results);
    }

    /** A cursor over a field body that knows RFC 5322 comments, quoted strings and folding. */
    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        boolean peekDigit() {
            return !atEnd() && Character.isDigit(peek()) && peek() < 0x80;
        }

        /** Skips white space, line breaks (folding) and comments, which nest and may contain quoted pairs. */
        void skipCfws() {
            while (!atEnd()) {
                char c = peek();
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '(') {
                    int depth = 0;
                    do {
                        if (atEnd()) throw error("unclosed comment");
                        char d = s.charAt(pos++);
                        if (d == '\\') {
                            pos++;
                        } else if (d == '(') {
                            depth++;
                        } else if (d == ')') {
                            depth--;
                        }
                    } while (depth > 0);
                } else {
                    return;
                }
            }
        }

        void expect(char c) {
            if (peek() != c || atEnd()) throw error("expected '" + c + "'");
            pos++;
        }

        String keyword() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) && peek() < 0x80 || peek() == '-' || peek() == '_')) pos++;
            if (pos == start) throw error("expected a keyword");
            return s.substring(start, pos);
        }

        String digits() {
            int start = pos;
            while (peekDigit()) pos++;
            if (pos == start) throw error("expected digits");
            return s.substring(start, pos);
        }

        /** A token or a quoted string (unquoted and unescaped). */
        String value() {
            if (peek() == '"') return quoted();
            int start = pos;
            while (!atEnd() && peek() > ' ' && peek() != 0x7f && TSPECIALS.indexOf(peek()) < 0) pos++;
            if (pos == start) throw error("expected a value");
            return s.substring(start, pos);
        }

        /**
         * A property value: a quoted string, or everything up to white space, a comment or ';'.
         * Broader than RFC 8601's pvalue on purpose, because real fields carry unquoted values
         * such as IPv6 addresses ({@code smtp.remote-ip=2001:db8::1}).
         */
        String propertyValue() {
            if (peek() == '"') return quoted();
            int start = pos;
            while (!atEnd() && peek() > ' ' && peek() != ';' && peek() != '(' && peek() != '"') pos++;
            return s.substring(start, pos);
        }

        private String quoted() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) throw error("unclosed quoted string");
                char c = s.charAt(pos++);
                if (c == '"') return out.toString();
                if (c == '\\') {
                    if (atEnd()) throw error("unclosed quoted string");
                    out.append(s.charAt(pos++));
                } else if (c != '\r' && c != '\n') { // folding inside a quoted string: the CRLF goes, the blank stays
                    out.append(c);
                }
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + pos + " of \"" + s + "\"");
        }
    }
}
