package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.DkimKey;
import dev.petrel.config.PetrelConfig.DmarcAction;
import dev.petrel.config.PetrelConfig.MailAuth;
import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.arc.ArcResult;
import dev.petrel.mailauth.arc.ArcSealer;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.dkim.DkimSigner;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.mailauth.dkim.DkimVerifier;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestDnsServer;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * [mail_auth] and [[dkim]] over real sockets, with SPF, DKIM and DMARC records served by a real
 * DNS server on loopback: mail from outside to the mx listener is judged and recorded in an
 * Authentication-Results field (or refused, or quarantined, as DMARC asks); mail from our own
 * authenticated users leaves DKIM-signed.
 */
@Timeout(60)
class MailAuthIntegrationTest {
    private static final String AUTHSERV = "mx.petrel.test";

    @TempDir Path dir;
    private TestDnsServer dns;
    private TestServer server;
    private KeyPair senderKey;

    @BeforeEach
    void startDns() throws Exception {
        dns = TestDnsServer.start();
        senderKey = DkimKeys.generate(2048);
        // example.org signs with DKIM; its SPF does not cover us; p=reject.
        dns.addTxt("sel._domainkey.example.org", DkimKeys.keyRecord(senderKey.getPublic()));
        dns.addTxt("example.org", "v=spf1 -all");
        dns.addTxt("_dmarc.example.org", "v=DMARC1; p=reject");
        // quarantine.example: SPF covers 127.0.0.1 only from its subdomain, p=quarantine.
        dns.addTxt("quarantine.example", "v=spf1 -all");
        dns.addTxt("_dmarc.quarantine.example", "v=DMARC1; p=quarantine");
        // spf.example: SPF passes for loopback and aligns.
        dns.addTxt("spf.example", "v=spf1 ip4:127.0.0.0/8 -all");
        dns.addTxt("_dmarc.spf.example", "v=DMARC1; p=reject");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        dns.close();
    }

    private void start(MailAuth mailAuth) throws Exception {
        server = TestServer.start(dir, c -> {
            PetrelConfig.Delivery d = c.delivery();
            return c.withDelivery(c.queue(), new PetrelConfig.Delivery(d.enabled(), dns.address(), d.heloName(),
                    d.connectTimeout(), d.commandTimeout(), d.dataTimeout(), d.tls(), d.routes(), d.smarthost(), d.ipv6()),
                    c.local(), c.admin()).withMailAuth(mailAuth);
        });
    }

