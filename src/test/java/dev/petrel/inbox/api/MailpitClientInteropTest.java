package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.petrel.inbox.CapturedMessage;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.Retention;
import dev.petrel.inbox.SessionFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An existing Mailpit client works against Petrel: the unmodified {@code mailpit-api} npm package
 * (pinned in src/test/resources/mailpit-client/package-lock.json) lists, gets, fetches the raw source
 * of and searches messages that Petrel's inbox stored, over real HTTP on 127.0.0.1.
 *
 * <p>The client checks only that the status is 200 and that the body parses; the shapes it promises
 * its callers are its TypeScript interfaces ({@code MailpitMessagesSummaryResponse},
 * {@code MailpitMessageListItem}, {@code MailpitMessageSummaryResponse}, {@code MailpitAttachmentResponse}
 * in mailpit-api 2.1.0), so the tests also check that every field those interfaces declare is
 * present with the declared JSON type.
 *
 * <p>The script runs once (it is slow to start a Node.js process) and records every call's result;
 * each test below asserts on one group of calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailpitClientInteropTest {
    private static final byte[] PDF = "%PDF-1.4\n% Petrel interop test invoice\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final String PDF_NAME = "invoice-2026-07.pdf";

    /** Multipart: text and HTML alternatives (8-bit UTF-8, so raw must come back byte for byte) and a PDF attachment. */
    private static final byte[] INVOICE = crlf("""
            Return-Path: <bounce@example.com>
            From: "Alice Example" <alice@example.com>
            To: Bob <bob@example.org>
            Cc: carol@example.net
            Reply-To: billing@example.com
            Subject: Your invoice 2026-07
            Date: Tue, 14 Jul 2026 10:15:00 +0200
            Message-ID: <invoice-2026-07@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="mixed-b1"

            This is a multi-part message in MIME format.
            --mixed-b1
            Content-Type: multipart/alternative; boundary="alt-b1"

            --alt-b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße, Bob! Your invoice for July is attached.
            --alt-b1
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: 8bit

            <p>Grüße, Bob! Your <b>invoice</b> for July is attached.</p>
            --alt-b1--
            --mixed-b1
            Content-Type: application/pdf; name="%s"
            Content-Disposition: attachment; filename="%s"
            Content-Transfer-Encoding: base64

            %s
            --mixed-b1--
            """.formatted(PDF_NAME, PDF_NAME, Base64.getMimeEncoder().encodeToString(PDF)));

    /** Plain text from another sender, with an RFC 2047 encoded subject. */
    private static final byte[] MEETING = crlf("""
            From: Dave <dave@example.net>
            To: bob@example.org
            Subject: =?UTF-8?Q?Caf=C3=A9_meeting?=
            Date: Tue, 14 Jul 2026 11:00:00 +0000
            Message-ID: <meeting-1@example.net>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            Shall we meet at 10?
            """);

    /** Text and HTML alternatives, no attachment. */
    private static final byte[] RESET = crlf("""
            From: Alice Example <alice@example.com>
            To: Erin <erin@example.com>
            Subject: Password reset
            Date: Tue, 14 Jul 2026 12:00:00 +0000
            Message-ID: <reset-7@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="alt-b3"

            --alt-b3
            Content-Type: text/plain; charset=us-ascii

            Reset your password: https://example.com/r/abc
            --alt-b3
            Content-Type: text/html; charset=us-ascii

            <p><a href="https://example.com/r/abc">Reset your password</a></p>
            --alt-b3--
            """);

    private Path dir;
    private InboxStore store;
    private InboxServer server;
    private String invoiceId;
    private String meetingId;
    private String resetId;
    /** What check.mjs recorded, step name to {"ok": true, "value": ...} or {"ok": false, "error": "..."}. */
    private JsonNode results;

    @BeforeAll
    void runTheMailpitClientAgainstPetrel() throws Exception {
        MailpitClientScript script = MailpitClientScript.install();
        dir = Files.createTempDirectory("petrel-mailpit-interop");
        store = InboxStore.open(dir, Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
        invoiceId = store(INVOICE, "bounce@example.com", "bob@example.org", "carol@example.net").id();
        meetingId = store(MEETING, "dave@example.net", "bob@example.org").id();
        resetId = store(RESET, "alice@example.com", "erin@example.com").id();

        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("id", invoiceId);
        plan.put("searches", List.of(
                search("subject", "subject:\"café meeting\""),
                search("from", "from:alice@example.com"),
                search("fromWithAttachment", "from:alice@example.com has:attachment"),
                search("notFrom", "-from:alice@example.com"),
                search("freeText", "grüße"),
                search("fromPage", "from:alice@example.com", 1, 1),
                search("noMatch", "subject:\"no such subject\"")));
        plan.put("waitQuery", "subject:reset");
        plan.put("readId", meetingId);
        plan.put("deleteId", meetingId);
        plan.put("deleteQuery", "subject:\"password reset\"");
        results = script.run("http://127.0.0.1:" + server.port(), plan);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (store != null) store.close();
        if (dir != null) deleteTree(dir);
    }

    @Test
    void listMessagesReturnsAllNewestFirstWithMailpitsCountsAndFields() {
        JsonNode list = value("list");

        assertThat(list.path("total").asInt()).isEqualTo(3);
        assertThat(list.path("messages_count").asInt()).isEqualTo(3);
        assertThat(list.path("unread").asInt()).isEqualTo(3);
        assertThat(list.path("messages_unread").asInt()).isEqualTo(3);
        assertThat(list.path("start").asInt()).isZero();
        assertThat(ids(list)).containsExactly(resetId, meetingId, invoiceId);
        assertThat(texts(list, "Subject")).containsExactly("Password reset", "Café meeting", "Your invoice 2026-07");
        assertThat(texts(list, "From", "Address")).containsExactly("alice@example.com", "dave@example.net", "alice@example.com");
        assertThat(texts(list, "From", "Name")).containsExactly("Alice Example", "Dave", "Alice Example");
        assertThat(texts(list, "Attachments")).containsExactly("0", "0", "1");
        assertThat(texts(list, "Size")).containsExactly(String.valueOf(RESET.length), String.valueOf(MEETING.length),
                String.valueOf(INVOICE.length));
        JsonNode invoice = list.path("messages").get(2);
        assertThat(invoice.path("To").get(0).path("Address").asText()).isEqualTo("bob@example.org");
        assertThat(invoice.path("Cc").get(0).path("Address").asText()).isEqualTo("carol@example.net");
        assertThat(invoice.path("ReplyTo").get(0).path("Address").asText()).isEqualTo("billing@example.com");
        assertThat(invoice.path("MessageID").asText()).isEqualTo("invoice-2026-07@example.com");
        assertThat(invoice.path("Snippet").asText()).startsWith("Grüße, Bob! Your invoice for July is attached.");

        assertFields(list, Map.of("messages", JsonNodeType.ARRAY, "messages_count", JsonNodeType.NUMBER,
                "messages_unread", JsonNodeType.NUMBER, "start", JsonNodeType.NUMBER, "tags", JsonNodeType.ARRAY,
                "total", JsonNodeType.NUMBER, "unread", JsonNodeType.NUMBER, "count", JsonNodeType.NUMBER));
        for (JsonNode item : list.path("messages")) {
            assertFields(item, Map.ofEntries(
                    Map.entry("Attachments", JsonNodeType.NUMBER), Map.entry("Bcc", JsonNodeType.ARRAY),
                    Map.entry("Cc", JsonNodeType.ARRAY), Map.entry("Created", JsonNodeType.STRING),
                    Map.entry("From", JsonNodeType.OBJECT), Map.entry("ID", JsonNodeType.STRING),
                    Map.entry("MessageID", JsonNodeType.STRING), Map.entry("Read", JsonNodeType.BOOLEAN),
                    Map.entry("ReplyTo", JsonNodeType.ARRAY), Map.entry("Size", JsonNodeType.NUMBER),
                    Map.entry("Snippet", JsonNodeType.STRING), Map.entry("Subject", JsonNodeType.STRING),
                    Map.entry("Tags", JsonNodeType.ARRAY), Map.entry("To", JsonNodeType.ARRAY),
                    Map.entry("Username", JsonNodeType.STRING)));
            assertAddressFields(item.path("From"));
            item.path("To").forEach(MailpitClientInteropTest::assertAddressFields);
            assertThat(Instant.parse(item.path("Created").asText())).isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void listMessagesPagesWithStartAndLimit() {
        JsonNode page = value("listPage");

        assertThat(page.path("start").asInt()).isEqualTo(1);
        assertThat(page.path("messages_count").asInt()).isEqualTo(3);
        assertThat(ids(page)).containsExactly(meetingId);
    }

    @Test
    void getMessageSummaryReturnsAddressesBodiesAndAttachmentsAsTheClientDeclaresThem() throws Exception {
        JsonNode m = value("summary");

        assertThat(m.path("ID").asText()).isEqualTo(invoiceId);
        assertThat(m.path("MessageID").asText()).isEqualTo("invoice-2026-07@example.com");
        assertThat(m.path("Subject").asText()).isEqualTo("Your invoice 2026-07");
        assertThat(m.path("From").path("Name").asText()).isEqualTo("Alice Example");
        assertThat(m.path("From").path("Address").asText()).isEqualTo("alice@example.com");
        assertThat(addresses(m.path("To"))).containsExactly("bob@example.org");
        assertThat(addresses(m.path("Cc"))).containsExactly("carol@example.net");
        assertThat(addresses(m.path("ReplyTo"))).containsExactly("billing@example.com");
        assertThat(m.path("ReturnPath").asText()).isEqualTo("bounce@example.com");
        assertThat(m.path("Text").asText().strip()).isEqualTo("Grüße, Bob! Your invoice for July is attached.");
        assertThat(m.path("HTML").asText().strip()).isEqualTo("<p>Grüße, Bob! Your <b>invoice</b> for July is attached.</p>");
        assertThat(m.path("Size").asLong()).isEqualTo(INVOICE.length);
        assertThat(m.path("Date").asText()).isEqualTo("2026-07-14T10:15:00+02:00");
        assertThat(m.path("Inline")).isEmpty();
        assertThat(m.path("Attachments")).hasSize(1);
        JsonNode pdf = m.path("Attachments").get(0);
        assertThat(pdf.path("FileName").asText()).isEqualTo(PDF_NAME);
        assertThat(pdf.path("ContentType").asText()).isEqualTo("application/pdf");
        assertThat(pdf.path("Size").asLong()).isEqualTo(PDF.length);
        assertThat(pdf.path("Checksums").path("SHA256").asText()).isEqualTo(hex("SHA-256", PDF));
        assertThat(pdf.path("Checksums").path("SHA1").asText()).isEqualTo(hex("SHA-1", PDF));
        assertThat(pdf.path("Checksums").path("MD5").asText()).isEqualTo(hex("MD5", PDF));

        assertFields(m, Map.ofEntries(
                Map.entry("Attachments", JsonNodeType.ARRAY), Map.entry("Bcc", JsonNodeType.ARRAY),
                Map.entry("Cc", JsonNodeType.ARRAY), Map.entry("Date", JsonNodeType.STRING),
                Map.entry("From", JsonNodeType.OBJECT), Map.entry("HTML", JsonNodeType.STRING),
                Map.entry("ID", JsonNodeType.STRING), Map.entry("Inline", JsonNodeType.ARRAY),
                Map.entry("ListUnsubscribe", JsonNodeType.OBJECT), Map.entry("MessageID", JsonNodeType.STRING),
                Map.entry("ReplyTo", JsonNodeType.ARRAY), Map.entry("ReturnPath", JsonNodeType.STRING),
                Map.entry("Size", JsonNodeType.NUMBER), Map.entry("Subject", JsonNodeType.STRING),
                Map.entry("Tags", JsonNodeType.ARRAY), Map.entry("Text", JsonNodeType.STRING),
                Map.entry("To", JsonNodeType.ARRAY), Map.entry("Username", JsonNodeType.STRING)));
        assertFields(m.path("ListUnsubscribe"), Map.of("Errors", JsonNodeType.STRING, "Header", JsonNodeType.STRING,
                "HeaderPost", JsonNodeType.STRING, "Links", JsonNodeType.ARRAY));
        assertFields(pdf, Map.of("ContentID", JsonNodeType.STRING, "ContentType", JsonNodeType.STRING,
                "FileName", JsonNodeType.STRING, "PartID", JsonNodeType.STRING, "Size", JsonNodeType.NUMBER,
                "Checksums", JsonNodeType.OBJECT));
    }

    @Test
    void getMessageSummaryWithoutAnIdReturnsTheLatest() {
        assertThat(value("summaryLatest").path("ID").asText()).isEqualTo(resetId);
        assertThat(value("summaryLatest").path("Subject").asText()).isEqualTo("Password reset");
    }

    @Test
    void getMessageSourceReturnsTheStoredBytes() {
        JsonNode raw = value("raw");

        assertThat(Base64.getDecoder().decode(raw.path("utf8Base64").asText())).isEqualTo(INVOICE);
    }

    @Test
    void getMessageHeadersAndAttachmentWork() {
        JsonNode headers = value("headers");
        assertThat(headers.path("Subject")).extracting(JsonNode::asText).containsExactly("Your invoice 2026-07");
        assertThat(headers.path("Message-Id")).extracting(JsonNode::asText).containsExactly("<invoice-2026-07@example.com>");

        JsonNode attachment = value("attachment");
        assertThat(attachment.path("partId").asText()).isEqualTo("2");
        assertThat(attachment.path("type").asText()).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(attachment.path("base64").asText())).isEqualTo(PDF);
    }

    @Test
    void searchMessagesFindsBySubjectSenderAttachmentNegationAndText() {
        assertThat(ids(value("search:subject"))).containsExactly(meetingId);
        assertThat(ids(value("search:from"))).containsExactly(resetId, invoiceId);
        assertThat(value("search:from").path("messages_count").asInt()).isEqualTo(2);
        assertThat(value("search:from").path("total").asInt()).isEqualTo(3);
        assertThat(ids(value("search:fromWithAttachment"))).containsExactly(invoiceId);
        assertThat(ids(value("search:notFrom"))).containsExactly(meetingId);
        assertThat(ids(value("search:freeText"))).containsExactly(invoiceId);
        assertThat(ids(value("search:noMatch"))).isEmpty();
        assertThat(value("search:noMatch").path("messages_count").asInt()).isZero();
        assertThat(texts(value("search:subject"), "Subject")).containsExactly("Café meeting");
        assertThat(texts(value("search:subject"), "From", "Address")).containsExactly("dave@example.net");
    }

    @Test
    void searchMessagesPagesWithStartAndLimit() {
        JsonNode page = value("search:fromPage");

        assertThat(page.path("messages_count").asInt()).isEqualTo(2);
        assertThat(page.path("start").asInt()).isEqualTo(1);
        assertThat(ids(page)).containsExactly(invoiceId);
    }

    @Test
    void waitForMessageFindsTheMatchAndGettingMessagesDidNotMarkThemRead() {
        assertThat(value("waitForMessage").path("ID").asText()).isEqualTo(resetId);
        // Mailpit marks a message read when it is fetched; Petrel's GETs never change state.
        assertThat(value("listAfterReads").path("unread").asInt()).isEqualTo(3);
    }

    @Test
    void getInfoReportsTheCountsAndTheDatabase() {
        JsonNode info = value("info");
        assertThat(info.path("Version").asText()).startsWith("Petrel ");
        assertThat(info.path("Messages").asInt()).isEqualTo(3);
        assertThat(info.path("Unread").asInt()).isEqualTo(3);
        assertThat(info.path("Database").asText()).endsWith("inbox.db");
        assertThat(info.path("DatabaseSize").asLong()).isPositive();
        assertThat(info.path("RuntimeStats").path("Memory").asLong()).isPositive();
    }

    @Test
    void tagsAreSetCleanedListedRenamedSearchedAndDeletedThroughTheClient() {
        assertThat(value("setTags").asText()).isEqualTo("ok");
        assertThat(value("tagsAfterSet")).extracting(JsonNode::asText).containsExactly("July 2026", "badchars", "invoices");
        assertThat(value("renameTag").asText()).isEqualTo("ok");
        assertThat(value("tagsAfterRename")).extracting(JsonNode::asText).containsExactly("July 2026", "badchars", "billing");
        assertThat(ids(value("searchByTag"))).containsExactly(invoiceId);
        assertThat(value("searchByTag").path("messages").get(0).path("Tags")).extracting(JsonNode::asText)
                .containsExactly("billing", "July 2026", "badchars");
        assertThat(value("deleteTag").asText()).isEqualTo("ok");
        assertThat(value("tagsAfterDelete")).extracting(JsonNode::asText).containsExactly("July 2026", "badchars");
    }

    @Test
    void setReadStatusAndDeletesByIdAndBySearchWork() {
        assertThat(value("setRead").asText()).isEqualTo("ok");
        assertThat(value("listAfterSetRead").path("unread").asInt()).isEqualTo(2);
        assertThat(value("deleteById").asText()).isEqualTo("ok");
        assertThat(value("deleteBySearch").asText()).isEqualTo("ok");
        assertThat(ids(value("listAfterDeletes"))).containsExactly(invoiceId);
    }

    @Test
    void theClientsDeleteAllWithoutABodyIsRefusedAndDeletesNothing() {
        // mailpit-api's deleteMessages() sends no body, which Mailpit takes as "delete everything".
        // Petrel refuses that on purpose: the client throws with Petrel's explanation.
        JsonNode refused = results.path("deleteAllWithoutBody");
        assertThat(refused.path("ok").asBoolean()).as("deleteMessages() without IDs must fail").isFalse();
        assertThat(refused.path("error").asText()).contains("400").contains("{\"All\": true}");
        assertThat(value("listAfterRefusedDelete").path("total").asInt()).isEqualTo(3);
        // What to write instead with this client: deleteMessages({All: true}).
        assertThat(value("deleteAllExplicitly").asText()).isEqualTo("ok");
        assertThat(value("listAfterDeleteAll").path("total").asInt()).isZero();
        assertThat(value("listAfterDeleteAll").path("messages")).isEmpty();
    }

    // ---- helpers ----

    private MessageSummary store(byte[] raw, String mailFrom, String... rcptTo) {
        return store.store(new CapturedMessage("default", raw, SessionFacts.of(mailFrom, List.of(rcptTo), Instant.now())));
    }

    private static Map<String, Object> search(String name, String query) {
        return Map.of("name", name, "query", query);
    }

    private static Map<String, Object> search(String name, String query, int start, int limit) {
        return Map.of("name", name, "query", query, "start", start, "limit", limit);
    }

    /** The value a step returned; fails with the client's error when the step threw. */
    private JsonNode value(String step) {
        JsonNode result = results.path(step);
        assertThat(result.isMissingNode()).as("check.mjs recorded no step '%s': %s", step, results).isFalse();
        assertThat(result.path("ok").asBoolean()).as("mailpit-api client step '%s' failed: %s", step, result.path("error").asText())
                .isTrue();
        return result.path("value");
    }

    private static List<String> ids(JsonNode page) {
        return texts(page, "ID");
    }

    private static List<String> texts(JsonNode page, String... path) {
        List<String> values = new ArrayList<>();
        for (JsonNode m : page.path("messages")) {
            JsonNode node = m;
            for (String field : path) node = node.path(field);
            values.add(node.asText());
        }
        return values;
    }

    private static List<String> addresses(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(a -> values.add(a.path("Address").asText()));
        return values;
    }

    private static void assertAddressFields(JsonNode address) {
        assertFields(address, Map.of("Address", JsonNodeType.STRING, "Name", JsonNodeType.STRING));
    }

    private static void assertFields(JsonNode node, Map<String, JsonNodeType> declared) {
        declared.forEach((field, type) -> assertThat(node.path(field).getNodeType())
                .as("field %s of %s", field, node).isEqualTo(type));
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
