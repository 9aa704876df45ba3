package dev.petrel.interop;

import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CHUNKING (RFC 3030) over a real socket. The swaks on these machines (20201014) has no BDAT
 * support, so this drives BDAT by hand the way Exchange and Gmail do: chunks of raw octets,
 * no dot-stuffing, the last one marked LAST, and a pipelined variant in a single write.
 */
@Timeout(60)
class ChunkingRawSocketTest {
    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bdatChunksArriveByteForByte() throws Exception {
        byte[] part1 = ("From: x@remote.test\r\nTo: a@petrel.test\r\nSubject: chunks\r\n\r\n"
                + ".this line starts with a dot and is not stuffed in BDAT\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] part2 = "a line with a lone\r\n.\r\nwhich in DATA would end the message\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (SmtpWire w = SmtpWire.plain(server.mxPort())) {
            assertThat(w.reply().code()).isEqualTo(220);
            SmtpWire.Reply ehlo = w.command("EHLO client.petrel.test");
            assertThat(ehlo.has("CHUNKING")).as(ehlo.toString()).isTrue();
            assertThat(w.command("MAIL FROM:<x@remote.test>").toString()).isEqualTo("250 2.1.0 Ok");
            assertThat(w.command("RCPT TO:<a@petrel.test>").toString()).isEqualTo("250 2.1.5 Ok");

            w.write(concat(("BDAT " + part1.length + "\r\n").getBytes(StandardCharsets.US_ASCII), part1));
            assertThat(w.reply().toString()).isEqualTo("250 2.0.0 " + part1.length + " octets received");
            w.write(concat(("BDAT " + part2.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII), part2));
            SmtpWire.Reply done = w.reply();
            assertThat(done.code()).as(done.toString()).isEqualTo(250);

            SpooledMessage m = onlyMessage();
            assertThat(done.text()).isEqualTo("2.0.0 Ok: queued as " + m.id().value());
            assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("a@petrel.test");
            Spooled spooled = Spooled.split(m.content());
            assertThat(spooled.withKeyword()).isEqualTo("ESMTP");
            assertThat(spooled.original()).isEqualTo(concat(part1, part2));
            assertThat(w.command("QUIT").code()).isEqualTo(221);
        }
    }

    @Test
    void wholeTransactionPipelinedInOneWrite() throws Exception {
        byte[] body = "Subject: one write\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        try (SmtpWire w = SmtpWire.plain(server.mxPort())) {
            assertThat(w.reply().code()).isEqualTo(220);
            w.command("EHLO client.petrel.test");
            w.write(concat(("MAIL FROM:<x@remote.test>\r\nRCPT TO:<a@petrel.test>\r\nRCPT TO:<b@elsewhere.test>\r\n"
                    + "BDAT " + body.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII), body,
                    "NOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(w.reply().toString()).isEqualTo("250 2.1.0 Ok");
            assertThat(w.reply().toString()).isEqualTo("250 2.1.5 Ok");
            assertThat(w.reply().toString()).isEqualTo("554 5.7.1 <b@elsewhere.test>: Relay access denied");
            assertThat(w.reply().text()).startsWith("2.0.0 Ok: queued as ");
            assertThat(w.reply().toString()).isEqualTo("250 2.0.0 Ok");
        }
        SpooledMessage m = onlyMessage();
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("a@petrel.test");
        assertThat(Spooled.split(m.content()).original()).isEqualTo(body);
    }

    private List<SpooledMessage> all() throws IOException {
        return server.messages();
    }

    private SpooledMessage onlyMessage() throws IOException {
        assertThat(all()).hasSize(1);
        return all().getFirst();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
