package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Limits;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** [limits] over real sockets: pipelining, the connection rate, the data rate and the header size. */
@Timeout(60)
class SessionLimitsTest {
    private static final Limits DEFAULTS = PetrelConfig.Policy.DEFAULTS.limits();

    @TempDir Path dir;

    @Test
    void unauthenticatedClientPipeliningAfterEhloIsDisconnected() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            c.send("EHLO x\r\nMAIL FROM:<a@b>\r\n");
            assertThat(c.read().lines().getFirst()).isEqualTo("250-mx.petrel.test");
            assertThat(c.read().line()).isEqualTo("554 5.5.0 Error: SMTP protocol synchronization");
            assertThat(c.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        }
    }

    @Test
    void pipeliningAsRfc2920AllowsIsServed() throws Exception {
        try (TestServer server = TestServer.start(dir);
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").texts()).contains("PIPELINING");
            c.send("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@petrel.test>\r\nDATA\r\n");
            assertThat(c.read().line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.read().line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.read().code()).isEqualTo(354);
            c.send("Subject: pipelined\r\n\r\nhi\r\n.\r\nQUIT\r\n");
            assertThat(c.read().line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.read().line()).isEqualTo("221 2.0.0 Bye");
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void pipeliningIsAllowedWhenTheLimitIsOff() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> limits(c, withPipelining(false)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            c.send("EHLO x\r\nNOOP\r\n");
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().line()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void newConnectionsBeyondTheRateAreRefused() throws Exception {
        InetAddress local = nonLoopbackAddress().orElse(null);
        assumeThat(local).as("a non-loopback local IPv4 address to connect from").isNotNull();
        waitClearOfAMinuteBoundary();
        try (TestServer server = TestServer.start(dir, c -> limits(c, new Limits(DEFAULTS.maxHeaderSize(), DEFAULTS.maxMimeDepth(),
                DEFAULTS.maxCommandsPerSession(), 0, 3, true)))) {
            for (int i = 0; i < 3; i++) {
                try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), local)) {
                    assertThat(c.read().code()).isEqualTo(220);
                }
            }
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort(), local)) {
                assertThat(c.read().line()).isEqualTo("421 4.7.0 Too many new connections from your address, try again later");
                assertThat(c.closedByServer()).isTrue();
            }
            // Loopback is this host's own programs (or a local proxy): never limited.
            for (int i = 0; i < 5; i++) {
                try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                    assertThat(c.read().code()).isEqualTo(220);
                }
            }
        }
    }

    @Test
    void aSlowTransferIsLeftAloneWhileTheServerHasRoomAndCutOffOnceItIsBusy() throws Exception {
        // Busy from 2 open connections: one slow client alone costs nothing.
        try (TestServer server = TestServer.start(dir, c -> limits(c, new Limits(DEFAULTS.maxHeaderSize(), DEFAULTS.maxMimeDepth(),
                DEFAULTS.maxCommandsPerSession(), 1000, 0, true, 2)))) {
            server.server().dataRateGrace(Duration.ofSeconds(1));
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                c.startData("a@x.test", "b@petrel.test");
                c.send("Subject: slow but alone\r\n\r\n");
                Thread.sleep(2_000); // twice the grace period, far below 1000 octets/s
                assertThat(c.command("hi\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            }
            try (SmtpTestClient other = SmtpTestClient.connect(server.mxPort());
                 SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                assertThat(other.read().code()).isEqualTo(220);
                c.startData("a@x.test", "b@petrel.test");
                c.send("Subject: slow while busy\r\n\r\n");
                assertThat(c.read().line()).isEqualTo("421 4.4.2 Data rate too low, closing connection");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void aTransferBelowTheMinimumDataRateIsCutOffAndNothingQueued() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> limits(c, new Limits(DEFAULTS.maxHeaderSize(), DEFAULTS.maxMimeDepth(),
                DEFAULTS.maxCommandsPerSession(), 1000, 0, true, 0)))) {
            server.server().dataRateGrace(Duration.ofSeconds(1));
            // A fast client is not affected.
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                c.startData("a@x.test", "b@petrel.test");
                assertThat(c.command("Subject: fast\r\n\r\n" + "x".repeat(70) + "\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
            }
            long start = System.nanoTime();
            try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
                c.startData("a@x.test", "b@petrel.test");
                c.send("Subject: slow\r\n\r\n");
                assertThat(c.read().line()).isEqualTo("421 4.4.2 Data rate too low, closing connection");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void headerSectionBeyondTheLimitIsRefused() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> limits(c, new Limits(1024, DEFAULTS.maxMimeDepth(),
                DEFAULTS.maxCommandsPerSession(), 0, 0, true)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            String big = ("X-Filler: " + "y".repeat(60) + "\r\n").repeat(20);
            assertThat(c.command("Subject: big\r\n" + big + "\r\nbody\r\n.").line())
                    .isEqualTo("552 5.3.4 Message header section exceeds 1024 octets");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(server.messages()).isEmpty();
        }
    }

    private static Limits withPipelining(boolean forbid) {
        return new Limits(DEFAULTS.maxHeaderSize(), DEFAULTS.maxMimeDepth(), DEFAULTS.maxCommandsPerSession(),
                DEFAULTS.minDataRate(), DEFAULTS.maxNewConnectionsPerIpPerMinute(), forbid);
    }

    static PetrelConfig limits(PetrelConfig c, Limits limits) {
        PetrelConfig.Policy p = c.policy();
        return c.withPolicy(new PetrelConfig.Policy(p.senders(), limits, p.rates(), p.dnsbls()));
    }

    /** Linux lets a socket bound to any local address connect to 127.0.0.1, so the server sees that address. */
    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    /** The rate is estimated per clock minute: keep the few connections of a test within one. */
    private static void waitClearOfAMinuteBoundary() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 55_000) Thread.sleep(60_500 - intoMinute);
    }
}
