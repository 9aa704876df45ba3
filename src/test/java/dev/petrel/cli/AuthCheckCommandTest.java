package dev.petrel.cli;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code petrel auth check} run in-process against {@link TestDnsServer}: the header it prints. */
class AuthCheckCommandTest {
    @TempDir Path dir;
    private TestDnsServer dns;
    private KeyPair key;
    private CliRun cli;

    @BeforeEach
    void start() throws Exception {
        key = DkimKeys.generate(0);
        dns = TestDnsServer.start();
        cli = new CliRun(dns, "auth", "check");
        dns.addTxt("ed._domainkey.example.com", DkimKeys.keyRecord(key.getPublic()))
                .addTxt("example.com", "v=spf1 ip4:192.0.2.1 -all")
                .addTxt("_dmarc.example.com", "v=DMARC1; p=quarantine; sp=reject");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Path signedMessage() throws Exception {
        MailMessage m = MailMessage.parse("From: a@example.com\r\nTo: b@example.net\r\nSubject: hi\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        DkimSigner signer = DkimSigner.builder(Clock.systemUTC()).key(DkimSigningKey.of("example.com", "ed", key.getPrivate())).build();
        Path file = dir.resolve("msg.eml");
        Files.write(file, m.prepend(signer.sign(m)).bytes());
        return file;
    }

    @Test
    void printsTheWholeHeaderForAPassingMessage() throws Exception {
        Path file = signedMessage();
        assertThat(cli.run(file.toString(), "--ip", "192.0.2.1", "--mail-from", "a@example.com", "--helo", "mail.example.com",
                "--authserv-id", "mx.example.net")).isZero();
        String header = cli.out();
        assertThat(header).startsWith("Authentication-Results: mx.example.net;\n").endsWith("\n");
        String unfolded = header.replaceAll("\n\\s+", " ");
        assertThat(unfolded).contains("spf=pass smtp.mailfrom=a@example.com")
                .contains("dkim=pass").contains("header.d=example.com").contains("header.a=ed25519-sha256")
                .contains("dmarc=pass").contains("header.from=example.com");
    }

    @Test
    void aChangedBodyFailsDkimAndFromAnotherIpDmarcFails() throws Exception {
        Path file = signedMessage();
        Files.writeString(file, Files.readString(file).replace("body", "b0dy"));
        assertThat(cli.run(file.toString(), "--ip", "203.0.113.9", "--mail-from", "<a@example.com>", "--helo", "x.example")).isZero();
        String unfolded = cli.out().replaceAll("\n\\s+", " ");
        assertThat(unfolded).startsWith("Authentication-Results: localhost;")
                .contains("spf=fail").contains("dkim=fail").contains("dmarc=fail").contains("p=quarantine");
    }

    @Test
    void unreadableFileExitsOneAndBadIpExitsTwo() {
        assertThat(cli.run(dir.resolve("missing.eml").toString(), "--ip", "192.0.2.1", "--mail-from", "", "--helo", "h")).isEqualTo(1);
        assertThat(cli.err()).contains("cannot read");
        assertThat(cli.run(dir.resolve("missing.eml").toString(), "--ip", "not-an-ip", "--mail-from", "", "--helo", "h")).isEqualTo(2);
    }
}
