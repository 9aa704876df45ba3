package dev.petrel.inbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.inbox.AuthenticationFacts;
import dev.petrel.inbox.CapturedMessage;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.Retention;
import dev.petrel.inbox.SessionFacts;
import dev.petrel.inbox.TestMail;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.petrel.inbox.api.ApiClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

class InboxApiTest extends RunningInbox {
    private MessageSummary store(String inbox, TestMail mail, String mailFrom, Instant received, String... rcptTo) {
        return store.store(new CapturedMessage(inbox, mail.bytes(), SessionFacts.of(mailFrom, List.of(rcptTo), received)));
    }

    private List<String> subjects(JsonNode page) {
        List<String> subjects = new ArrayList<>();
        page.path("messages").forEach(m -> subjects.add(m.path("Subject").asText()));
        return subjects;
    }

    private List<String> search(String query) throws Exception {
        return subjects(api.getJson("/api/v1/search?query=" + encode(query)));
    }

    @Test
    void listsNewestFirstWithMailpitsPagingAndCounts() throws Exception {
        List<MessageSummary> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(store.store(new CapturedMessage("x", TestMail.mail().subject("n" + i).bytes(),
                    SessionFacts.of("alice@example.com", List.of("bob@example.org"), Instant.now()), List.of("tag" + (i % 2)))));
        }
        store.setRead(List.of(stored.get(0).id()), true);

        JsonNode page = api.getJson("/api/v1/messages?start=1&limit=2");

        assertThat(page.path("total").asInt()).isEqualTo(5);
        assertThat(page.path("unread").asInt()).isEqualTo(4);
        assertThat(page.path("messages_count").asInt()).isEqualTo(5);
        assertThat(page.path("count").asInt()).isEqualTo(2);
        assertThat(page.path("start").asInt()).isEqualTo(1);
        assertThat(page.path("tags")).extracting(JsonNode::asText).containsExactly("tag0", "tag1");
        assertThat(subjects(page)).containsExactly("n3", "n2");
        JsonNode first = page.path("messages").get(0);
        assertThat(first.path("ID").asText()).isEqualTo(stored.get(3).id());
        assertThat(first.path("MessageID").asText()).isEqualTo("m1@example.com");
        assertThat(first.path("From").path("Name").asText()).isEqualTo("Alice Example");
        assertThat(first.path("From").path("Address").asText()).isEqualTo("alice@example.com");
        assertThat(first.path("To").get(0).path("Address").asText()).isEqualTo("bob@example.org");
        assertThat(first.path("Size").asLong()).isEqualTo(TestMail.mail().subject("n3").bytes().length);
        assertThat(first.path("Read").asBoolean()).isFalse();
        assertThat(first.path("Attachments").asInt()).isZero();
        assertThat(first.path("Snippet").asText()).isEqualTo("Hello Bob, your code is 123456.");
        assertThat(first.path("Tags")).extracting(JsonNode::asText).containsExactly("tag1");
        assertThat(first.path("Inbox").asText()).isEqualTo("x");
        assertThat(Instant.parse(first.path("Created").asText())).isEqualTo(stored.get(3).created());

        assertThat(subjects(api.getJson("/api/v1/messages"))).containsExactly("n4", "n3", "n2", "n1", "n0");
        assertThat(subjects(api.getJson("/api/v1/messages?start=4&limit=50"))).containsExactly("n0");
        assertThat(api.get("/api/v1/messages?limit=-1").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/messages?start=abc").body()).isEqualTo("start=abc is not a whole number of 0 or more");
    }

