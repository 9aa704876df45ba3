package dev.petrel.server;

import dev.petrel.config.PetrelConfig.LongLines;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad clients over a real socket: the error limit, HTTP on the SMTP port, over-long lines. */
@Timeout(30)
class ErrorHandlingTest {
    @TempDir Path dir;

    @Test
    void thirdErrorWithMaxErrorsThreeEndsTheSessionWith421() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.maxErrors = 3));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("FOO").line()).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(c.command("MAIL FROM:<a@x.test>").line()).isEqualTo("503 5.5.1 Send EHLO or HELO first");
            assertThat(c.command("BAR baz").line()).isEqualTo("500 5.5.2 Command not recognized");
            // The fourth reply comes unasked, right after the third error.
            assertThat(c.read().lines()).containsExactly("421 4.7.0 Too many errors, closing connection");
            assertThat(c.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        }
    }

    @Test
    void goodCommandsDoNotCountAsErrors() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.maxErrors = 3));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("FOO").code()).isEqualTo(500);
            assertThat(c.command("BAR").code()).isEqualTo(500);
            for (int i = 0; i < 5; i++) assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void httpRequestIsRefusedAndClosed() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            c.send("GET / HTTP/1.1\r\nHost: mx.petrel.test\r\n\r\n");
            assertThat(c.read().lines()).containsExactly("554 5.7.0 Non-SMTP command received, closing connection");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void commandLineOf2000BytesIsRefusedAndTheSessionGoesOn() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            String line = "MAIL FROM:<" + "a".repeat(1998 - "MAIL FROM:<@x.test>".length()) + "@x.test>";
            assertThat(line.length() + 2).isEqualTo(2000);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command(line).line()).isEqualTo("500 5.5.2 Command line too long (512 octets at most)");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            // The over-long MAIL did not start a transaction.
            assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("503 5.5.1 Send MAIL first");
        }
    }

    @Test
    void hundredKilobyteLineWithoutNewlineGetsOneErrorAndTheServerStaysUp() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            byte[] junk = new byte[100 * 1024];
            Arrays.fill(junk, (byte) 'x');
            for (int i = 0; i < junk.length; i += 4096) c.send(Arrays.copyOfRange(junk, i, Math.min(junk.length, i + 4096)));
            c.send("\r\n");
            assertThat(c.read().line()).isEqualTo("500 5.5.2 Command line too long (512 octets at most)");
            // Exactly one reply for the whole line: the next reply is NOOP's.
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            try (SmtpTestClient other = SmtpTestClient.connect(server.mxPort())) {
                assertThat(other.read().code()).isEqualTo(220);
                assertThat(other.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            }
        }
    }

    @Test
    void contentLineOver998OctetsIsRejectedByDefault() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: long\r\n\r\n" + "y".repeat(999) + "\r\n");
            assertThat(c.command(".").line()).isEqualTo(
                    "550 5.6.0 Message rejected: a line is longer than 998 octets (RFC 5322); wrap it or use quoted-printable");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void contentLineOf998OctetsIsAccepted() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: long\r\n\r\n" + "y".repeat(998) + "\r\n");
            assertThat(c.command(".").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void contentLineOver998OctetsIsQueuedIntactWithLongLinesAccept() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.longLines = LongLines.ACCEPT));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            String longLine = "y".repeat(5000);
            c.send("Subject: long\r\n\r\n" + longLine + "\r\n");
            assertThat(c.command(".").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(server.messages()).hasSize(1);
            String content = new String(server.messages().getFirst().content(), StandardCharsets.UTF_8);
            assertThat(content).endsWith("Subject: long\r\n\r\n" + longLine + "\r\n");
        }
    }
}