    private String send(String from, String message) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData(from, "someone@petrel.test");
            return c.command(message + ".").line();
        }
    }

    private byte[] signedByExampleOrg(String body) {
        MailMessage m = MailMessage.parse(("From: Alice <alice@example.org>\r\nTo: someone@petrel.test\r\n"
                + "Subject: signed\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        DkimSigner signer = DkimSigner.builder(Clock.systemUTC())
                .key(DkimSigningKey.of("example.org", "sel", senderKey.getPrivate())).build();
        return m.prepend(signer.sign(m)).bytes();
    }

    private static String text(SpooledMessage m) {
        return new String(m.content(), StandardCharsets.UTF_8);
    }

    @Test
    void alignedDkimPassesDmarcAndTheResultsHeaderGoesOnTopWhileForgedOnesAreRemoved() throws Exception {
        start(MailAuth.DEFAULTS);
        String forged = "Authentication-Results: MX.Petrel.Test; dkim=pass header.d=example.org\r\n"
                + "Authentication-Results: other.example; spf=pass\r\n";
        String signed = new String(signedByExampleOrg("Hello there.\r\n"), StandardCharsets.UTF_8);
        assertThat(send("alice@example.org", forged + signed)).startsWith("250 2.0.0 Ok: queued as ");
        String stored = text(server.messages().getFirst());
        assertThat(stored).startsWith("Authentication-Results: " + AUTHSERV + ";\r\n");
        String header = stored.substring(0, stored.indexOf("\r\nReceived: "));
        assertThat(header).contains("spf=fail").contains("smtp.mailfrom=alice@example.org")
                .contains("dkim=pass").contains("header.d=example.org").contains("header.s=sel")
                .contains("dmarc=pass").contains("header.from=example.org");
        assertThat(stored).as("the forged field claiming our authserv-id is gone, the other stays")
                .doesNotContain("MX.Petrel.Test; dkim=pass").contains("Authentication-Results: other.example; spf=pass\r\n");
        assertThat(server.messages().getFirst().envelope().quarantine()).isNull();
    }

    @Test
    void dmarcRejectRefusesTheMessageWhenTheBodyWasChangedAndNothingIsQueued() throws Exception {
        start(MailAuth.DEFAULTS);
        String signed = new String(signedByExampleOrg("Pay invoice 1.\r\n"), StandardCharsets.UTF_8);
        String tampered = signed.replace("Pay invoice 1.", "Pay invoice 2.");
        assertThat(send("alice@example.org", tampered)).isEqualTo(
                "550 5.7.1 Message rejected by the DMARC policy of example.org (neither SPF nor DKIM passed aligned with example.org)");
        assertThat(server.messages()).isEmpty();
        // Unsigned, from a domain whose SPF fails: refused too.
        assertThat(send("bob@example.org", "From: bob@example.org\r\nSubject: x\r\n\r\nhi\r\n")).startsWith("550 5.7.1 ");
        assertThat(server.messages()).isEmpty();
    }

    /**
     * What a mailing list does: receives example.org's signed mail (DMARC passes there), tags the
     * subject (which breaks the DKIM signature) and ARC-seals it with what it saw.
     */
    private String throughMailingList(KeyPair listKey) {
        MailMessage original = MailMessage.parse(signedByExampleOrg("Minutes attached.\r\n"));
        MailMessage tagged = MailMessage.parse(new String(original.bytes(), StandardCharsets.UTF_8)
                .replace("Subject: signed", "Subject: [team] signed").getBytes(StandardCharsets.UTF_8));
        ArcSealer list = new ArcSealer(DkimSigningKey.of("lists.example.net", "arc", listKey.getPrivate()), Clock.systemUTC());
        List<MailMessage.HeaderField> seal = list.seal(tagged,
                "lists.example.net; dkim=pass header.d=example.org; dmarc=pass header.from=example.org", ArcResult.none());
        return new String(tagged.prepend(seal).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aTrustedArcSealerThatSawDmarcPassOverridesTheRejectOfAForwardedMessage() throws Exception {
        KeyPair listKey = DkimKeys.generate(2048);
        dns.addTxt("arc._domainkey.lists.example.net", DkimKeys.keyRecord(listKey.getPublic()));
        start(new MailAuth(true, null, DmarcAction.POLICY, List.of(), null, List.of("lists.example.net")));

        assertThat(send("team-bounces@lists.example.net", throughMailingList(listKey))).startsWith("250 2.0.0 Ok: queued as ");
        String stored = text(server.messages().getFirst());
        String header = stored.substring(0, stored.indexOf("\r\nReceived: "));
        assertThat(header).as("the result is recorded as it is; only the action is overridden")
                .contains("dmarc=fail").contains("arc=pass");
        assertThat(server.messages().getFirst().envelope().quarantine()).isNull();
    }

    @Test
    void withoutTrustTheSameForwardedMessageIsRejected() throws Exception {
        KeyPair listKey = DkimKeys.generate(2048);
        dns.addTxt("arc._domainkey.lists.example.net", DkimKeys.keyRecord(listKey.getPublic()));
        start(MailAuth.DEFAULTS);
        assertThat(send("team-bounces@lists.example.net", throughMailingList(listKey))).startsWith("550 5.7.1 Message rejected by the DMARC policy");
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void dmarcQuarantineAcceptsButHoldsAndSpfAlignmentPasses() throws Exception {
        start(MailAuth.DEFAULTS);
        assertThat(send("eve@quarantine.example", "From: eve@quarantine.example\r\nSubject: q\r\n\r\nhi\r\n"))
                .startsWith("250 2.0.0 Ok: queued as ");
        assertThat(send("carol@spf.example", "From: carol@spf.example\r\nSubject: s\r\n\r\nhi\r\n"))
                .startsWith("250 2.0.0 Ok: queued as ");
        List<SpooledMessage> all = server.messages();
        SpooledMessage quarantined = all.stream().filter(m -> m.envelope().sender().domain().equals("quarantine.example")).findFirst().orElseThrow();
        SpooledMessage passed = all.stream().filter(m -> m.envelope().sender().domain().equals("spf.example")).findFirst().orElseThrow();
        assertThat(quarantined.envelope().quarantine()).isEqualTo("DMARC policy of quarantine.example (quarantine); rule=dmarc");
        assertThat(text(quarantined)).contains("dmarc=fail");
        assertThat(passed.envelope().quarantine()).isNull();
        assertThat(text(passed)).contains("spf=pass").contains("dmarc=pass");
    }

    @Test
    void dmarcActionNoneOnlyRecords() throws Exception {
        start(new MailAuth(true, null, DmarcAction.NONE, List.of()));
        assertThat(send("bob@example.org", "From: bob@example.org\r\nSubject: x\r\n\r\nhi\r\n")).startsWith("250 ");
        assertThat(text(server.messages().getFirst())).contains("dmarc=fail").contains("(p=reject");
    }

    @Test
    void mailWeForwardIsArcSealedWithTheResultsWeRecordedWhenItCameIn() throws Exception {
        KeyPair arcKey = DkimKeys.generate(2048);
        Path arcFile = dir.resolve("arc.pem");
        Files.writeString(arcFile, DkimKeys.toPem(arcKey.getPrivate()));
        DkimKey key = new DkimKey("petrel.test", "arc1", arcFile);
        server = TestServer.start(dir, c -> {
            PetrelConfig.Delivery d = c.delivery();
            // 127.0.0.2 is our mailing-list server: trusted, it sends list mail back out through us.
            return new PetrelConfig(c.source(), c.server(), c.smtp(), c.tls(), c.listeners(),
                    new PetrelConfig.Relay(c.relay().localDomains(), List.of(dev.petrel.message.IpNetwork.parse("127.0.0.2/32"))),
                    c.auth(), c.queue(), new PetrelConfig.Delivery(d.enabled(), dns.address(), d.heloName(), d.connectTimeout(),
                    d.commandTimeout(), d.dataTimeout(), d.tls(), d.routes(), d.smarthost(), d.ipv6()), c.local(), c.admin(),
                    c.policy(), new MailAuth(true, null, DmarcAction.POLICY, List.of(key), key));
        });
        assertThat(send("alice@example.org", new String(signedByExampleOrg("To the list.\r\n"), StandardCharsets.UTF_8)))
                .startsWith("250 ");
        byte[] received = server.messages().getFirst().content();
        String ourResults = MailMessage.parse(received).headers("Authentication-Results").getFirst().value();

        // The list server re-sends the message it got (our Authentication-Results on top) to a subscriber.
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), java.net.InetAddress.getByName("127.0.0.2"))) {
            c.startData("list-bounces@petrel.test", "subscriber@example.net");
            assertThat(c.command(new String(received, StandardCharsets.UTF_8) + ".").code()).isEqualTo(250);
        }
        MailMessage forwarded = server.messages().stream().map(m -> MailMessage.parse(m.content()))
                .filter(m -> !m.headers("ARC-Seal").isEmpty()).findFirst().orElseThrow();
        assertThat(forwarded.headers().subList(0, 3)).extracting(MailMessage.HeaderField::name)
                .containsExactly("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results");
        assertThat(forwarded.headers("ARC-Authentication-Results").getFirst().value()).isEqualTo("i=1; " + ourResults);
        assertThat(forwarded.headers("ARC-Seal").getFirst().value().replaceAll("\\s+", "")).contains("cv=none");
        MemoryResolver keys = new MemoryResolver().txt("arc1._domainkey.petrel.test", DkimKeys.keyRecord(arcKey.getPublic()));
        dev.petrel.mailauth.arc.ArcResult chain = new dev.petrel.mailauth.arc.ArcVerifier(keys, Clock.systemUTC()).verify(forwarded);
        assertThat(chain.kind()).as(String.valueOf(chain.reason())).isEqualTo(dev.petrel.mailauth.arc.ArcResult.Kind.PASS);
        assertThat(chain.instances()).isEqualTo(1);
    }

    @Test
    void authenticatedUsersMailLeavesDkimSignedWithEveryKeyOfItsFromDomain() throws Exception {
        KeyPair rsa = DkimKeys.generate(2048);
        KeyPair ed = DkimKeys.generate(0);
        Path rsaFile = dir.resolve("rsa.pem");
        Path edFile = dir.resolve("ed.pem");
        Files.writeString(rsaFile, DkimKeys.toPem(rsa.getPrivate()));
        Files.writeString(edFile, DkimKeys.toPem(ed.getPrivate()));
        start(new MailAuth(true, null, DmarcAction.POLICY, List.of(
                new DkimKey("petrel.test", "rsa1", rsaFile), new DkimKey("petrel.test", "ed1", edFile))));
        server.addUser("alice", "secret");
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("AUTH PLAIN " + RelayAndSubmissionTest.plain("alice", "secret")).code()).isEqualTo(235);
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<dave@example.net>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("From: Alice <alice@petrel.test>\r\nTo: dave@example.net\r\nSubject: report\r\n\r\nnumbers\r\n.").code())
                    .isEqualTo(250);
        }
        MailMessage stored = MailMessage.parse(server.messages().getFirst().content());
        assertThat(stored.headers().subList(0, 3)).extracting(MailMessage.HeaderField::name)
                .containsExactly("DKIM-Signature", "DKIM-Signature", "Received");
        assertThat(stored.headers("Authentication-Results")).as("our own users' mail is not judged").isEmpty();
        MemoryResolver keys = new MemoryResolver()
                .txt("rsa1._domainkey.petrel.test", DkimKeys.keyRecord(rsa.getPublic()))
                .txt("ed1._domainkey.petrel.test", DkimKeys.keyRecord(ed.getPublic()));
        assertThat(new DkimVerifier(keys, Clock.systemUTC()).verify(stored))
                .extracting(DkimResult::kind, DkimResult::selector, DkimResult::algorithm)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DkimResult.Kind.PASS, "rsa1", "rsa-sha256"),
                        org.assertj.core.groups.Tuple.tuple(DkimResult.Kind.PASS, "ed1", "ed25519-sha256"));
    }
}
