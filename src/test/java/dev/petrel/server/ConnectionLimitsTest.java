package dev.petrel.server;

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
import static org.awaitility.Awaitility.await;

/** max_connections and max_connections_per_ip over real sockets, from several loopback source addresses. */
@Timeout(60)
class ConnectionLimitsTest {
    private static final InetAddress LO1 = address("127.0.0.1");
    private static final InetAddress LO2 = address("127.0.0.2");
    private static final InetAddress LO3 = address("127.0.0.3");

    @TempDir Path dir;

    @Test
    void thirdConnectionFromOneIpIsRefusedAndASlotFreesWhenOneCloses() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.connectionLimits(c, 100, 2))) {
            int port = server.mxPort();
            SmtpTestClient a = admitted(port, LO1);
            SmtpTestClient b = admitted(port, LO1);
            try (SmtpTestClient c = SmtpTestClient.connect(port, LO1)) {
                assertThat(c.read().line()).isEqualTo("421 4.7.0 Too many connections from your address, try again later");
                assertThat(c.closedByServer()).isTrue();
            }
            // Another address is not affected by 127.0.0.1's limit.
            try (SmtpTestClient other = admitted(port, LO2)) {
                assertThat(other.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 2);

            assertThat(a.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
            a.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 1);
            try (SmtpTestClient again = admitted(port, LO1)) {
                assertThat(again.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            }
            b.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 0);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void connectionOverTheTotalLimitIsRefusedWhateverItsAddress() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.connectionLimits(c, 3, 2))) {
            int port = server.mxPort();
            List<SmtpTestClient> open = new ArrayList<>();
            open.add(admitted(port, LO1));
            open.add(admitted(port, LO1));
            open.add(admitted(port, LO2));
            try (SmtpTestClient fourth = SmtpTestClient.connect(port, LO3)) {
                assertThat(fourth.read().line()).isEqualTo("421 4.7.0 Too many connections, try again later");
                assertThat(fourth.closedByServer()).isTrue();
            }
            // The limit covers all listeners together.
            try (SmtpTestClient sub = SmtpTestClient.connect(server.submissionPort(), LO3)) {
                assertThat(sub.read().line()).isEqualTo("421 4.7.0 Too many connections, try again later");
                assertThat(sub.closedByServer()).isTrue();
            }
            assertThat(server.server().openConnections()).isEqualTo(3);

            open.remove(2).close(); // the one from 127.0.0.2
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 2);
            try (SmtpTestClient fourth = admitted(port, LO3)) {
                assertThat(fourth.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            }
            for (SmtpTestClient c : open) c.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 0);
        }
    }

    private static SmtpTestClient admitted(int port, InetAddress from) throws Exception {
        SmtpTestClient c = SmtpTestClient.connect(port, from);
        assertThat(c.read().line()).isEqualTo("220 mx.petrel.test ESMTP Petrel");
        return c;
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
