package dev.petrel.server;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.queue.MemorySpool;
import dev.petrel.queue.Spool;
import dev.petrel.queue.SpoolWriter;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bug behind the session (here a spool that throws an unchecked exception) must still give the
 * client an SMTP answer, 421 4.3.0, not a silently closed connection; and nothing is kept.
 */
@Timeout(30)
class InternalErrorTest {
    @TempDir Path dir;

    /** Accepts everything but fails, unchecked, when a message is to be stored. */
    private static final class BrokenSpool implements Spool {
        private final MemorySpool memory = new MemorySpool();

        @Override
        public SpoolWriter create(Envelope envelope, long expectedSize) {
            throw new IllegalStateException("simulated bug");
        }

        @Override
        public boolean hasRoomFor(long size) {
            return true;
        }

        @Override
        public List<QueueId> list() {
            return memory.list();
        }

        @Override
        public SpooledMessage read(QueueId id) throws IOException {
            return memory.read(id);
        }

        @Override
        public void appendStatus(QueueId id, List<String> records) throws IOException {
            memory.appendStatus(id, records);
        }

        @Override
        public List<String> readStatus(QueueId id) throws IOException {
            return memory.readStatus(id);
        }

        @Override
        public void remove(QueueId id) throws IOException {
            memory.remove(id);
        }
    }

    @Test
    void anUncheckedFailureBehindTheSessionAnswers421AndCloses() throws Exception {
        BrokenSpool spool = new BrokenSpool();
        var config = TestServer.defaultConfig(dir).withListeners(List.of(new dev.petrel.config.PetrelConfig.Listener("smtp",
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                dev.petrel.config.PetrelConfig.ListenerMode.MX, dev.petrel.config.PetrelConfig.TlsMode.NONE)));
        try (SmtpServer server = new SmtpServer(config, spool, new dev.petrel.auth.UserStore(dir.resolve("users")),
                () -> {
                    throw new IllegalStateException("no TLS in this test");
                }, Clock.systemUTC())) {
            server.start();
            try (SmtpTestClient c = SmtpTestClient.connect(server.address(0).getPort())) {
                assertThat(c.read().code()).isEqualTo(220);
                assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
                assertThat(c.command("MAIL FROM:<a@example.org>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<b@petrel.test>").code()).isEqualTo(250);
                assertThat(c.command("DATA").line()).isEqualTo("421 4.3.0 Local error in processing, closing connection");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(spool.list()).isEmpty();
        }
    }
}
