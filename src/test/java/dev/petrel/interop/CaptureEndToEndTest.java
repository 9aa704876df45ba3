package dev.petrel.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.server.tls.InsecureTrustAll;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.ListenerMode.SUBMISSION;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture mode end to end: real SMTP clients send to the whole Petrel with [capture] on; nothing is
 * relayed, every message lands in the test inbox, grouped into inboxes by SMTP user, plus-address
 * tag or header, and the HTTP API's wait-for finds each one with its envelope and session.
 */
@Timeout(120)
class CaptureEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private TestPetrel petrel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(petrel.inboxUrl() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode await(String query) throws Exception {
        return get("/api/v1/wait?timeout=20s&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    private void submit(String user, String from, String to, String message) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("submission"))) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO app.example.com").code()).isEqualTo(250);
            c.startTls(InsecureTrustAll.clientContext());
            assertThat(c.command("EHLO app.example.com").code()).isEqualTo(250);
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
            assertThat(c.command("MAIL FROM:<" + from + ">").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<" + to + ">").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command(message + ".").code()).isEqualTo(250);
        }
    }

    @Test
    void everyMessageIsCapturedIntoItsInboxAndNothingLeaves() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "staging.example.com"
                data_dir = "data"

                [relay]
                local_domains = ["example.com"]

                [auth]
                failure_delay = "10ms"

                [capture]
                enabled = true
                """, TestPetrel.listener("submission", SUBMISSION, STARTTLS), TestPetrel.listener("mx", MX, STARTTLS));
        petrel.addUser("alice", "secret");
        petrel.addUser("bob", "secret");

        submit("alice", "alice@example.com", "customer@gmail.com",
                "From: alice@example.com\r\nTo: customer@gmail.com\r\nSubject: Your receipt\r\n\r\nThanks!\r\n");
        submit("bob", "bob@example.com", "new.user+signup-17@outlook.com",
                "From: bob@example.com\r\nTo: new.user+signup-17@outlook.com\r\nSubject: Welcome\r\n\r\nYour code is 123456.\r\n");
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"))) { // loopback is a trusted network by default
            c.startData("cron@example.com", "ops@example.net");
            assertThat(c.command("From: cron@example.com\r\nX-Petrel-Inbox: Suite 42\r\nSubject: nightly\r\n\r\nok\r\n.").code())
                    .isEqualTo(250);
        }

        JsonNode receipt = await("inbox:alice subject:receipt");
        assertThat(receipt.path("Inbox").asText()).isEqualTo("alice");
        JsonNode full = get("/api/v1/message/" + receipt.path("ID").asText());
        assertThat(full.path("Envelope").path("MailFrom").asText()).isEqualTo("alice@example.com");
        assertThat(full.path("Envelope").path("RcptTo").get(0).asText()).isEqualTo("customer@gmail.com");
        assertThat(full.path("Envelope").path("AuthUser").asText()).isEqualTo("alice");
        assertThat(full.path("Envelope").path("TLS").path("Protocol").asText()).startsWith("TLSv1.");
        assertThat(full.path("Envelope").path("Listener").asText()).isEqualTo("submission");
        assertThat(full.path("Text").asText()).contains("Thanks!");

        assertThat(await("inbox:signup-17 to:outlook.com").path("Subject").asText()).isEqualTo("Welcome");
        assertThat(await("inbox:suite_42").path("Subject").asText()).isEqualTo("nightly");
        assertThat(get("/api/v1/search?query=" + URLEncoder.encode("inbox:alice", StandardCharsets.UTF_8))
                .path("messages_count").asInt()).isEqualTo(1);
        assertThat(get("/api/v1/messages").path("total").asInt()).isEqualTo(3);

        // Mail whose recipients are all captured never touches the queue; nothing was sent anywhere.
        assertThat(petrel.queued()).isEmpty();
    }

    @Test
    void aCapturedMessageIsReleasedToARealAddressThroughTheRelayPath() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (dev.petrel.testkit.SmtpSink sink = dev.petrel.testkit.SmtpSink.start(dir, "127.0.0.1", port)) {
            petrel = TestPetrel.start(dir, """
                    [server]
                    hostname = "staging.example.com"
                    data_dir = "data"

                    [capture]
                    enabled = true

                    [[delivery.route]]
                    domain = "example.org"
                    to = "127.0.0.1:%d"
                    tls = "none"
                    """.formatted(port), TestPetrel.listener("mx", MX, STARTTLS));
            try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"))) {
                c.startData("app@example.com", "bob@example.org");
                assertThat(c.command("From: app@example.com\r\nSubject: release me\r\n\r\nhello\r\n.").code()).isEqualTo(250);
            }
            String id = await("subject:\"release me\"").path("ID").asText();
            assertThat(sink.messages()).as("captured, not sent").isEmpty();

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(petrel.inboxUrl() + "/api/v1/message/" + id + "/release"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(petrel.inboxUrl() + "/api/v1/message/" + id + "/release"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"To\": [\"carol@example.org\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("QueueID").asText()).isNotBlank();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(sink.messages()).as(sink.describe()).hasSize(1));
            dev.petrel.testkit.SmtpSink.Captured sent = sink.messages().getFirst();
            assertThat(sent.rcptArgs()).containsExactly("<carol@example.org>");
            assertThat(sent.mailArgs()).startsWith("<app@example.com>");
            assertThat(sent.content()).contains("Subject: release me").contains("hello");
            assertThat(get("/api/v1/messages").path("total").asInt()).as("the release is not captured again").isEqualTo(1);
        }
    }

    @Test
    void aMessageWithCapturedAndLocalRecipientsGoesThroughTheQueueAndEachRecipientItsWay() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "staging.example.com"
                data_dir = "data"

                [relay]
                local_domains = ["example.com"]

                [local]
                users = ["ops"]

                [capture]
                enabled = true
                domains = [".example.net"]
                """, TestPetrel.listener("mx", MX, STARTTLS));
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"))) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO app.example.com").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<qa+run9@shop.example.net>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<ops@example.com>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("From: app@example.com\r\nSubject: order 7\r\n\r\nshipped\r\n.").code()).isEqualTo(250);
        }
        JsonNode captured = await("inbox:run9");
        assertThat(captured.path("Subject").asText()).isEqualTo("order 7");
        JsonNode full = get("/api/v1/message/" + captured.path("ID").asText());
        assertThat(full.path("Envelope").path("RcptTo")).hasSize(1);
        assertThat(full.path("Envelope").path("RcptTo").get(0).asText()).isEqualTo("qa+run9@shop.example.net");
        petrel.awaitQueueEmpty(Duration.ofSeconds(20));
        // The local recipient got a Maildir copy as usual.
        try (var files = java.nio.file.Files.walk(dir.resolve("data/mail/ops/new"))) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).count()).isEqualTo(1);
        }
    }
}