    @Test
    void tagEndpointsRefuseWhatTheyCannotDoAndSayWhatToSend() throws Exception {
        MessageSummary m = store("x", TestMail.mail().subject("tagged"), "a@example.com", Instant.now(), "b@example.org");
        assertThat(api.put("/api/v1/tags", "{\"Tags\": [\"a\"]}").body()).startsWith("no message IDs given: send {\"IDs\"");
        assertThat(api.put("/api/v1/tags", "{\"IDs\": [\"" + m.id() + "\"], \"Tags\": \"a\"}").statusCode()).isEqualTo(400);
        assertThat(api.put("/api/v1/tags", "{\"IDs\": [\"" + m.id() + "\"], \"Tags\": [\"Alpha\", \"alpha\", \"  \"]}").body()).isEqualTo("ok");
        assertThat(api.getJson("/api/v1/tags")).extracting(JsonNode::asText).as("no duplicates by case, no blanks").containsExactly("Alpha");
        assertThat(search("tag:alpha")).containsExactly("tagged");
        assertThat(api.put("/api/v1/tags/Alpha", "{}").statusCode()).isEqualTo(400);
        assertThat(api.put("/api/v1/tags/Alpha", "{\"Name\": \"!!!\"}").body()).contains("has no letters");
        assertThat(api.put("/api/v1/tags", "{\"IDs\": [\"" + m.id() + "\"]}").body()).as("no Tags: removes them").isEqualTo("ok");
        assertThat(api.getJson("/api/v1/tags")).isEmpty();
        assertThat(search("tag:alpha")).isEmpty();
    }

    @Test
    void healthChecksAnswerOk() throws Exception {
        assertThat(api.get("/livez").body()).isEqualTo("ok");
        assertThat(api.get("/readyz").body()).isEqualTo("ok");
    }

    @Test
    void listsEveryInboxWithItsCountsSortedByName() throws Exception {
        assertThat(api.getJson("/api/v1/inboxes").path("inboxes")).isEmpty();
        MessageSummary first = store("signup", TestMail.mail().subject("a"), "a@example.com", Instant.now(), "b@example.org");
        store("signup", TestMail.mail().subject("b"), "a@example.com", Instant.now(), "b@example.org");
        store("billing", TestMail.mail().subject("c"), "a@example.com", Instant.now(), "b@example.org");
        store.setRead(List.of(first.id()), true);

        JsonNode inboxes = api.getJson("/api/v1/inboxes").path("inboxes");

        assertThat(inboxes).extracting(i -> i.path("Name").asText()).containsExactly("billing", "signup");
        assertThat(inboxes.get(1).path("Total").asInt()).isEqualTo(2);
        assertThat(inboxes.get(1).path("Unread").asInt()).isEqualTo(1);
        assertThat(inboxes.get(0).path("Total").asInt()).isEqualTo(1);
        assertThat(inboxes.get(0).path("Unread").asInt()).isEqualTo(1);

        store.deleteMatching(dev.petrel.inbox.search.SearchQuery.parse("inbox:billing"));
        assertThat(api.getJson("/api/v1/inboxes").path("inboxes")).extracting(i -> i.path("Name").asText()).containsExactly("signup");
    }

