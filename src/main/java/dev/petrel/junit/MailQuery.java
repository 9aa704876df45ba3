package dev.petrel.junit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which message to wait for: conditions that must all hold, built fluently
 * ({@code to("bob@example.com").subject("Welcome")}) from {@link MailQueries}. Immutable; each method
 * returns a new query.
 *
 * <p>Matching follows the inbox's search language: case-insensitive, and "contains" for text. One
 * refinement: {@link #to} with a whole address matches that exact address (not {@code alice.bob@...}),
 * also when it carries a plus tag ({@code bob+tag@example.com} for {@code to("bob@example.com")}), which
 * is how {@link PetrelInbox#address} isolates tests. The server narrows the candidates and this class
 * checks the exact address on each one.
 */
public final class MailQuery {
    static final MailQuery ANY = new MailQuery(List.of(), List.of(), List.of());

    private final List<String> terms;       // rendered in the search language
    private final List<String> recipients;  // whole addresses to() asked for, lower case
    private final List<String> described;   // how the user wrote it, for messages

    private MailQuery(List<String> terms, List<String> recipients, List<String> described) {
        this.terms = List.copyOf(terms);
        this.recipients = List.copyOf(recipients);
        this.described = List.copyOf(described);
    }

    /**
     * A To header address. A whole address ({@code bob@example.com}) matches exactly, ignoring case and
     * a plus tag the query does not name; anything else ({@code @example.com}, {@code Bob}) matches as
     * contained text in the To header's names and addresses.
     */
    public MailQuery to(String address) {
        String a = required("to", address).strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) {
            return with(List.of(QueryText.term("to", a)), null, "to(\"" + a + "\")");
        }
        String local = a.substring(0, at);
        String domain = a.substring(at);
        return with(List.of(QueryText.term("to", local), QueryText.term("to", domain)), a.toLowerCase(Locale.ROOT),
                "to(\"" + a + "\")");
    }

    /** The From header's name or address contains this text (a whole address, a domain, a name). */
    public MailQuery from(String address) {
        String a = required("from", address).strip();
        return with(List.of(QueryText.term("from", a)), null, "from(\"" + a + "\")");
    }

    /** The decoded Subject contains this text (ignoring case). */
    public MailQuery subject(String text) {
        String t = required("subject", text);
        return with(List.of(QueryText.term("subject", t)), null, "subject(\"" + t + "\")");
    }

    /** A header field {@code name} whose value (or its decoded form) contains {@code value}. */
    public MailQuery header(String name, String value) {
        String n = required("header name", name).strip();
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 33 || c > 126 || c == ':' || c == '=') {
                throw new IllegalArgumentException("'" + n + "' is not a header field name (printable ASCII without ':' or '=')");
            }
        }
        String v = required("header value", value).strip();
        return with(List.of(QueryText.term("header", n + "=" + v)), null, "header(\"" + n + "\", \"" + v + "\")");
    }

    /** At least one attachment. */
    public MailQuery hasAttachment() {
        return with(List.of("has:attachment"), null, "hasAttachment()");
    }

    /** The query in the inbox's search language, e.g. {@code to:"bob" to:"@example.com" subject:"Welcome"}. */
    String render() {
        return String.join(" ", terms);
    }

    /** Whether a candidate the server found (a message summary) also passes the exact-address checks. */
    boolean accepts(JsonNode summary) {
        for (String wanted : recipients) {
            boolean found = false;
            for (JsonNode to : summary.path("To")) {
                if (sameAddressIgnoringTag(wanted, to.path("Address").asText(""))) found = true;
            }
            if (!found) return false;
        }
        return true;
    }

    /** {@code bob@example.com} is {@code BOB@Example.com} and {@code bob+x@example.com}, not {@code jbob@example.com}. */
    static boolean sameAddressIgnoringTag(String wanted, String actual) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String a = actual.toLowerCase(Locale.ROOT);
        if (w.equals(a)) return true;
        int wAt = w.lastIndexOf('@');
        int aAt = a.lastIndexOf('@');
        if (wAt < 0 || aAt < 0 || !w.substring(wAt).equals(a.substring(aAt))) return false;
        String wLocal = w.substring(0, wAt);
        String aLocal = a.substring(0, aAt);
        return !wLocal.contains("+") && aLocal.startsWith(wLocal + "+");
    }

    private MailQuery with(List<String> moreTerms, String recipient, String description) {
        List<String> t = new ArrayList<>(terms);
        t.addAll(moreTerms);
        List<String> r = new ArrayList<>(recipients);
        if (recipient != null) r.add(recipient);
        List<String> d = new ArrayList<>(described);
        d.add(description);
        return new MailQuery(t, r, d);
    }

    private static String required(String what, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
        return value;
    }

    /** As written, e.g. {@code to("bob@example.com").subject("Welcome")}; {@code any message} when empty. */
    @Override
    public String toString() {
        return described.isEmpty() ? "any message" : String.join(".", described);
    }
}
