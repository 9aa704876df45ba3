package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.message.IpNetwork;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * [[listener]] proxy_protocol over real sockets: behind a load balancer the client it names is the
 * client for every check and record, and only the listed balancers may name one.
 */
@Timeout(60)
class ProxyProtocolTest {
    @TempDir Path dir;

    /** The mx listener behind a "load balancer" at 127.0.0.1; loopback is a trusted network, as it often is. */
    private TestServer start() throws Exception {
        return TestServer.start(dir, c -> {
            List<Listener> ls = new ArrayList<>();
            for (Listener l : c.listeners()) {
                ls.add(l.name().equals("smtp") ? new Listener(l.name(), l.address(), l.mode(), l.tls(), l.policy(),
                        List.of(IpNetwork.parse("127.0.0.1/32"))) : l);
            }
            PetrelConfig p = c.withListeners(ls);
            return new PetrelConfig(p.source(), p.server(), p.smtp(), p.tls(), p.listeners(),
                    new PetrelConfig.Relay(c.relay().localDomains(), List.of(IpNetwork.parse("127.0.0.0/8"))), p.auth(),
                    p.queue(), p.delivery(), p.local(), p.admin(), p.policy(), p.mailAuth());
        });
    }

    private static SmtpTestClient behindBalancer(TestServer server, byte[] header) throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(server.mxPort());
        c.socket().getOutputStream().write(header);
        return c;
    }

    private static byte[] v1(String client) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theNamedClientIsTheClientInTheEnvelopeAndTheReceivedHeader() throws Exception {
        try (TestServer server = start(); SmtpTestClient c = behindBalancer(server, v1("198.51.100.7"))) {
            c.startData("a@example.org", "b@petrel.test");
            assertThat(c.command("Subject: via the balancer\r\n\r\nhi\r\n.").code()).isEqualTo(250);
            SpooledMessage m = server.messages().getFirst();
            assertThat(m.envelope().client()).isEqualTo(InetAddress.getByName("198.51.100.7"));
            assertThat(new String(m.content(), StandardCharsets.UTF_8)).contains("([198.51.100.7])");
        }
    }

    @Test
    void aClientFromOutsideCannotRelayJustBecauseTheBalancerIsOnATrustedNetwork() throws Exception {
        try (TestServer server = start(); SmtpTestClient c = behindBalancer(server, v1("198.51.100.7"))) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.example.org").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<someone@elsewhere.example>").code()).isEqualTo(554);
        }
        try (TestServer server = start(); SmtpTestClient c = behindBalancer(server, v1("127.0.0.9"))) {
            c.startData("a@example.org", "someone@elsewhere.example"); // a client on the trusted network relays
            assertThat(c.command("Subject: x\r\n\r\nhi\r\n.").code()).isEqualTo(250);
        }
    }

    @Test
    void version2HeadersWorkToo() throws Exception {
        byte[] header = ProxyHeaderTest.v2Tcp4(new byte[] {(byte) 198, 51, 100, 8}, new byte[] {127, 0, 0, 1}, 40001, 25, 1, new byte[0]);
        try (TestServer server = start(); SmtpTestClient c = behindBalancer(server, header)) {
            c.startData("a@example.org", "b@petrel.test");
            assertThat(c.command("Subject: v2\r\n\r\nhi\r\n.").code()).isEqualTo(250);
            assertThat(server.messages().getFirst().envelope().client()).isEqualTo(InetAddress.getByName("198.51.100.8"));
        }
    }

    @Test
    void onlyTheListedBalancersAreServedAndAMissingHeaderClosesTheConnection() throws Exception {
        try (TestServer server = start()) {
            try (Socket direct = new Socket()) {
                direct.bind(new InetSocketAddress("127.0.0.2", 0));
                direct.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.mxPort()));
                direct.setSoTimeout(10_000);
                assertThat(new String(direct.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("not in proxy_from: refused, then closed")
                        .isEqualTo("554 5.7.1 Connections to this port must come through the load balancer\r\n");
            }
            try (Socket noHeader = new Socket(InetAddress.getLoopbackAddress(), server.mxPort())) {
                noHeader.setSoTimeout(10_000);
                noHeader.getOutputStream().write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = noHeader.getInputStream();
                assertThat(in.read()).as("no PROXY header: closed without a greeting").isEqualTo(-1);
            }
            assertThat(server.messages()).isEmpty();
        }
    }
}
