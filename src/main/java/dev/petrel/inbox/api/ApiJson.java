package dev.petrel.inbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.inbox.AttachmentInfo;
import dev.petrel.inbox.AuthenticationFacts;
import dev.petrel.inbox.HeaderField;
import dev.petrel.inbox.InboxCount;
import dev.petrel.inbox.InboxMessage;
import dev.petrel.inbox.MailboxAddress;
import dev.petrel.inbox.MessagePage;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.ParsedMessage;
import dev.petrel.inbox.SessionFacts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON the API answers with. Field names and shapes follow Mailpit's {@code /api/v1} (so its
 * clients read Petrel's answers); fields Mailpit does not have are Petrel's additions and say so in
 * docs/inbox-api.md and the OpenAPI document.
 */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern ANGLE_LINK = Pattern.compile("<([^>]*)>");

    private ApiJson() {
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON of in-memory nodes cannot fail", e);
        }
    }

    /** Mailpit's MessagesSummary. */
    static ObjectNode page(MessagePage page) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("total", page.total());
        node.put("unread", page.unread());
        node.put("count", page.messages().size());
        node.put("messages_count", page.matching());
        node.put("messages_unread", page.matchingUnread());
        node.put("start", page.start());
        ArrayNode tags = node.putArray("tags");
        page.tags().forEach(tags::add);
        ArrayNode messages = node.putArray("messages");
        page.messages().forEach(m -> messages.add(summary(m)));
        return node;
    }

    /** Petrel's own: {"inboxes": [{"Name", "Total", "Unread"}, ...]}, sorted by name. */
    static ObjectNode inboxes(List<InboxCount> inboxes) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode list = node.putArray("inboxes");
        for (InboxCount i : inboxes) {
            list.addObject().put("Name", i.name()).put("Total", i.total()).put("Unread", i.unread());
        }
        return node;
    }

    /** Mailpit's MessageSummary, plus Inbox. */
    static ObjectNode summary(MessageSummary m) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("ID", m.id());
        node.put("MessageID", m.messageId());
        node.put("Read", m.read());
        putAddress(node, "From", m.from());
        node.set("To", addresses(m.to()));
        node.set("Cc", addresses(m.cc()));
        node.set("Bcc", addresses(m.bcc()));
        node.set("ReplyTo", addresses(m.replyTo()));
        node.put("Subject", m.subject());
        node.put("Created", time(m.created()));
        node.put("Username", m.username());
        ArrayNode tags = node.putArray("Tags");
        m.tags().forEach(tags::add);
        node.put("Size", m.size());
        node.put("Attachments", m.attachments());
        node.put("Snippet", m.snippet());
        node.put("Inbox", m.inbox());
        return node;
    }

    /** Mailpit's Message, plus Inbox, Read, Created, Headers, Envelope and Authentication. */
    static ObjectNode message(InboxMessage message) {
        MessageSummary s = message.summary();
        ParsedMessage p = message.parsed();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("ID", s.id());
        node.put("MessageID", s.messageId());
        putAddress(node, "From", s.from());
        node.set("To", addresses(s.to()));
        node.set("Cc", addresses(s.cc()));
        node.set("Bcc", addresses(s.bcc()));
        node.set("ReplyTo", addresses(s.replyTo()));
        node.put("ReturnPath", p.returnPath());
        node.put("Subject", s.subject());
        node.set("ListUnsubscribe", listUnsubscribe(p.headers()));
        // As Mailpit: the Date header in the sender's offset, else the received time.
        node.put("Date", p.date() == null ? time(s.created()) : java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(p.date()));
        ArrayNode tags = node.putArray("Tags");
        s.tags().forEach(tags::add);
        node.put("Username", s.username());
        node.put("Text", p.text());
        node.put("HTML", p.html());
        node.put("Size", s.size());
        node.set("Inline", attachments(p.inline()));
        node.set("Attachments", attachments(p.attachments()));
        node.put("Inbox", s.inbox());
        node.put("Read", s.read());
        node.put("Created", time(s.created()));
        node.set("Headers", headers(p.headers()));
        node.set("Envelope", envelope(message.facts()));
        node.set("Authentication", authentication(message.facts().authentication()));
        return node;
    }

    /** Mailpit's headers answer: canonical field name to its values in order, names sorted. */
    static ObjectNode headers(List<HeaderField> fields) {
        Map<String, List<String>> byName = new TreeMap<>();
        for (HeaderField f : fields) byName.computeIfAbsent(canonical(f.name()), k -> new ArrayList<>()).add(f.value());
        ObjectNode node = MAPPER.createObjectNode();
        byName.forEach((name, values) -> {
            ArrayNode array = node.putArray(name);
            values.forEach(array::add);
        });
        return node;
    }

    /** The spelling Go's net/textproto (and so Mailpit) uses: {@code message-id} becomes {@code Message-Id}. */
    static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    private static ObjectNode envelope(SessionFacts f) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("MailFrom", f.mailFrom());
        ArrayNode rcpt = node.putArray("RcptTo");
        f.rcptTo().forEach(rcpt::add);
        node.put("AuthUser", f.authUser());
        node.put("ClientIP", f.clientIp());
        node.put("Helo", f.helo());
        if (f.usedTls()) {
            ObjectNode tls = node.putObject("TLS");
            tls.put("Protocol", f.tlsProtocol());
            tls.put("Cipher", f.tlsCipher());
        } else {
            node.putNull("TLS");
        }
        node.put("Listener", f.listener());
        node.put("Received", time(f.receivedAt()));
        return node;
    }

    private static ObjectNode authentication(AuthenticationFacts a) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Results", a.resultsHeader());
        ArrayNode dkim = node.putArray("DKIM");
        a.dkim().forEach(dkim::add);
        node.put("SPF", a.spf());
        node.put("DMARC", a.dmarc());
        return node;
    }

    private static ObjectNode listUnsubscribe(List<HeaderField> headers) {
        String header = "";
        String post = "";
        for (HeaderField h : headers) {
            if (h.name().equalsIgnoreCase("List-Unsubscribe") && header.isEmpty()) header = h.value();
            if (h.name().equalsIgnoreCase("List-Unsubscribe-Post") && post.isEmpty()) post = h.value();
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Header", header);
        ArrayNode links = node.putArray("Links");
        Matcher m = ANGLE_LINK.matcher(header);
        while (m.find()) {
            String link = m.group(1).strip();
            String lower = link.toLowerCase(Locale.ROOT);
            if (lower.startsWith("mailto:") || lower.startsWith("http://") || lower.startsWith("https://")) links.add(link);
        }
        node.put("Errors", header.isEmpty() || !links.isEmpty() ? "" : "no mailto: or http(s): link in angle brackets");
        node.put("HeaderPost", post);
        return node;
    }

    private static ArrayNode attachments(List<AttachmentInfo> list) {
        ArrayNode array = MAPPER.createArrayNode();
        for (AttachmentInfo a : list) {
            ObjectNode node = array.addObject();
            node.put("PartID", a.partId());
            node.put("FileName", a.fileName());
            node.put("ContentType", a.contentType());
            node.put("ContentID", a.contentId());
            node.put("Size", a.size());
            if (a.checksums() != null) {
                ObjectNode checksums = node.putObject("Checksums");
                checksums.put("MD5", a.checksums().md5());
                checksums.put("SHA1", a.checksums().sha1());
                checksums.put("SHA256", a.checksums().sha256());
            }
        }
        return array;
    }

    private static void putAddress(ObjectNode node, String field, MailboxAddress address) {
        if (address == null) node.putNull(field);
        else node.set(field, address(address));
    }

    private static ObjectNode address(MailboxAddress a) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("Name", a.name());
        node.put("Address", a.address());
        return node;
    }

    private static ArrayNode addresses(List<MailboxAddress> list) {
        ArrayNode array = MAPPER.createArrayNode();
        list.forEach(a -> array.add(address(a)));
        return array;
    }

    private static String time(Instant instant) {
        return instant.toString();
    }
}
