package dev.petrel.junit;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One captured message as the inbox API describes it ({@code GET /api/v1/message/{ID}}), with fluent
 * assertions: each returns this message when it holds and throws an {@link AssertionError} saying what
 * was expected and what the message has when it does not. Immutable apart from the raw bytes, which
 * are fetched on first use.
 *
 * <pre>
 * inbox.await(to("bob@example.com")).hasSubject("Welcome").hasTextContaining("code").usedTls();
 * </pre>
 */
public final class CapturedMail {
    private static final Pattern DKIM_DOMAIN = Pattern.compile("(?:^|[\\s(])d=([^\\s);]+)");
    private static final Pattern HEADER_D = Pattern.compile("(?:^|\\s)header\\.d=\"?([^\\s\";]+)\"?");

    private final InboxClient client;
    private final JsonNode json;
    private final String inboxTag; // the test's plus tag, so envelopeTo("bob@x") accepts bob+tag@x; null: none
    private byte[] raw;

    CapturedMail(InboxClient client, JsonNode json, String inboxTag) {
        this.client = client;
        this.json = json;
        this.inboxTag = inboxTag;
    }

    // ---- accessors ----

    /** The inbox's message ID (sortable by arrival). */
    public String id() {
        return json.path("ID").asText();
    }

    /** The decoded Subject, or "" when there is none. */
    public String subject() {
        return json.path("Subject").asText("");
    }

    /** The text body (the text/plain part), or "" when there is none. */
    public String text() {
        return json.path("Text").asText("");
    }

    /** The HTML body, or "" when there is none. */
    public String html() {
        return json.path("HTML").asText("");
    }

    /** The message as received, decoded as UTF-8 (8-bit content in other charsets may not survive: use {@link #rawBytes}). */
    public String raw() {
        return new String(rawBytes(), StandardCharsets.UTF_8);
    }

    /** The message as received, byte for byte. */
    public synchronized byte[] rawBytes() {
        if (raw == null) raw = client.raw(id());
        return raw.clone();
    }

    /** Every value of header field {@code name} (case-insensitive), unfolded, in message order. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        json.path("Headers").properties().forEach(e -> {
            if (e.getKey().equalsIgnoreCase(name)) e.getValue().forEach(v -> out.add(v.asText()));
        });
        return out;
    }

    /** The whole message JSON as the API gives it, for anything the methods here do not cover. */
    public JsonNode json() {
        return json.deepCopy();
    }

    // ---- assertions ----

    /** The decoded Subject is exactly {@code expected}. */
    public CapturedMail hasSubject(String expected) {
        if (!subject().equals(expected)) fail("to have subject \"" + expected + "\", but its subject is \"" + subject() + "\"");
        return this;
    }

    /** The text body contains {@code expected} (case-sensitive). */
    public CapturedMail hasTextContaining(String expected) {
        if (!text().contains(expected)) {
            fail("to have a text body containing \"" + expected + "\", but " + (text().isEmpty() ? "it has no text body"
                    : "its text body is:\n" + excerpt(text())));
        }
        return this;
    }

    /** The HTML body contains {@code expected} (case-sensitive, in the markup as sent). */
    public CapturedMail hasHtmlContaining(String expected) {
        if (!html().contains(expected)) {
            fail("to have an HTML body containing \"" + expected + "\", but " + (html().isEmpty() ? "it has no HTML body"
                    : "its HTML body is:\n" + excerpt(html())));
        }
        return this;
    }

    /** An attachment with exactly this file name. */
    public CapturedMail hasAttachment(String fileName) {
        List<String> names = new ArrayList<>();
        json.path("Attachments").forEach(a -> names.add(a.path("FileName").asText()));
        if (!names.contains(fileName)) {
            fail("to have an attachment named \"" + fileName + "\", but " + (names.isEmpty() ? "it has no attachments"
                    : "its attachments are " + quoted(names)));
        }
        return this;
    }

    /** The envelope sender (MAIL FROM) is this address (the domain compared without regard to case). */
    public CapturedMail envelopeFrom(String address) {
        String actual = envelope().path("MailFrom").asText("");
        if (!sameAddress(address, actual)) {
            fail("to have envelope sender (MAIL FROM) <" + address + ">, but it was <" + actual + ">");
        }
        return this;
    }

    /**
     * Every given address is an envelope recipient (RCPT TO) of this copy. An address without a plus tag
     * also matches its form with this test's tag ({@code bob@example.com} matches
     * {@code bob+<tag>@example.com}, as {@link PetrelInbox#address} makes it).
     */
    public CapturedMail envelopeTo(String... addresses) {
        List<String> rcpts = new ArrayList<>();
        envelope().path("RcptTo").forEach(r -> rcpts.add(r.asText()));
        for (String wanted : addresses) {
            boolean found = rcpts.stream().anyMatch(r -> sameAddress(wanted, r) || sameAddress(tagged(wanted), r));
            if (!found) fail("to have envelope recipient (RCPT TO) <" + wanted + ">, but its recipients are " + bracketed(rcpts));
        }
        return this;
    }

