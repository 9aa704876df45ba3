package dev.petrel.interop;

import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STARTTLS command injection (CVE-2011-0411 and its 2021 relatives) over a real socket: commands a
 * man in the middle appends after STARTTLS in the plaintext must never be obeyed inside TLS,
 * and no reply to them may appear on either side of the handshake.
 */
@Timeout(60)
class StartTlsInjectionTest {
    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscarded() throws Exception {
        try (SmtpWire w = SmtpWire.plain(server.mxPort())) {
            assertThat(w.reply().code()).isEqualTo(220);
            assertThat(w.command("EHLO client.petrel.test").has("STARTTLS")).isTrue();

            w.write("STARTTLS\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<a@petrel.test>\r\n");
            assertThat(w.reply().toString()).isEqualTo("220 2.0.0 Ready to start TLS");
            Thread.sleep(200); // give a buggy server time to answer the injected commands in plaintext
            assertThat(w.plaintextAvailable()).as("plaintext replies after the 220").isZero();

            w.startTls(server.clientTls());
            // The first bytes inside TLS answer our EHLO: nothing queued up for MAIL or RCPT.
            SmtpWire.Reply ehlo = w.command("EHLO client.petrel.test");
            assertThat(ehlo.lines().getFirst()).isEqualTo("250-mx.petrel.test");
            assertThat(ehlo.has("STARTTLS")).isFalse();
            assertThat(w.command("NOOP").toString()).isEqualTo("250 2.0.0 Ok");
            // The injected MAIL did not open a transaction.
            assertThat(w.command("RCPT TO:<b@petrel.test>").toString()).isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(w.command("STARTTLS").toString()).isEqualTo("503 5.5.1 TLS already active");
            assertThat(w.command("QUIT").toString()).isEqualTo("221 2.0.0 Bye");
            assertThat(w.drain()).as("anything after our QUIT's reply").isEmpty();
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void injectedWholeTransactionIsNotQueued() throws Exception {
        try (SmtpWire w = SmtpWire.plain(server.mxPort())) {
            w.reply();
            w.command("EHLO client.petrel.test");
            w.write("STARTTLS\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<a@petrel.test>\r\nDATA\r\n"
                    + "Subject: injected\r\n\r\nowned\r\n.\r\n");
            assertThat(w.reply().toString()).isEqualTo("220 2.0.0 Ready to start TLS");
            w.startTls(server.clientTls());
            assertThat(w.command("EHLO client.petrel.test").code()).isEqualTo(250);
            // A real transaction inside TLS works, and only it is queued.
            assertThat(w.command("MAIL FROM:<good@remote.test>").toString()).isEqualTo("250 2.1.0 Ok");
            assertThat(w.command("RCPT TO:<a@petrel.test>").toString()).isEqualTo("250 2.1.5 Ok");
            assertThat(w.command("DATA").code()).isEqualTo(354);
            assertThat(w.command("Subject: genuine\r\n\r\nhello\r\n.").text()).startsWith("2.0.0 Ok: queued as ");
            assertThat(w.command("QUIT").code()).isEqualTo(221);
        }
        assertThat(server.messages()).hasSize(1);
        var m = server.messages().getFirst();
        assertThat(m.envelope().sender()).hasToString("good@remote.test");
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTPS");
        assertThat(spooled.originalText()).isEqualTo("Subject: genuine\r\n\r\nhello\r\n");
    }
}
