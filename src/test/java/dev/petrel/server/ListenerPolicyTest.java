package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerPolicy;
import dev.petrel.message.IpNetwork;
import dev.petrel.testkit.TestDnsServer;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * [[listener]] policy keys over real sockets: the mx listener (port 25 style) gets stricter
 * settings while the submission listeners keep the global ones, and each refusal says why.
 */
@Timeout(60)
class ListenerPolicyTest {
    @TempDir Path dir;

    /** The test server with {@code policy} on its mx listener only. */
    private TestServer start(ListenerPolicy policy) throws Exception {
        return TestServer.start(dir, c -> start(c, policy));
    }

    private static PetrelConfig start(PetrelConfig c, ListenerPolicy policy) {
        List<Listener> ls = new ArrayList<>();
        for (Listener l : c.listeners()) {
            ls.add(l.name().equals("smtp") ? new Listener(l.name(), l.address(), l.mode(), l.tls(), policy) : l);
        }
        return c.withListeners(ls);
    }

    @Test
    void rejectUnknownHeloDefersANameDnsDoesNotKnowButNotOurNetworksOrAddressLiterals() throws Exception {
        ListenerPolicy unknownHelo = new ListenerPolicy(null, null, null, false, true, true, false, true);
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.addA("mail.client.test", "192.0.2.10").addMx("mx-only.client.test", 10, "mail.client.test")
                    .servfail("broken.client.test");
            try (TestServer server = TestServer.start(dir, c -> {
                PetrelConfig withPolicy = start(c, unknownHelo);
                PetrelConfig.Delivery d = withPolicy.delivery();
                PetrelConfig withDns = withPolicy.withDelivery(withPolicy.queue(), new PetrelConfig.Delivery(d.enabled(), dns.address(),
                        d.heloName(), d.connectTimeout(), d.commandTimeout(), d.dataTimeout(), d.tls(), d.routes(), d.smarthost(),
                        d.ipv6()), withPolicy.local(), withPolicy.admin());
                return new PetrelConfig(withDns.source(), withDns.server(), withDns.smtp(), withDns.tls(), withDns.listeners(),
                        new PetrelConfig.Relay(c.relay().localDomains(), List.of(IpNetwork.parse("127.0.0.2/32"))), withDns.auth(),
                        withDns.queue(), withDns.delivery(), withDns.local(), withDns.admin(), withDns.policy(), withDns.mailAuth());
            })) {
                assertThat(helo(server, null, "nowhere.client.test"))
                        .isEqualTo("450 4.7.1 <nowhere.client.test>: Helo command rejected: Host not found");
                assertThat(helo(server, null, "mail.client.test")).startsWith("250");
                assertThat(helo(server, null, "mx-only.client.test")).startsWith("250");
                assertThat(helo(server, null, "[192.0.2.10]")).startsWith("250");
                assertThat(helo(server, null, "broken.client.test")).as("a DNS failure never blocks mail").startsWith("250");
                assertThat(helo(server, InetAddress.getByName("127.0.0.2"), "nowhere.client.test"))
                        .as("a trusted network is exempt").startsWith("250");
                assertThat(helo(server.submissionPort(), null, "nowhere.client.test"))
                        .as("the other listeners keep the global settings").startsWith("250");
            }
        }
    }

    private static String helo(TestServer server, InetAddress from, String name) throws Exception {
        return helo(server.mxPort(), from, name);
    }

    private static String helo(int port, InetAddress from, String name) throws Exception {
        try (SmtpTestClient c = from == null ? SmtpTestClient.connect(port) : SmtpTestClient.connect(port, from)) {
            assertThat(c.read().code()).isEqualTo(220);
            return c.command("EHLO " + name).lines().getFirst();
        }
    }

    @Test
    void requireTlsRefusesMailBeforeStarttlsOnThatListenerOnly() throws Exception {
        try (TestServer server = start(new ListenerPolicy(null, null, null, true, true, true, false))) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                assertThat(c.command("MAIL FROM:<a@example.org>").line()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
                c.startTls(server.clientTls());
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<b@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("DATA").code()).isEqualTo(354);
                assertThat(c.command("Subject: x\r\n\r\nhi\r\n.").code()).isEqualTo(250);
            }
            assertThat(server.messages()).hasSize(1);
            assertThat(server.messages().getFirst().envelope().tls()).isNotNull();
        }
    }

    @Test
    void sizeAndRecipientLimitsPerListener() throws Exception {
        try (TestServer server = start(new ListenerPolicy(2000L, 2, null, false, true, true, false))) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").lines()).contains("250-SIZE 2000");
                assertThat(c.command("MAIL FROM:<a@example.org> SIZE=5000").line())
                        .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size of 2000 octets");
                assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<b@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<c@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<d@petrel.test>").line()).startsWith("452 4.5.3 ");
                assertThat(c.command("DATA").code()).isEqualTo(354);
                assertThat(c.command("Subject: big\r\n\r\n" + "x".repeat(70).concat("\r\n").repeat(40) + ".").line())
                        .startsWith("552 5.3.4 ");
            }
            // The submission listener keeps the global 25 MiB.
            try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").lines()).contains("250-SIZE " + (25L * 1024 * 1024));
            }
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void nonFqdnHeloIsRefusedWhereAskedFor() throws Exception {
        try (TestServer server = start(new ListenerPolicy(null, null, null, false, true, true, true))) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO localhost").line()).isEqualTo("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname");
                assertThat(c.command("EHLO 192.0.2.1").line()).isEqualTo("504 5.5.2 <192.0.2.1>: Helo command rejected: need fully-qualified hostname");
                assertThat(c.command("EHLO bad_name.example").line()).isEqualTo("501 5.5.2 <bad_name.example>: Helo command rejected: Invalid name");
                assertThat(c.command("EHLO [300.1.1.1]").line()).isEqualTo("501 5.5.2 <[300.1.1.1]>: Helo command rejected: Invalid name");
                assertThat(c.command("MAIL FROM:<a@example.org>").line()).startsWith("503 5.5.1 ");
                assertThat(c.command("EHLO [127.0.0.1]").code()).isEqualTo(250);
                assertThat(c.command("HELO mail.client.example.").code()).isEqualTo(250);
            }
            // Not asked for on the submission listener.
            try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO localhost").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void greetPausePerListener() throws Exception {
        try (TestServer server = start(new ListenerPolicy(null, null, Duration.ofMillis(400), false, true, true, false))) {
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                c.send("EHLO early.test\r\n");
                assertThat(c.read().line()).isEqualTo("554 5.5.1 Protocol error: client sent data before the greeting");
            }
            long start = System.nanoTime();
            try (SmtpTestClient c = SmtpTestClient.connect(server.submissionPort())) {
                assertThat(c.read().code()).isEqualTo(220);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
        }
    }
}