    /** It was sent with SMTP AUTH as exactly this user. */
    public CapturedMail authenticatedAs(String user) {
        JsonNode authUser = envelope().path("AuthUser");
        if (authUser.isNull() || authUser.isMissingNode() || authUser.asText().isEmpty()) {
            fail("to be sent with SMTP AUTH as \"" + user + "\", but it was sent without authentication");
        } else if (!authUser.asText().equals(user)) {
            fail("to be sent with SMTP AUTH as \"" + user + "\", but the authenticated user was \"" + authUser.asText() + "\"");
        }
        return this;
    }

    /** It reached Petrel over TLS (STARTTLS or implicit TLS). */
    public CapturedMail usedTls() {
        JsonNode tls = envelope().path("TLS");
        if (!tls.isObject() || tls.path("Protocol").asText("").isEmpty()) {
            fail("to have been received over TLS, but it came in plaintext on listener '" + envelope().path("Listener").asText("?")
                    + "' from " + envelope().path("ClientIP").asText("?"));
        }
        return this;
    }

    /**
     * A DKIM signature of {@code domain} verified: a DKIM result starting with {@code pass} for
     * {@code d=domain} (Petrel verifies the signatures of mail it signs when capturing), or
     * {@code dkim=pass header.d=domain} in Petrel's Authentication-Results (mail from outside).
     */
    public CapturedMail wasSignedBy(String domain) {
        JsonNode auth = json.path("Authentication");
        List<String> dkim = new ArrayList<>();
        auth.path("DKIM").forEach(d -> dkim.add(d.asText()));
        for (String result : dkim) {
            if (result.toLowerCase(Locale.ROOT).startsWith("pass") && hasDomain(DKIM_DOMAIN.matcher(result), domain)) return this;
        }
        String results = auth.path("Results").isTextual() ? auth.path("Results").asText() : "";
        for (String resinfo : results.split(";")) {
            String r = resinfo.strip();
            if (r.toLowerCase(Locale.ROOT).startsWith("dkim=pass") && hasDomain(HEADER_D.matcher(r), domain)) return this;
        }
        fail("to carry a DKIM signature of " + domain + " that verifies, but its DKIM results are "
                + (dkim.isEmpty() ? "none" : quoted(dkim)) + " and its Authentication-Results is "
                + (results.isEmpty() ? "absent" : "\"" + results + "\""));
        return this;
    }

    /** A short description: ID, subject, recipients. */
    @Override
    public String toString() {
        return "message " + id() + " (subject \"" + subject() + "\", to " + addresses(json.path("To")) + ")";
    }

    // ---- helpers ----

    private JsonNode envelope() {
        return json.path("Envelope");
    }

    private void fail(String expectation) {
        throw new AssertionError("Expected " + this + " " + expectation);
    }

    private String tagged(String address) {
        int at = address.lastIndexOf('@');
        if (inboxTag == null || at <= 0 || address.substring(0, at).contains("+")) return address;
        return address.substring(0, at) + "+" + inboxTag + address.substring(at);
    }

    private static boolean hasDomain(Matcher m, String domain) {
        String wanted = stripDot(domain);
        while (m.find()) {
            if (stripDot(m.group(1)).equalsIgnoreCase(wanted)) return true;
        }
        return false;
    }

    private static String stripDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }

    /** Local parts compared exactly (RFC 5321 leaves them to the receiver), domains without case. */
    static boolean sameAddress(String a, String b) {
        int ai = a.lastIndexOf('@');
        int bi = b.lastIndexOf('@');
        if (ai < 0 || bi < 0) return a.equals(b);
        return a.substring(0, ai).equals(b.substring(0, bi)) && a.substring(ai).equalsIgnoreCase(b.substring(bi));
    }

    static String addresses(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(a -> out.add(a.path("Address").asText()));
        return out.isEmpty() ? "(nobody)" : String.join(", ", out);
    }

    private static String quoted(List<String> items) {
        return items.stream().map(s -> "\"" + s + "\"").toList().toString();
    }

    private static String bracketed(List<String> items) {
        return items.stream().map(s -> "<" + s + ">").toList().toString();
    }

    private static String excerpt(String body) {
        String b = body.length() > 500 ? body.substring(0, 500) + "…" : body;
        return "  | " + b.strip().replace("\r\n", "\n").replace("\n", "\n  | ");
    }
}