    @Test
    void everySearchOperatorSelectsExactlyTheMatchingMessages() throws Exception {
        MessageSummary a = store("one", TestMail.mail().subject("Welcome aboard").messageId("<welcome-1@example.com>")
                        .text("Hi,\r\nyour code is 123456.\r\n" + "Welcome to the service, we are glad you are here.\r\n".repeat(6)).html("<p>code</p>").attachment("invoice.pdf")
                        .header("X-Mailer", "PHPMailer 6.9").header("X-Tags", "signup"),
                "alice@example.com", Instant.parse("2026-01-10T12:00:00Z"), "bob@example.org", "hidden@example.net");
        MessageSummary b = store("two", TestMail.mail().from("Carol <carol@example.com>").to("dave@example.org")
                        .cc("Erin <erin@example.org>").subject("Invoice March").messageId("<inv-3@example.com>")
                        .text("Monthly statement\r\n").header("X-Mailer", "Petrel"),
                "billing@example.com", Instant.parse("2026-02-10T12:00:00Z"), "dave@example.org", "erin@example.org");
        MessageSummary c = store("one", TestMail.mail().to("dave@example.org").subject("Re: Welcome").messageId("<re-1@example.com>")
                        .text("Thanks!\r\n").header("Reply-To", "Frank <frank@example.net>").header("List-Id", "<news.example.com>"),
                "alice@example.com", Instant.parse("2026-03-10T12:00:00Z"), "dave@example.org");
        store.setRead(List.of(c.id()), true);
        assertThat(a.size()).as("the test of larger: needs A above 1 KiB and the others below").isGreaterThan(1024);
        assertThat(List.of(b.size(), c.size())).allMatch(size -> size < 1024);

        assertThat(search("from:alice")).containsExactly("Re: Welcome", "Welcome aboard");
        assertThat(search("to:dave")).containsExactly("Re: Welcome", "Invoice March");
        assertThat(search("cc:erin")).containsExactly("Invoice March");
        assertThat(search("bcc:hidden@example.net")).containsExactly("Welcome aboard");
        assertThat(search("reply-to:frank")).containsExactly("Re: Welcome");
        assertThat(search("subject:welcome")).containsExactly("Re: Welcome", "Welcome aboard");
        assertThat(search("subject:\"welcome aboard\"")).containsExactly("Welcome aboard");
        assertThat(search("message-id:inv-3@example.com")).containsExactly("Invoice March");
        assertThat(search("rcpt:hidden@example.net")).containsExactly("Welcome aboard");
        assertThat(search("mailfrom:billing@")).containsExactly("Invoice March");
        assertThat(search("has:attachment")).containsExactly("Welcome aboard");
        assertThat(search("-has:attachment")).containsExactly("Re: Welcome", "Invoice March");
        assertThat(search("header:X-Mailer=phpmailer")).containsExactly("Welcome aboard");
        assertThat(search("header:x-mailer")).containsExactly("Invoice March", "Welcome aboard");
        assertThat(search("header:List-Id")).containsExactly("Re: Welcome");
        assertThat(search("header:List-Id=petrel")).isEmpty();
        assertThat(search("\"your code\"")).containsExactly("Welcome aboard");
        assertThat(search("123456")).containsExactly("Welcome aboard");
        assertThat(search("statement")).containsExactly("Invoice March");
        assertThat(search("invoice")).as("free text covers subjects and attachment names").containsExactly("Invoice March", "Welcome aboard");
        assertThat(search("!from:alice")).containsExactly("Invoice March");
        assertThat(search("-to:dave")).containsExactly("Welcome aboard");
        assertThat(search("is:read")).containsExactly("Re: Welcome");
        assertThat(search("is:unread")).containsExactly("Invoice March", "Welcome aboard");
        assertThat(search("tag:signup")).containsExactly("Welcome aboard");
        assertThat(search("after:2026-02-01")).containsExactly("Re: Welcome", "Invoice March");
        assertThat(search("before:2026-02-01")).containsExactly("Welcome aboard");
        assertThat(search("after:2026-02-01 before:2026-03-01")).containsExactly("Invoice March");
        assertThat(search("larger:1k")).containsExactly("Welcome aboard");
        assertThat(search("smaller:1k")).containsExactly("Re: Welcome", "Invoice March");
        assertThat(search("from:alice subject:welcome -is:read")).containsExactly("Welcome aboard");

        JsonNode page = api.getJson("/api/v1/search?query=" + encode("from:alice") + "&limit=1");
        assertThat(page.path("messages_count").asInt()).isEqualTo(2);
        assertThat(page.path("messages_unread").asInt()).isEqualTo(1);
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(subjects(page)).containsExactly("Re: Welcome");
    }

    @Test
    void inboxesAreIsolatedByTheInboxOperator() throws Exception {
        store("test-a", TestMail.mail().subject("for a"), "x@example.com", Instant.now(), "bob@example.org");
        store("test-b", TestMail.mail().subject("for b"), "x@example.com", Instant.now(), "bob@example.org");

        assertThat(search("inbox:test-a")).containsExactly("for a");
        assertThat(search("inbox:test-b to:bob")).containsExactly("for b");
        assertThat(search("inbox:test")).as("inbox names match exactly, not as a prefix").isEmpty();
        assertThat(api.delete("/api/v1/search?query=" + encode("inbox:test-a"), null).statusCode()).isEqualTo(200);
        assertThat(subjects(api.getJson("/api/v1/messages"))).containsExactly("for b");
    }

