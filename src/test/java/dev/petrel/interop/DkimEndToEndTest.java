package dev.petrel.interop;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.server.tls.InsecureTrustAll;
import dev.petrel.testkit.TestDnsServer;
import dev.petrel.testkit.TestPetrel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static dev.petrel.config.PetrelConfig.ListenerMode.MX;
import static dev.petrel.config.PetrelConfig.ListenerMode.SUBMISSION;
import static dev.petrel.config.PetrelConfig.TlsMode.STARTTLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path of a signed message between two Petrels, as between two companies: alice submits
 * on the sender's 587-style listener with STARTTLS and AUTH; that Petrel DKIM-signs for
 * example.com and relays over SMTP to the other Petrel's mx listener, which looks up the key, SPF
 * and DMARC in (test) DNS and records the verdict. The sender's SPF does not cover loopback, so
 * DMARC passes on the aligned DKIM signature alone.
 */
@Timeout(120)
class DkimEndToEndTest {
    @TempDir Path dir;
    private TestDnsServer dns;
    private TestPetrel sender;
    private TestPetrel receiver;

    @AfterEach
    void stop() {
        if (sender != null) sender.close();
        if (receiver != null) receiver.close();
        if (dns != null) dns.close();
    }

    @Test
    void submittedMailLeavesSignedAndVerifiesAtTheReceivingMx() throws Exception {
        KeyPair key = DkimKeys.generate(2048);
        dns = TestDnsServer.start();
        dns.addTxt("s2026._domainkey.example.com", DkimKeys.keyRecord(key.getPublic()));
        dns.addTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        dns.addTxt("_dmarc.example.com", "v=DMARC1; p=reject");

        Path receiverDir = Files.createDirectories(dir.resolve("receiver"));
        receiver = TestPetrel.start(receiverDir, """
                [server]
                hostname = "mx.example.net"
                data_dir = "data"

                [relay]
                local_domains = ["example.net"]
                trusted_networks = []

                [local]
                users = ["bob"]

                [delivery]
                enabled = false
                resolver = "127.0.0.1:%d"
                """.formatted(dns.address().getPort()), TestPetrel.listener("mx", MX, STARTTLS));

        Path senderDir = Files.createDirectories(dir.resolve("sender"));
        Files.writeString(senderDir.resolve("example.com.s2026.pem"), DkimKeys.toPem(key.getPrivate()));
        sender = TestPetrel.start(senderDir, """
                [server]
                hostname = "out.example.com"
                data_dir = "data"

                [relay]
                local_domains = ["example.com"]

                [auth]
                failure_delay = "10ms"

                [[dkim]]
                domain = "example.com"
                selector = "s2026"
                private_key = "example.com.s2026.pem"

                [[delivery.route]]
                domain = "example.net"
                to = "127.0.0.1:%d"
                """.formatted(receiver.port("mx")), TestPetrel.listener("submission", SUBMISSION, STARTTLS));
        sender.addUser("alice", "correct horse");

        try (SmtpTestClient c = SmtpTestClient.connect(sender.port("submission"))) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO laptop.example.com").code()).isEqualTo(250);
            c.startTls(InsecureTrustAll.clientContext());
            assertThat(c.command("EHLO laptop.example.com").code()).isEqualTo(250);
            String plain = Base64.getEncoder().encodeToString("\0alice\0correct horse".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
            assertThat(c.command("MAIL FROM:<alice@example.com>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<bob@example.net>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("From: Alice <alice@example.com>\r\nTo: Bob <bob@example.net>\r\nSubject: Contract\r\n"
                    + "Date: Sun, 29 Nov 2026 08:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n"
                    + "Signed, sealed, delivered.\r\n.").code()).isEqualTo(250);
        }
        sender.awaitQueueEmpty(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.queued().isEmpty());

        SpooledMessage arrived = receiver.queued().getFirst();
        MailMessage m = MailMessage.parse(arrived.content());
        assertThat(m.headers()).extracting(MailMessage.HeaderField::name)
                .startsWith("Authentication-Results", "Received", "DKIM-Signature", "Received");
        String results = m.headers("Authentication-Results").getFirst().value();
        assertThat(results).startsWith("mx.example.net;")
                .contains("spf=fail").contains("smtp.mailfrom=alice@example.com")
                .contains("dkim=pass").contains("header.d=example.com").contains("header.s=s2026").contains("header.a=rsa-sha256")
                .contains("dmarc=pass").contains("header.from=example.com");
        assertThat(arrived.envelope().quarantine()).isNull();
        List<String> dkimTags = List.of(m.headers("DKIM-Signature").getFirst().value().replaceAll("\\s+", "").split(";"));
        assertThat(dkimTags).contains("d=example.com", "s=s2026", "c=relaxed/relaxed");
    }
}
