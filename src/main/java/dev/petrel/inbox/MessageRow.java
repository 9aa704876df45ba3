package dev.petrel.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The column values of one message, computed from its MIME and facts before it reaches the writer
 * (so parsing runs on the capturing threads, in parallel, and the single writer only inserts), and
 * the JSON codecs of the {@code summary_json} and {@code facts_json} columns.
 */
final class MessageRow {
    static final int SNIPPET_LENGTH = 250;
    /** Free-text search reads at most this much body text per message. */
    private static final int MAX_SEARCH_TEXT = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TAGS_SPLIT = Pattern.compile("[,;]");
    private static final Pattern SCRIPT_OR_STYLE = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    final String inbox;
    final byte[] raw;
    final long received;
    final int attachments;
    final int inlineCount;
    final String messageId;
    final String subject;
    final String summaryJson;
    final String factsJson;
    final List<String> tags;
    final String tagsJson;
    final String tagsLc;
    final String fromLc;
    final String toLc;
    final String ccLc;
    final String bccLc;
    final String replyToLc;
    final String subjectLc;
    final String msgIdLc;
    final String rcptLc;
    final String mailFromLc;
    final String headersLc;
    final String textLc;
    final MailboxAddress from;
    final List<MailboxAddress> to;
    final List<MailboxAddress> cc;
    final List<MailboxAddress> bcc;
    final List<MailboxAddress> replyTo;
    final String username;
    final String snippet;

    MessageRow(CapturedMessage message) {
        ParsedMessage parsed = MimeReader.parse(message.raw());
        SessionFacts facts = message.facts();
        inbox = message.inbox();
        raw = message.raw();
        received = facts.receivedAt().toEpochMilli();
        attachments = parsed.attachments().size();
        inlineCount = parsed.inline().size();
        messageId = parsed.messageId();
        subject = parsed.subject();
        from = parsed.from();
        to = parsed.to();
        cc = parsed.cc();
        bcc = completeBcc(parsed, facts);
        replyTo = parsed.replyTo();
        username = facts.authUser() == null ? "" : facts.authUser();
        String bodyText = parsed.text().isEmpty() ? htmlToText(parsed.html()) : parsed.text();
        snippet = snippet(bodyText);
        tags = Tags.clean(tags(message.tags(), parsed));
        tagsJson = Tags.json(tags);
        tagsLc = Tags.searchColumn(tags);
        fromLc = from == null ? "" : addressText(List.of(from));
        toLc = addressText(to);
        ccLc = addressText(cc);
        bccLc = addressText(bcc);
        replyToLc = addressText(replyTo);
        subjectLc = lower(subject);
        msgIdLc = lower(messageId);
        rcptLc = lower(String.join("\n", facts.rcptTo()));
        mailFromLc = lower(facts.mailFrom());
        headersLc = headerLines(parsed.headers());
        textLc = freeText(parsed, bodyText);
        summaryJson = writeJson(summaryNode(from, to, cc, bcc, replyTo, username, snippet));
        factsJson = writeJson(factsNode(facts));
    }

    /** The summary of this row once stored under {@code id}. */
    MessageSummary summary(String id) {
        return new MessageSummary(id, inbox, messageId, false, from, to, cc, bcc, replyTo, subject, Instant.ofEpochMilli(received),
                username, tags, raw.length, attachments, snippet);
    }

    private static List<MailboxAddress> completeBcc(ParsedMessage parsed, SessionFacts facts) {
        Set<String> named = new LinkedHashSet<>();
        for (List<MailboxAddress> list : List.of(parsed.to(), parsed.cc(), parsed.bcc())) {
            for (MailboxAddress a : list) named.add(lower(a.address()));
        }
        List<MailboxAddress> bcc = new ArrayList<>(parsed.bcc());
        for (String rcpt : facts.rcptTo()) {
            if (named.add(lower(rcpt))) bcc.add(new MailboxAddress("", rcpt));
        }
        return bcc;
    }

    /** Tags given by the caller plus those of an X-Tags header (as Mailpit reads it), without duplicates. */
    private static List<String> tags(List<String> given, ParsedMessage parsed) {
        Set<String> tags = new LinkedHashSet<>(given);
        for (HeaderField field : parsed.headers()) {
            if (!field.name().equalsIgnoreCase("X-Tags")) continue;
            for (String tag : TAGS_SPLIT.split(field.value())) {
                if (!tag.isBlank()) tags.add(tag.strip());
            }
        }
        return List.copyOf(tags);
    }

    static String htmlToText(String html) {
        if (html.isEmpty()) return "";
        String text = TAG.matcher(SCRIPT_OR_STYLE.matcher(html).replaceAll(" ")).replaceAll(" ");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return SPACES.matcher(text).replaceAll(" ").strip();
    }

