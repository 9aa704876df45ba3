package dev.petrel.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture mode's fault injection, each fault set through the HTTP API and observed by a real SMTP
 * client: replies for the next N RCPT to one address, a DATA refusal for one inbox, a delayed reply,
 * a dropped connection; listed, refused without a target, and cleared.
 */
@Timeout(120)
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private TestPetrel petrel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "staging.example.com"
                data_dir = "data"

                [capture]
                enabled = true
                """, TestPetrel.listener("mx", MX, STARTTLS));
    }

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(petrel.inboxUrl() + path)).timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode addFault(String json) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/faults", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private SmtpTestClient session() throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"));
        assertThat(c.read().code()).isEqualTo(220);
        assertThat(c.command("EHLO app.example.com").code()).isEqualTo(250);
        return c;
    }

    @Test
    void theNextTwoRcptToOneAddressGetTheInjectedReplyThenItHeals() throws Exception {
        JsonNode fault = addFault("""
                {"Stage": "RCPT", "Recipient": "Busy@Example.com", "Action": "reply", "Reply": "451 4.3.0 Mailbox busy", "Count": 2}""");
        assertThat(fault.path("Remaining").asInt()).isEqualTo(2);
        try (SmtpTestClient c = session()) {
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<other@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<busy@example.com>").line()).isEqualTo("451 4.3.0 Mailbox busy");
            assertThat(JSON.readTree(call("GET", "/api/v1/faults", null).body()).path("faults").get(0).path("Remaining").asInt())
                    .isEqualTo(1);
            assertThat(c.command("RCPT TO:<busy@example.com>").line()).isEqualTo("451 4.3.0 Mailbox busy");
            assertThat(c.command("RCPT TO:<busy@example.com>").code()).isEqualTo(250);
        }
        assertThat(JSON.readTree(call("GET", "/api/v1/faults", null).body()).path("faults")).isEmpty();
    }

    @Test
    void dataRefusedForOneInboxOnlyAndNothingIsCaptured() throws Exception {
        addFault("""
                {"Stage": "DATA", "Inbox": "signup", "Action": "reply", "Reply": "552 5.3.4 Message too big for this test"}""");
        try (SmtpTestClient c = session()) {
            c.command("MAIL FROM:<app@example.com>");
            assertThat(c.command("RCPT TO:<new+signup@example.com>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: welcome\r\n\r\nhi\r\n.").line()).isEqualTo("552 5.3.4 Message too big for this test");
            // Another inbox is not affected; the fault (no count) stays until removed.
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<new+receipts@example.com>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: receipt\r\n\r\nhi\r\n.").code()).isEqualTo(250);
        }
        petrel.awaitQueueEmpty(Duration.ofSeconds(20));
        JsonNode list = JSON.readTree(call("GET", "/api/v1/messages", null).body());
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(list.path("messages").get(0).path("Subject").asText()).isEqualTo("receipt");
    }

    @Test
    void delayedReplyAndDroppedConnection() throws Exception {
        addFault("""
                {"Stage": "MAIL", "Action": "delay", "Delay": "2s", "Count": 1}""");
        try (SmtpTestClient c = session()) {
            long start = System.nanoTime();
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).isEqualTo(250);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
        addFault("""
                {"Stage": "MAIL", "Action": "drop", "Count": 1}""");
        try (SmtpTestClient c = session()) {
            c.send("MAIL FROM:<app@example.com>\r\n");
            assertThat(c.closedByServer()).as("the connection is dropped without a reply").isTrue();
        }
        try (SmtpTestClient c = session()) {
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).as("count used up").isEqualTo(250);
        }
    }

    @Test
    void faultsAreListedAndOnlyAnExplicitDeleteClearsThem() throws Exception {
        JsonNode a = addFault("""
                {"Stage": "RCPT", "Action": "reply", "Reply": "550 5.1.1 No such user"}""");
        addFault("""
                {"Stage": "DATA", "Action": "drop"}""");
        assertThat(call("POST", "/api/v1/faults", "{\"Stage\": \"HELO\", \"Action\": \"drop\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/faults", "{\"Stage\": \"RCPT\", \"Action\": \"reply\", \"Reply\": \"250 ok\"}").statusCode())
                .isEqualTo(400);
        assertThat(JSON.readTree(call("GET", "/api/v1/faults", null).body()).path("faults")).hasSize(2);
        assertThat(call("DELETE", "/api/v1/faults", "").statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/api/v1/faults", "{}").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(call("GET", "/api/v1/faults", null).body()).path("faults")).hasSize(2);
        assertThat(call("DELETE", "/api/v1/faults/" + a.path("ID").asLong(), null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/faults/" + a.path("ID").asLong(), null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/faults", "{\"All\": true}").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", "/api/v1/faults", null).body()).path("faults")).isEmpty();
        try (SmtpTestClient c = session()) {
            assertThat(c.command("MAIL FROM:<app@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<anyone@example.com>").code()).isEqualTo(250);
        }
    }
}
