package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Dnsbl;
import dev.petrel.config.PetrelConfig.DnsblStage;
import dev.petrel.message.IpNetwork;
import dev.petrel.testkit.TestDnsServer;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * [[dnsbl]] over real sockets: the server asks a real (test) DNS server about clients that connect
 * from 127.0.0.2 (listed) and 127.0.0.3 (not listed). Loopback is not exempt by itself; only
 * trusted networks are, and the test server trusts none.
 */
@Timeout(60)
class DnsblIntegrationTest {
    private static final InetAddress LISTED = loopback("127.0.0.2");
    private static final InetAddress CLEAN = loopback("127.0.0.3");

    @TempDir Path dir;
    private TestDnsServer dns;
    private TestServer server;

    @BeforeEach
    void startDns() throws Exception {
        dns = TestDnsServer.start();
        dns.addA("2.0.0.127.bl.test", "127.0.0.2");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        dns.close();
    }

    private void start(DnsblStage stage, String reply, List<IpNetwork> trusted) throws Exception {
        Dnsbl list = new Dnsbl("bl.test", stage, reply, List.of());
        server = TestServer.start(dir, c -> withDns(c, list, trusted));
    }

    /** The DNSBL, the test DNS server as delivery.resolver (the server's resolver when none is passed), trusted networks. */
    private PetrelConfig withDns(PetrelConfig c, Dnsbl list, List<IpNetwork> trusted) {
        PetrelConfig.Policy p = c.policy();
        PetrelConfig.Delivery d = c.delivery();
        PetrelConfig.Delivery delivery = new PetrelConfig.Delivery(d.enabled(), dns.address(), d.heloName(), d.connectTimeout(),
                d.commandTimeout(), d.dataTimeout(), d.tls(), d.routes(), d.smarthost(), d.ipv6());
        PetrelConfig withDns = c.withPolicy(new PetrelConfig.Policy(p.senders(), p.limits(), p.rates(), List.of(list)))
                .withDelivery(c.queue(), delivery, c.local(), c.admin());
        return new PetrelConfig(withDns.source(), withDns.server(), withDns.smtp(), withDns.tls(), withDns.listeners(),
                new PetrelConfig.Relay(c.relay().localDomains(), trusted), withDns.auth(), withDns.queue(),
                withDns.delivery(), withDns.local(), withDns.admin(), withDns.policy(), withDns.mailAuth());
    }

    @Test
    void clientThatTalksWhileTheConnectCheckRunsIsRefusedAsAPregreetEvenWithoutGreetPause() throws Exception {
        dns.drop("3.0.0.127.bl.test"); // the lookup for CLEAN times out after 3 s: mail still flows, but later
        start(DnsblStage.CONNECT, "Blocked", List.of());
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), CLEAN)) {
            c.send("EHLO early.test\r\nMAIL FROM:<a@x.test>\r\n");
            assertThat(c.read().lines()).containsExactly("554 5.5.1 Protocol error: client sent data before the greeting");
            assertThat(c.closedByServer()).isTrue();
        }
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), CLEAN)) {
            assertThat(c.read().code()).isEqualTo(220); // a client that waits is served after the timeout
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void quarantineActionAcceptsAListedClientsMailButHoldsIt() throws Exception {
        Dnsbl list = new Dnsbl("bl.test", DnsblStage.RCPT, "unused", List.of(), PetrelConfig.DnsblAction.QUARANTINE);
        server = TestServer.start(dir, c -> withDns(c, list, List.of()));
        for (InetAddress client : List.of(LISTED, CLEAN)) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), client)) {
                c.startData("sender@example.org", "someone@petrel.test");
                assertThat(c.command("Subject: hi\r\n\r\nhello\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            }
        }
        assertThat(server.messages()).extracting(m -> m.envelope().client().getHostAddress() + " " + m.envelope().quarantine())
                .containsExactlyInAnyOrder("127.0.0.2 client 127.0.0.2 listed in bl.test; rule=dnsbl:bl.test", "127.0.0.3 null");
    }

    @Test
    void connectStageRefusesAListedClientInsteadOfTheGreeting() throws Exception {
        start(DnsblStage.CONNECT, "Blocked: $ip is listed in $zone", List.of());
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), LISTED)) {
            assertThat(c.read().lines()).containsExactly("554 5.7.1 Blocked: 127.0.0.2 is listed in bl.test");
            assertThat(c.closedByServer()).isTrue();
        }
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), CLEAN)) {
            assertThat(c.read().code()).isEqualTo(220);
        }
        // Submission clients authenticate instead; they often sit on listed dynamic addresses.
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort(), LISTED)) {
            assertThat(c.read().code()).isEqualTo(220);
        }
    }

    @Test
    void rcptStageRefusesEachRecipientButPostmaster() throws Exception {
        start(DnsblStage.RCPT, "Service unavailable; client [$ip] blocked using $zone", List.of());
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), LISTED)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<b@petrel.test>").line())
                    .isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.test");
            assertThat(c.command("RCPT TO:<c@petrel.test>").code()).isEqualTo(554);
            assertThat(c.command("DATA").code()).isEqualTo(554); // no valid recipients
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<Postmaster@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("QUIT").code()).isEqualTo(221);
        }
        assertThat(server.messages()).isEmpty();
        assertThat(dns.count("2.0.0.127.bl.test", "A")).isEqualTo(1); // cached for the session's later RCPTs
    }

    @Test
    void authenticatedClientsAreExemptAtRcpt() throws Exception {
        start(DnsblStage.RCPT, "blocked", List.of());
        server.addUser("alice", "secret-password");
        try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort(), LISTED)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            String plain = Base64.getEncoder().encodeToString("\0alice\0secret-password".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain).code()).isEqualTo(235);
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
        }
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void dnsThatNeverAnswersDoesNotBlockMail() throws Exception {
        dns.drop("2.0.0.127.bl.test");
        start(DnsblStage.RCPT, "blocked", List.of());
        long start = System.nanoTime();
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), LISTED)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<s@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: x\r\n\r\nhi\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.messages()).hasSize(1);
        assertThat(dns.count("2.0.0.127.bl.test", "A")).isPositive();
    }

    @Test
    void trustedNetworksAreNotChecked() throws Exception {
        start(DnsblStage.CONNECT, "blocked", List.of(IpNetwork.parse("127.0.0.2/32")));
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), LISTED)) {
            assertThat(c.read().code()).isEqualTo(220);
        }
        assertThat(dns.queries()).isEmpty();
    }

    private static InetAddress loopback(String ip) {
        try {
            return InetAddress.getByAddress(ip, InetAddress.getByName(ip).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