    /**
     * The first characters of the body with white space collapsed. Reads only as far as it needs:
     * collapsing the whole body with a regex first cost more CPU than the rest of storing a message.
     */
    private static String snippet(String text) {
        StringBuilder out = new StringBuilder(SNIPPET_LENGTH);
        boolean pendingSpace = false;
        for (int i = 0; i < text.length() && out.length() < SNIPPET_LENGTH; i++) {
            char ch = text.charAt(i);
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == 0x0B) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
                if (out.length() == SNIPPET_LENGTH) break;
            }
            out.append(ch);
        }
        int end = out.length();
        if (end == SNIPPET_LENGTH && Character.isHighSurrogate(out.charAt(end - 1))) end--;
        return out.substring(0, end);
    }

    private static String addressText(List<MailboxAddress> addresses) {
        StringBuilder sb = new StringBuilder();
        for (MailboxAddress a : addresses) {
            if (!sb.isEmpty()) sb.append('\n');
            if (!a.name().isEmpty()) sb.append(a.name()).append(' ');
            sb.append('<').append(a.address()).append('>');
        }
        return lower(sb.toString());
    }

    private static String headerLines(List<HeaderField> headers) {
        StringBuilder sb = new StringBuilder();
        for (HeaderField h : headers) {
            String value = h.value();
            if (value.contains("=?")) {
                value = value + " " + org.apache.james.mime4j.codec.DecoderUtil.decodeEncodedWords(value,
                        org.apache.james.mime4j.codec.DecodeMonitor.SILENT);
            }
            sb.append(lower(h.name())).append('\t').append(lower(value).replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }

    private String freeText(ParsedMessage parsed, String bodyText) {
        StringBuilder sb = new StringBuilder();
        sb.append(subject).append('\n').append(fromLc).append('\n').append(toLc).append('\n').append(ccLc).append('\n')
                .append(bccLc).append('\n').append(replyToLc).append('\n').append(messageId).append('\n');
        for (AttachmentInfo a : parsed.attachments()) sb.append(a.fileName()).append('\n');
        for (AttachmentInfo a : parsed.inline()) sb.append(a.fileName()).append('\n');
        sb.append(bodyText, 0, Math.min(bodyText.length(), MAX_SEARCH_TEXT));
        return lower(sb.toString());
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    // ---- JSON columns ----

    private static ObjectNode summaryNode(MailboxAddress from, List<MailboxAddress> to, List<MailboxAddress> cc,
                                          List<MailboxAddress> bcc, List<MailboxAddress> replyTo, String username, String snippet) {
        ObjectNode node = JSON.createObjectNode();
        if (from == null) node.putNull("From");
        else node.set("From", addressNode(from));
        node.set("To", addressArray(to));
        node.set("Cc", addressArray(cc));
        node.set("Bcc", addressArray(bcc));
        node.set("ReplyTo", addressArray(replyTo));
        node.put("Username", username);
        node.put("Snippet", snippet);
        return node;
    }

    /** The parts of a summary that live in {@code summary_json}. */
    record SummaryParts(MailboxAddress from, List<MailboxAddress> to, List<MailboxAddress> cc, List<MailboxAddress> bcc,
                        List<MailboxAddress> replyTo, String username, String snippet) {
    }

    static SummaryParts readSummary(String json) {
        JsonNode node = readJson(json);
        JsonNode from = node.path("From");
        return new SummaryParts(from.isObject() ? address(from) : null, addresses(node.path("To")), addresses(node.path("Cc")),
                addresses(node.path("Bcc")), addresses(node.path("ReplyTo")), node.path("Username").asText(""),
                node.path("Snippet").asText(""));
    }

    static List<String> readTags(String json) {
        List<String> tags = new ArrayList<>();
        for (JsonNode t : readJson(json)) tags.add(t.asText());
        return tags;
    }

    private static ObjectNode factsNode(SessionFacts facts) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mailFrom", facts.mailFrom());
        node.set("rcptTo", stringArray(facts.rcptTo()));
        node.put("authUser", facts.authUser());
        node.put("clientIp", facts.clientIp());
        node.put("helo", facts.helo());
        node.put("tlsProtocol", facts.tlsProtocol());
        node.put("tlsCipher", facts.tlsCipher());
        node.put("listener", facts.listener());
        node.put("receivedAt", facts.receivedAt().toEpochMilli());
        AuthenticationFacts auth = facts.authentication();
        node.put("resultsHeader", auth.resultsHeader());
        node.set("dkim", stringArray(auth.dkim()));
        node.put("spf", auth.spf());
        node.put("dmarc", auth.dmarc());
        return node;
    }

    static SessionFacts readFacts(String json) {
        JsonNode n = readJson(json);
        List<String> rcpt = new ArrayList<>();
        for (JsonNode r : n.path("rcptTo")) rcpt.add(r.asText());
        List<String> dkim = new ArrayList<>();
        for (JsonNode d : n.path("dkim")) dkim.add(d.asText());
        AuthenticationFacts auth = new AuthenticationFacts(text(n, "resultsHeader"), dkim, text(n, "spf"), text(n, "dmarc"));
        return new SessionFacts(n.path("mailFrom").asText(""), rcpt, text(n, "authUser"), text(n, "clientIp"), text(n, "helo"),
                text(n, "tlsProtocol"), text(n, "tlsCipher"), text(n, "listener"),
                Instant.ofEpochMilli(n.path("receivedAt").asLong()), auth);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ObjectNode addressNode(MailboxAddress a) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Name", a.name());
        node.put("Address", a.address());
        return node;
    }

    private static ArrayNode addressArray(List<MailboxAddress> list) {
        ArrayNode array = JSON.createArrayNode();
        for (MailboxAddress a : list) array.add(addressNode(a));
        return array;
    }

    private static MailboxAddress address(JsonNode node) {
        return new MailboxAddress(node.path("Name").asText(""), node.path("Address").asText(""));
    }

    private static List<MailboxAddress> addresses(JsonNode array) {
        List<MailboxAddress> list = new ArrayList<>();
        for (JsonNode a : array) list.add(address(a));
        return list;
    }

    private static ArrayNode stringArray(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static String writeJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException("JSON of in-memory values cannot fail", e);
        }
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new InboxStoreException("a stored JSON column is damaged: " + e.getMessage(), e);
        }
    }
}
