package dev.petrel.server;

import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Limits;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** command_timeout and data_timeout: an idle or stalled client gets 421 4.4.2 and is dropped. */
@Timeout(30)
class TimeoutTest {
    private static final String TIMEOUT = "421 4.4.2 Timeout exceeded, closing connection";

    @TempDir Path dir;

    @Test
    void idleClientTimesOutWith421AndEof() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.commandTimeout = Duration.ofSeconds(1)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            long start = System.nanoTime();
            assertThat(c.read().lines()).containsExactly(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
            assertThat(c.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        }
    }

    @Test
    void clientStalledInDataTimesOutAndThePartialMessageIsDiscarded() throws Exception {
        // The command timeout stays long: only the data timeout can end this session.
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.dataTimeout = Duration.ofSeconds(1)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: partial\r\n\r\nfirst line\r\nsecond li");
            long start = System.nanoTime();
            assertThat(c.read().lines()).containsExactly(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
            assertThat(c.closedByServer()).isTrue();

            assertThat(server.messages()).isEmpty();
            Path spool = dir.resolve("spool");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(filesUnder(spool.resolve("tmp"))).isZero();
                assertThat(filesUnder(spool.resolve("queue"))).isZero();
            });
        }
    }

    @Test
    void clientStalledInsideABdatChunkTimesOutAndNothingIsQueued() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.dataTimeout = Duration.ofSeconds(1)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@x.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@petrel.test>").code()).isEqualTo(250);
            c.send("BDAT 100 LAST\r\nSubject: only part of the chunk\r\n");
            assertThat(c.read().lines()).containsExactly(TIMEOUT);
            assertThat(c.closedByServer()).isTrue();
            assertThat(server.messages()).isEmpty();
            Path spool = dir.resolve("spool");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(filesUnder(spool.resolve("tmp"))).isZero());
        }
    }

    @Test
    void dataTimeoutAppliesPerReadNotPerMessage() throws Exception {
        // A slow but steady sender (a line every 400 ms, 2 s in total) outlives a 1 s data timeout.
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.dataTimeout = Duration.ofSeconds(1)));
             SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            c.startData("a@x.test", "b@petrel.test");
            c.send("Subject: slow\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                Thread.sleep(400);
                c.send("line " + i + "\r\n");
            }
            assertThat(c.command(".").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(server.messages()).hasSize(1);
        }
    }

    @Test
    void idleTlsClientIsToldOverTlsBeforeTheClose() throws Exception {
        // The deadline cuts the read off under the TLS layer; the 421 must still go out encrypted.
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.commandTimeout = Duration.ofSeconds(1)));
             SmtpTestClient c = SmtpTestClient.connectTls(server.clientTls(), server.submissionsPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.read().lines()).containsExactly(TIMEOUT);
            assertThat(c.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 0);
        }
    }

    @Test
    void clientThatConnectsAndNeverHandshakesTlsIsDropped() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.commandTimeout = Duration.ofSeconds(1)));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.submissionsPort())) {
            s.setSoTimeout(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().openConnections() == 0);
            // At most a TLS alert record, then the end of the stream.
            assertThat(s.getInputStream().readNBytes(1_000).length).isLessThan(100);
        }
    }

    @Test
    void clientThatNeverReadsItsRepliesIsCutOffAfterTheCommandTimeout() throws Exception {
        // Pipelined NOOPs whose replies are never read fill the socket buffers until the server's
        // write blocks; the write is bounded by the command timeout like a read.
        Limits d = PetrelConfig.Policy.DEFAULTS.limits();
        try (TestServer server = TestServer.start(dir, c -> SessionLimitsTest.limits(
                TestConfigs.smtp(c, s -> s.commandTimeout = Duration.ofSeconds(1)),
                new Limits(d.maxHeaderSize(), d.maxMimeDepth(), 100_000_000, d.minDataRate(),
                        d.maxNewConnectionsPerIpPerMinute(), false, d.busyConnections())));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.mxPort())) {
            s.setReceiveBufferSize(4096);
            OutputStream out = s.getOutputStream();
            byte[] chunk = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) out.write(chunk); // bounded: 20 million commands at most
                } catch (IOException expected) {
                    // The server closed the connection: what this test waits for.
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().openConnections() == 0);
            s.close();
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
        }
    }

    private static long filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
