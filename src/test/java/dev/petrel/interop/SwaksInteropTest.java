package dev.petrel.interop;

import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.tls.SelfSignedCertificate;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.petrel.interop.ExternalTool.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * swaks, the admin's SMTP swiss-army knife, against each listener. This Debian swaks
 * (20201014) has {@code --pipeline} but no BDAT/CHUNKING and no way to put SMTPUTF8 on MAIL
 * FROM; CHUNKING is driven over a raw socket in {@link ChunkingRawSocketTest} and SMTPUTF8 is
 * sent with Python in {@link PythonSmtplibInteropTest}. Here swaks shows what an old client
 * that does not know SMTPUTF8 gets for a UTF-8 address.
 */
@Timeout(60)
class SwaksInteropTest {
    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final byte[] DATA = ("From: alice@petrel.test\r\n"
            + "To: bob@elsewhere.test\r\n"
            + "Subject: from swaks\r\n"
            + "Message-ID: <swaks-1@client.petrel.test>\r\n"
            + "\r\n"
            + "hello from swaks\r\n"
            + ".a dotted line\r\n"
            + "bye\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeAll
    static void swaksInstalled() {
        // CI installs swaks; this only spares a developer machine without it.
        assumeTrue(ExternalTool.which("swaks") != null, "swaks is not installed");
    }

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir.resolve("server"));
        server.addUser("alice", "pa55 word");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void authLoginOverStartTlsOnSubmission() throws Exception {
        // swaks ends DATA with CRLF "." CRLF after whatever it read, so the file leaves off the
        // final CRLF (with it, the message would gain an empty last line, as swaks's own log shows).
        Path data = dir.resolve("data.eml");
        Files.write(data, java.util.Arrays.copyOf(DATA, DATA.length - 2));
        ExternalTool.Result r = swaks("--port " + server.submissionPort()
                + " -tls --tls-verify --tls-ca-path " + sh(server.certificateFile().toString())
                + " --auth LOGIN --auth-user alice --auth-password " + sh("pa55 word")
                + " --from alice@petrel.test --to bob@elsewhere.test --data " + sh(data.toString()));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output()).as(r.toString())
                .contains("<-  220 2.0.0 Ready to start TLS", "~> AUTH LOGIN", "<~  235 2.7.0 Authentication successful");
        SpooledMessage m = onlyMessage();
        assertThat(r.output()).contains("<~  250 2.0.0 Ok: queued as " + m.id().value());
        assertThat(m.envelope().authIdentity()).isEqualTo("alice");
        assertThat(m.envelope().sender()).hasToString("alice@petrel.test");
        assertThat(m.envelope().recipients()).extracting(x -> x.address().toString()).containsExactly("bob@elsewhere.test");
        assertThat(m.envelope().helo()).isEqualTo("client.petrel.test");
        assertThat(m.envelope().tls().protocol()).isEqualTo("TLSv1.3");
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTPSA");
        assertThat(spooled.original()).as(r.toString()).isEqualTo(DATA);
    }

    @Test
    void tlsVerifyReallyChecksTheCertificate() throws Exception {
        // The positive test above trusts the server because of --tls-ca-path; a CA that did not
        // sign the certificate must make swaks give up, or that test would prove nothing.
        Path otherDir = dir.resolve("other");
        SelfSignedCertificate.loadOrCreate(otherDir, TestServer.HOSTNAME);
        Path otherCa = SelfSignedCertificate.certificateFile(otherDir);
        ExternalTool.Result r = swaks("--port " + server.submissionPort()
                + " -tls --tls-verify --tls-ca-path " + sh(otherCa.toString())
                + " --auth LOGIN --auth-user alice --auth-password " + sh("pa55 word")
                + " --from alice@petrel.test --to bob@elsewhere.test");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.output()).as(r.toString()).doesNotContain("AUTH LOGIN");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void pipelinedTransactionOnMxToLocalRecipients() throws Exception {
        ExternalTool.Result r = swaks("--port " + server.mxPort() + " --pipeline"
                + " --from sender@remote.test --to a@petrel.test,b@petrel.test");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.output().lines().toList();
        assertThat(lines).as(r.toString()).contains("<-  250-PIPELINING");
        // Pipelined: swaks sent MAIL and both RCPTs before it read the reply to MAIL.
        int lastRcpt = lastIndexStartingWith(lines, " -> RCPT TO:<b@petrel.test>");
        int mailReply = lastIndexStartingWith(lines, "<-  250 2.1.0 Ok");
        assertThat(lastRcpt).as(r.toString()).isPositive();
        assertThat(mailReply).as(r.toString()).isGreaterThan(lastRcpt);
        assertThat(lines.stream().filter(l -> l.equals("<-  250 2.1.5 Ok"))).as(r.toString()).hasSize(2);

        SpooledMessage m = onlyMessage();
        assertThat(r.output()).contains("250 2.0.0 Ok: queued as " + m.id().value());
        assertThat(m.envelope().sender()).hasToString("sender@remote.test");
        assertThat(m.envelope().recipients()).extracting(x -> x.address().toString())
                .containsExactly("a@petrel.test", "b@petrel.test");
        assertThat(m.envelope().authIdentity()).isNull();
        assertThat(m.envelope().tls()).isNull();
        Spooled spooled = Spooled.split(m.content());
        assertThat(spooled.withKeyword()).isEqualTo("ESMTP");
        assertThat(spooled.received()).as("two recipients are not named").doesNotContain("for <");
        assertThat(spooled.originalText()).contains("To: a@petrel.test,b@petrel.test", "X-Mailer: swaks");
    }

    @Test
    void relayToAnotherDomainWithoutAuthIsRefused() throws Exception {
        ExternalTool.Result r = swaks("--port " + server.mxPort()
                + " --from spammer@remote.test --to someone@elsewhere.test");

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.output()).as(r.toString())
                .contains("<** 554 5.7.1 <someone@elsewhere.test>: Relay access denied");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void utf8AddressFromAClientWithoutSmtpUtf8IsRefusedWithAHint() throws Exception {
        ExternalTool.Result r = swaks("--port " + server.mxPort() + " --from sender@remote.test --to " + sh("用户@petrel.test"));

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.output()).as(r.toString()).contains("250-SMTPUTF8",
                "<** 553 5.6.7 Address contains UTF-8; send MAIL FROM with the SMTPUTF8 parameter");
        assertThat(server.messages()).isEmpty();
    }

    private ExternalTool.Result swaks(String options) throws Exception {
        return ExternalTool.runScript(dir, LIMIT, "exec swaks --server 127.0.0.1 --ehlo client.petrel.test"
                + " --timeout 20 " + options + "\n");
    }

    private SpooledMessage onlyMessage() throws IOException {
        List<SpooledMessage> all = server.messages();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) return i;
        }
        return -1;
    }
}
