package dev.petrel.admin;

import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
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
import static org.awaitility.Awaitility.await;

/** GET /metrics on the admin endpoint of a whole Petrel: what SMTP and delivery did, in Prometheus' text format. */
@Timeout(60)
class MetricsTest {
    @TempDir Path dir;
    private TestPetrel petrel;

    @AfterEach
    void stop() {
        if (petrel != null) petrel.close();
    }

    private HttpResponse<String> metrics() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            var a = petrel.petrel().admin().address();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void countsAcceptedAndRefusedMessagesAndDeliveriesWithoutAToken() throws Exception {
        petrel = TestPetrel.start(dir, """
                [server]
                hostname = "mx.example.com"
                data_dir = "data"

                [relay]
                local_domains = ["example.com"]
                trusted_networks = []

                [local]
                users = ["bob"]
                maildir_root = "mail"

                [mail_auth]
                verify = false
                """, TestPetrel.listener("mx", MX, STARTTLS));
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.port("mx"))) {
            c.startData("alice@example.org", "bob@example.com");
            assertThat(c.command("Subject: counted\r\n\r\nhi\r\n.").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<alice@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<nobody@example.com>").code()).isEqualTo(550);
        }
        petrel.awaitQueueEmpty(Duration.ofSeconds(20));

        HttpResponse<String> r = metrics();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics().body())
                .contains("petrel_smtp_messages_total{listener=\"mx\",to=\"queue\"} 1.0")
                .contains("petrel_delivery_attempts_total{status=\"sent\"} 1.0")
                .containsPattern("petrel_smtp_refusals_total\\{rule=\"[a-z_]+\"} 1\\.0")
                .contains("petrel_queue_messages 0.0")
                .contains("petrel_smtp_connections "));
    }
}