    @Test
    void hasInlineFindsMessagesWithImagesReferencedFromTheHtml() throws Exception {
        store("x", TestMail.mail().subject("with logo").html("<img src=\"cid:logo@example.com\">").inlineImage(), "a@example.com",
                Instant.now(), "b@example.org");
        store("x", TestMail.mail().subject("with pdf").attachment("a.pdf"), "a@example.com", Instant.now(), "b@example.org");

        assertThat(search("has:inline")).containsExactly("with logo");
        assertThat(search("has:attachment")).as("an inline image is not an attachment").containsExactly("with pdf");
        JsonNode summary = api.getJson("/api/v1/search?query=" + encode("has:inline")).path("messages").get(0);
        assertThat(summary.path("Attachments").asInt()).isZero();
    }

    @Test
    void malformedOrEmptySearchesAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> bad = api.get("/api/v1/search?query=" + encode("from:"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("invalid search query: from: needs a value, e.g. from:alice@example.com");
        HttpResponse<String> empty = api.get("/api/v1/search?query=");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).startsWith("no search query");
        assertThat(api.get("/api/v1/search?query=" + encode("before:2026-01-01") + "&tz=Mars/Olympus").body())
                .isEqualTo("tz=Mars/Olympus is not a time zone; use an identifier such as Europe/Berlin or UTC");
    }

