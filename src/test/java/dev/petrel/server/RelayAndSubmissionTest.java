package dev.petrel.server;

import dev.petrel.message.Envelope;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-relay rules on the MX listener and the STARTTLS-then-AUTH rules on submission. */
@Timeout(30)
class RelayAndSubmissionTest {
    @TempDir Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        server.addUser("alice", "correct horse battery staple");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mxWithoutAuthAcceptsLocalDomainsOnly() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").line())
                    .isEqualTo("554 5.7.1 <x@elsewhere.test>: Relay access denied");
            assertThat(c.command("RCPT TO:<user%elsewhere.test@petrel.test>").line())
                    .isEqualTo("554 5.7.1 <user%elsewhere.test@petrel.test>: Sender-specified routing is not accepted");
            assertThat(c.command("RCPT TO:<a@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("RCPT TO:<b@PETREL.TEST>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
        List<SpooledMessage> messages = server.messages();
        assertThat(messages).hasSize(1);
        Envelope e = messages.getFirst().envelope();
        assertThat(e.recipients()).extracting(r -> r.address().toString()).containsExactly("a@petrel.test", "b@PETREL.TEST");
        assertThat(e.authIdentity()).isNull();
        assertThat(e.listener()).isEqualTo("smtp");
    }

    @Test
    void mxRefusesRelayEvenAfterStartTls() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").line())
                    .isEqualTo("554 5.7.1 <x@elsewhere.test>: Relay access denied");
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void authenticatedSubmissionMayRelayAndTheEnvelopeCarriesTheIdentity() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse battery staple")).line())
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<x@elsewhere.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: out\r\n\r\nto the world\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
        List<SpooledMessage> messages = server.messages();
        assertThat(messages).hasSize(1);
        Envelope e = messages.getFirst().envelope();
        assertThat(e.authIdentity()).isEqualTo("alice");
        assertThat(e.listener()).isEqualTo("submission");
        assertThat(e.tls()).isNotNull();
        assertThat(e.tls().protocol()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(e.recipients()).extracting(r -> r.address().toString()).containsExactly("x@elsewhere.test");
    }

    @Test
    void submissionAdvertisesAuthOnlyAfterTlsAndRequiresBoth() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            SmtpTestClient.Response before = c.command("EHLO client.test");
            assertThat(before.code()).isEqualTo(250);
            assertThat(before.texts()).contains("STARTTLS");
            assertThat(before.texts()).noneMatch(t -> t.startsWith("AUTH"));

            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line())
                    .isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse battery staple")).line())
                    .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");

            c.startTls(server.clientTls());
            SmtpTestClient.Response after = c.command("EHLO client.test");
            assertThat(after.code()).isEqualTo(250);
            assertThat(after.texts()).contains("AUTH PLAIN LOGIN SCRAM-SHA-256");
            assertThat(after.texts()).doesNotContain("STARTTLS");

            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("RCPT TO:<a@petrel.test>").line()).isEqualTo("503 5.5.1 Send MAIL first");
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void commandPipelinedAfterStartTlsIsNotObeyed() throws Exception {
        // CVE-2011-0411: plaintext sent after STARTTLS in the same packet must be thrown away.
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.send("STARTTLS\r\nNOOP\r\n");
            assertThat(c.read().line()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.upgradeToTls(server.clientTls());
            // The first reply inside TLS answers our EHLO, not the injected NOOP.
            SmtpTestClient.Response r = c.command("EHLO client.test");
            assertThat(r.lines().getFirst()).isEqualTo("250-mx.petrel.test");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void implicitTlsSubmissionRequiresAuthButNotStartTls() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connectTls(server.clientTls(), server.submissionsPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            SmtpTestClient.Response ehlo = c.command("EHLO client.test");
            assertThat(ehlo.texts()).contains("AUTH PLAIN LOGIN SCRAM-SHA-256").doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("AUTH PLAIN " + plain("alice", "correct horse battery staple")).line())
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("250 2.1.0 Ok");
        }
    }
}
