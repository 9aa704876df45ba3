package dev.petrel.server;

import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** greet_pause: a client that talks before the 220 is refused; a patient one is served. */
@Timeout(30)
class GreetPauseTest {
    @TempDir Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.greetPause = Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientThatTalksFirstIsRefusedAndClosed() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.send("EHLO x\r\n");
            SmtpTestClient.Response r = c.read();
            assertThat(r.lines()).containsExactly("554 5.5.1 Protocol error: client sent data before the greeting");
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void pipelinedMessageBeforeTheGreetingIsNotQueued() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.send("EHLO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@petrel.test>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n");
            assertThat(c.read().line()).isEqualTo("554 5.5.1 Protocol error: client sent data before the greeting");
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void clientThatWaitsGetsTheGreetingAfterThePause() throws Exception {
        long start = System.nanoTime();
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().line()).isEqualTo("220 mx.petrel.test ESMTP Petrel");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@x.test>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: x\r\n\r\nhi\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(server.messages()).hasSize(1);
    }
}