    @Test
    void getsAMessageWithBodiesAttachmentsEnvelopeAndAuthenticationWithoutMarkingItRead() throws Exception {
        byte[] raw = TestMail.mail().cc("Carol <carol@example.net>").html("<p>Your <b>code</b></p><img src=\"cid:logo@example.com\">")
                .inlineImage().attachment("invoice.pdf").header("Reply-To", "help@example.com").header("X-Mailer", "PHPMailer")
                .header("List-Unsubscribe", "<mailto:unsub@example.com>, <https://example.com/u>").bytes();
        SessionFacts facts = new SessionFacts("bounce@example.com", List.of("bob@example.org", "hidden@example.net"), "alice",
                "127.0.0.5", "client.example", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "submission", Instant.parse("2026-07-14T08:15:02Z"),
                new AuthenticationFacts("mx.petrel.test; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com",
                        List.of("pass (d=example.com s=s1)"), "pass", "pass (p=reject)"));
        String id = store.store(new CapturedMessage("signup", raw, facts, List.of("welcome"))).id();

        JsonNode m = api.getJson("/api/v1/message/" + id);

        assertThat(m.path("ID").asText()).isEqualTo(id);
        assertThat(m.path("MessageID").asText()).isEqualTo("m1@example.com");
        assertThat(m.path("From").path("Address").asText()).isEqualTo("alice@example.com");
        assertThat(m.path("To").get(0).path("Name").asText()).isEqualTo("Bob");
        assertThat(m.path("Cc").get(0).path("Address").asText()).isEqualTo("carol@example.net");
        assertThat(m.path("Bcc")).hasSize(1);
        assertThat(m.path("Bcc").get(0).path("Address").asText()).isEqualTo("hidden@example.net");
        assertThat(m.path("ReplyTo").get(0).path("Address").asText()).isEqualTo("help@example.com");
        assertThat(m.path("Subject").asText()).isEqualTo("Hello");
        assertThat(m.path("Date").asText()).as("RFC 3339: seconds always written").isEqualTo("2026-07-14T10:15:00+02:00");
        assertThat(m.path("Text").asText()).isEqualTo("Hello Bob,\r\nyour code is 123456.");
        assertThat(m.path("HTML").asText()).isEqualTo("<p>Your <b>code</b></p><img src=\"cid:logo@example.com\">");
        assertThat(m.path("Size").asLong()).isEqualTo(raw.length);
        assertThat(m.path("Username").asText()).isEqualTo("alice");
        assertThat(m.path("Tags")).extracting(JsonNode::asText).containsExactly("welcome");
        assertThat(m.path("Attachments")).hasSize(1);
        JsonNode attachment = m.path("Attachments").get(0);
        assertThat(attachment.path("PartID").asText()).isEqualTo("2");
        assertThat(attachment.path("FileName").asText()).isEqualTo("invoice.pdf");
        assertThat(attachment.path("ContentType").asText()).isEqualTo("application/pdf");
        assertThat(attachment.path("Size").asLong()).isEqualTo(TestMail.PDF_BYTES.length);
        assertThat(attachment.path("Checksums").path("SHA256").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(TestMail.PDF_BYTES)));
        assertThat(attachment.path("Checksums").path("MD5").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(TestMail.PDF_BYTES)));
        assertThat(m.path("Inline")).hasSize(1);
        assertThat(m.path("Inline").get(0).path("ContentID").asText()).isEqualTo("logo@example.com");
        assertThat(m.path("Inline").get(0).path("PartID").asText()).isEqualTo("1.2.2");
        assertThat(m.path("ListUnsubscribe").path("Links")).extracting(JsonNode::asText)
                .containsExactly("mailto:unsub@example.com", "https://example.com/u");
        assertThat(m.path("Headers").path("X-Mailer").get(0).asText()).isEqualTo("PHPMailer");
        JsonNode envelope = m.path("Envelope");
        assertThat(envelope.path("MailFrom").asText()).isEqualTo("bounce@example.com");
        assertThat(envelope.path("RcptTo")).extracting(JsonNode::asText).containsExactly("bob@example.org", "hidden@example.net");
        assertThat(envelope.path("AuthUser").asText()).isEqualTo("alice");
        assertThat(envelope.path("ClientIP").asText()).isEqualTo("127.0.0.5");
        assertThat(envelope.path("Helo").asText()).isEqualTo("client.example");
        assertThat(envelope.path("TLS").path("Protocol").asText()).isEqualTo("TLSv1.3");
        assertThat(envelope.path("TLS").path("Cipher").asText()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(envelope.path("Listener").asText()).isEqualTo("submission");
        assertThat(envelope.path("Received").asText()).isEqualTo("2026-07-14T08:15:02Z");
        JsonNode auth = m.path("Authentication");
        assertThat(auth.path("Results").asText()).startsWith("mx.petrel.test; dkim=pass");
        assertThat(auth.path("DKIM")).extracting(JsonNode::asText).containsExactly("pass (d=example.com s=s1)");
        assertThat(auth.path("SPF").asText()).isEqualTo("pass");
        assertThat(auth.path("DMARC").asText()).isEqualTo("pass (p=reject)");
        assertThat(m.path("Read").asBoolean()).isFalse();
        assertThat(api.getJson("/api/v1/messages").path("unread").asInt()).as("GET does not mark read").isEqualTo(1);

        HttpResponse<byte[]> rawResponse = api.getBytes("/api/v1/message/" + id + "/raw");
        assertThat(rawResponse.statusCode()).isEqualTo(200);
        assertThat(rawResponse.body()).isEqualTo(raw);
        assertThat(rawResponse.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");

        JsonNode headers = api.getJson("/api/v1/message/" + id + "/headers");
        assertThat(headers.path("Message-Id")).extracting(JsonNode::asText).containsExactly("<m1@example.com>");
        assertThat(headers.path("Subject")).extracting(JsonNode::asText).containsExactly("Hello");
        assertThat(headers.path("X-Mailer")).extracting(JsonNode::asText).containsExactly("PHPMailer");

        HttpResponse<byte[]> pdf = api.getBytes("/api/v1/message/" + id + "/part/2");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.body()).isEqualTo(TestMail.PDF_BYTES);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline; filename=\"invoice.pdf\"");
        HttpResponse<byte[]> png = api.getBytes("/api/v1/message/" + id + "/part/1.2.2");
        assertThat(png.body()).isEqualTo(TestMail.PNG_BYTES);
        HttpResponse<byte[]> html = api.getBytes("/api/v1/message/" + id + "/part/1.2.1");
        assertThat(html.headers().firstValue("Content-Type")).as("HTML parts download, never render in the API's origin")
                .hasValue("application/octet-stream");
        assertThat(html.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        assertThat(new String(html.body(), StandardCharsets.UTF_8)).startsWith("<p>Your <b>code</b></p>");
        HttpResponse<String> noPart = api.get("/api/v1/message/" + id + "/part/9");
        assertThat(noPart.statusCode()).isEqualTo(404);
        assertThat(noPart.body()).startsWith("message " + id + " has no part 9");
    }

    @Test
    void unknownIdsAre404AndLatestIsTheNewestMatch() throws Exception {
        assertThat(api.get("/api/v1/message/latest").statusCode()).isEqualTo(404);
        MessageSummary one = store("one", TestMail.mail().subject("first"), "a@example.com", Instant.now(), "b@example.org");
        MessageSummary two = store("two", TestMail.mail().subject("second"), "a@example.com", Instant.now(), "b@example.org");

        HttpResponse<String> missing = api.get("/api/v1/message/01ABCDEFGHJKMNPQRSTVWXYZ01");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("message 01ABCDEFGHJKMNPQRSTVWXYZ01 not found");
        for (String suffix : List.of("/raw", "/headers", "/part/1")) {
            assertThat(api.get("/api/v1/message/01ABCDEFGHJKMNPQRSTVWXYZ01" + suffix).statusCode()).isEqualTo(404);
        }
        assertThat(api.getJson("/api/v1/message/latest").path("ID").asText()).isEqualTo(two.id());
        assertThat(api.getJson("/api/v1/message/latest?query=" + encode("inbox:one")).path("ID").asText()).isEqualTo(one.id());
        assertThat(new String(api.getBytes("/api/v1/message/latest/raw").body(), StandardCharsets.UTF_8)).contains("Subject: second");
    }

    @Test
    void putMarksReadByIdsOrBySearch() throws Exception {
        MessageSummary a = store("one", TestMail.mail().subject("a"), "x@example.com", Instant.now(), "b@example.org");
        store("one", TestMail.mail().subject("b"), "x@example.com", Instant.now(), "b@example.org");
        store("two", TestMail.mail().subject("c"), "x@example.com", Instant.now(), "b@example.org");

        assertThat(api.put("/api/v1/messages", "{\"Read\": true, \"IDs\": [\"" + a.id() + "\"]}").body()).isEqualTo("ok");
        assertThat(search("is:read")).containsExactly("a");
        assertThat(api.put("/api/v1/messages", "{\"Read\": true, \"Search\": \"inbox:one\"}").statusCode()).isEqualTo(200);
        assertThat(search("is:read")).containsExactly("b", "a");
        assertThat(api.put("/api/v1/messages", "{\"Read\": false, \"IDs\": [\"" + a.id() + "\"]}").statusCode()).isEqualTo(200);
        assertThat(search("is:unread")).containsExactly("c", "a");

        assertThat(api.put("/api/v1/messages", "{\"Read\": true,").statusCode()).isEqualTo(400);
        assertThat(api.put("/api/v1/messages", "{\"Read\": true, \"IDs\": [\"x\"], \"Search\": \"a\"}").body())
                .isEqualTo("give either IDs or Search, not both");
        assertThat(search("is:unread")).containsExactly("c", "a");
    }

    @Test
    void unsafeDeletesAreRefusedAndDeleteNothing() throws Exception {
        store("one", TestMail.mail().subject("keep 1"), "x@example.com", Instant.now(), "b@example.org");
        store("one", TestMail.mail().subject("keep 2"), "x@example.com", Instant.now(), "b@example.org");

        for (String body : new String[]{null, "", "   ", "{}", "{\"IDs\": []}", "{\"IDs\": null}", "not json", "[\"a\"]",
                "{\"IDs\": \"abc\"}", "{\"IDs\": [\"\"]}", "{\"IDs\": ["}) {
            HttpResponse<String> response = api.delete("/api/v1/messages", body);
            assertThat(response.statusCode()).as("DELETE /api/v1/messages with body %s", body).isEqualTo(400);
        }
        assertThat(api.delete("/api/v1/messages", "").body())
                .isEqualTo("empty body: send {\"IDs\": [\"<id>\", ...]} to delete messages by id, or {\"All\": true} to delete every "
                        + "message. Unlike Mailpit, Petrel never deletes everything on an empty or malformed body");
        for (String query : new String[]{"", "?query=", "?query=%20%20", "?query=" + encode("from:"), "?query=" + encode("\"open")}) {
            assertThat(api.delete("/api/v1/search" + query, null).statusCode()).as("DELETE /api/v1/search%s", query).isEqualTo(400);
        }
        assertThat(search("keep")).containsExactly("keep 2", "keep 1");
    }

    @Test
    void deletesByIdsBySearchAndAllOnlyWhenAskedExplicitly() throws Exception {
        MessageSummary a = store("one", TestMail.mail().subject("a"), "x@example.com", Instant.now(), "b@example.org");
        MessageSummary b = store("one", TestMail.mail().subject("b").attachment("f.pdf"), "x@example.com", Instant.now(), "b@example.org");
        store("one", TestMail.mail().subject("c"), "x@example.com", Instant.now(), "b@example.org");
        store("one", TestMail.mail().subject("d").attachment("g.pdf"), "x@example.com", Instant.now(), "b@example.org");
        store("one", TestMail.mail().subject("e"), "x@example.com", Instant.now(), "b@example.org");

        assertThat(api.delete("/api/v1/messages", "{\"IDs\": [\"" + a.id() + "\", \"01ABCDEFGHJKMNPQRSTVWXYZ01\"]}").body()).isEqualTo("ok");
        assertThat(subjects(api.getJson("/api/v1/messages"))).containsExactly("e", "d", "c", "b");
        assertThat(api.get("/api/v1/message/" + a.id()).statusCode()).isEqualTo(404);
        assertThat(store.raw(a.id())).isEmpty();

        assertThat(api.delete("/api/v1/search?query=" + encode("has:attachment"), null).body()).isEqualTo("ok");
        assertThat(subjects(api.getJson("/api/v1/messages"))).containsExactly("e", "c");
        assertThat(store.raw(b.id())).isEmpty();

        assertThat(api.delete("/api/v1/messages", "{\"All\": true}").body()).isEqualTo("ok");
        JsonNode empty = api.getJson("/api/v1/messages");
        assertThat(empty.path("total").asInt()).isZero();
        assertThat(empty.path("messages")).isEmpty();
    }

    @Test
    void messagesAreStillServedAfterTheStoreAndServerRestart() throws Exception {
        byte[] raw = TestMail.mail().subject("before restart").attachment("keep.pdf").bytes();
        String id = store.store(new CapturedMessage("one", raw, SessionFacts.of("a@example.com", List.of("b@example.org"), Instant.now()))).id();
        server.close();
        store.close();

        store = InboxStore.open(dir, Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
        api = new ApiClient(server.port());

        assertThat(api.getJson("/api/v1/message/" + id).path("Subject").asText()).isEqualTo("before restart");
        assertThat(api.getBytes("/api/v1/message/" + id + "/raw").body()).isEqualTo(raw);
        assertThat(api.getBytes("/api/v1/message/" + id + "/part/2").body()).isEqualTo(TestMail.PDF_BYTES);
        assertThat(search("inbox:one has:attachment")).containsExactly("before restart");
    }

    @Test
    void retentionByCountShowsInTheApi() throws Exception {
        server.close();
        store.close();
        store = InboxStore.open(dir, Retention.maxMessages(2));
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
        api = new ApiClient(server.port());
        for (int i = 0; i < 4; i++) store("x", TestMail.mail().subject("n" + i), "a@example.com", Instant.now(), "b@example.org");

        JsonNode page = api.getJson("/api/v1/messages");
        assertThat(page.path("total").asInt()).isEqualTo(2);
        assertThat(subjects(page)).containsExactly("n3", "n2");
    }

    @Test
    void servesAnOpenApiDocumentNamingEveryRoute() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
        String yaml = response.body();
        assertThat(yaml).startsWith("openapi: 3.");
        for (String path : List.of("/api/v1/messages:", "/api/v1/search:", "/api/v1/message/{ID}:", "/api/v1/message/{ID}/raw:",
                "/api/v1/message/{ID}/headers:", "/api/v1/message/{ID}/part/{PartID}:", "/api/v1/wait:", "/api/v1/openapi.yaml:",
                "/api/v1/events:", "/api/v1/message/{ID}/release:", "/api/v1/faults:", "/api/v1/faults/{FaultID}:", "/api/v1/inboxes:",
                "/api/v1/info:", "/api/v1/tags:", "/api/v1/tags/{tag}:", "/livez:", "/readyz:")) {
            assertThat(yaml).as("path %s", path).contains("\n  " + path + "\n");
        }
    }
}
