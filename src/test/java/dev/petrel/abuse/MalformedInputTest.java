package dev.petrel.abuse;

import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.petrel.abuse.OpenRelayTest.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Oversize and malformed input of every kind over a real socket. Each input must get a reply or
 * a clean close, never a hang (every test is bounded), nothing unexpected may be queued, no
 * unfinished spool file or connection slot may be left behind, and the server must serve the
 * next connection normally. In command strings, {@code \xHH} stands for one raw octet.
 */
@Timeout(60)
class MalformedInputTest {
    private static final String TOO_LONG = "500 5.5.2 Command line too long (512 octets at most)";
    private static final String NOT_UTF8 = "500 5.5.2 Command is not valid UTF-8";
    private static final String UNRECOGNIZED = "500 5.5.2 Command not recognized";
    private static final int MB = 1 << 20;

    @TempDir(factory = MemoryTempDir.class) static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        server.addUser("alice", "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** After every test: nothing left queued or half-written, every connection closed, and a new one served. */
    @AfterEach
    void serverStillServesAndLeaksNothing() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(server.server().openConnections()).as("open connections").isZero();
            try (Stream<Path> files = Files.list(dir.resolve("spool").resolve("tmp"))) {
                assertThat(files).as("unfinished spool files").isEmpty();
            }
        });
        assertThat(server.messages()).as("queued messages").isEmpty();
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
    }

    private static SmtpTestClient greeted(int port) throws IOException {
        SmtpTestClient c = SmtpTestClient.connect(port);
        assertThat(c.read().code()).isEqualTo(220);
        return c;
    }

    private static SmtpTestClient inTransaction() throws IOException {
        SmtpTestClient c = greeted(server.mxPort());
        assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
        assertThat(c.command("MAIL FROM:<a@x.test>").line()).isEqualTo("250 2.1.0 Ok");
        assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
        return c;
    }

    private static String raw(SmtpTestClient c, String line) throws IOException {
        c.send(wire(line));
        c.send("\r\n");
        return c.read().line();
    }

    @Test
    void commandLineOfOneMegabyteIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(c.command("NOOP " + "x".repeat(MB)).line()).isEqualTo(TOO_LONG);
            assertThat(c.command("EHLO " + "h".repeat(MB)).line()).isEqualTo(TOO_LONG);
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            // Inside a transaction too: the transaction survives the refused line.
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@x.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<" + "r".repeat(MB) + "@petrel.test>").line()).isEqualTo(TOO_LONG);
            assertThat(c.command("DATA").line()).isEqualTo("554 5.5.1 No valid recipients");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
    }

    @Test
    void oneMegabyteWithoutALineEndThenCloseGetsNoReplyAndNoHang() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            c.send("y".repeat(MB));
            c.socket().shutdownOutput();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void authLinesOfOneMegabyteOnSubmission() throws Exception {
        try (SmtpTestClient c = greeted(server.submissionPort())) {
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("AUTH PLAIN " + "A".repeat(MB)).line()).isEqualTo(TOO_LONG);
            assertThat(c.command("AUTH PLAIN").line()).isEqualTo("334 ");
            assertThat(c.command("A".repeat(MB)).line()).isEqualTo(TOO_LONG);
            // The broken response ended the exchange: this is a command again, not SASL data.
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
    }

    @Test
    void hundredThousandPipelinedNoopsThenQuit() throws Exception {
        int n = 100_000;
        try (SmtpTestClient c = greeted(server.mxPort())) {
            // Written from another thread: the replies (1.4 MB) must be read while the commands go out.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    byte[] block = "NOOP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < n / 1000; i++) c.send(block);
                    c.send("QUIT\r\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int ok = 0;
            String last;
            while ((last = c.read().line()).equals("250 2.0.0 Ok")) ok++;
            // NOOP must be answered before the next command (RFC 2920 3.1), so an unauthenticated
            // flood is cut off at the first NOOP that arrives with more input behind it.
            assertThat(ok).isLessThan(n);
            assertThat(last).isEqualTo("554 5.5.0 Error: SMTP protocol synchronization");
            assertThat(c.closedByServer()).isTrue();
            try {
                writer.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // the server closed while the flood was still being written
            }
        }
    }

    @Test
    void bdatOfTenToTheFifteenthOctetsThenCloseIsReadAndDropped() throws Exception {
        try (SmtpTestClient c = inTransaction()) {
            c.send("BDAT 1000000000000000 LAST\r\n");
            c.send(new byte[MB]);
            c.send("QUIT\r\n".repeat(100)); // all chunk data, not commands
            c.socket().shutdownOutput();
            assertThat(c.closedByServer()).isTrue(); // no reply: the chunk never ended
        }
        // Outside a transaction the chunk is read just the same.
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.send("BDAT 1000000000000000\r\n");
            c.send(new byte[MB]);
            c.socket().shutdownOutput();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void bdatSizesThatCannotBeReadInStepCloseTheConnection() throws Exception {
        for (String size : List.of("10000000000000000000", "1000000000000000000", "-1", "1e6", "0x10", "", "12 LAST EXTRA",
                "12 LAST\\x00")) {
            try (SmtpTestClient c = inTransaction()) {
                assertThat(raw(c, "BDAT " + size)).as(size).isEqualTo("501 5.5.4 Syntax: BDAT size [LAST]");
                assertThat(c.closedByServer()).as(size).isTrue();
            }
        }
    }

    @Test
    void bdatLargerThanTheMessageSizeLimitIsRefusedAfterItsData() throws Exception {
        long max = server.config().smtp().maxMessageSize();
        try (SmtpTestClient c = inTransaction()) {
            long size = max + MB;
            c.send("BDAT " + size + " LAST\r\n");
            byte[] block = new byte[MB];
            Arrays.fill(block, (byte) 'z');
            for (long sent = 0; sent < size; sent += block.length) c.send(block);
            assertThat(c.read().line()).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size of " + max + " octets");
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void invalidUtf8InEveryCommandIsRefusedWithoutUpsettingTheSession() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(raw(c, "EHLO \\xff\\xfe")).isEqualTo(NOT_UTF8);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(raw(c, "MAIL FROM:<\\xc3\\x28@x.test>")).isEqualTo(NOT_UTF8);
            assertThat(c.command("MAIL FROM:<a@x.test> SMTPUTF8").line()).isEqualTo("250 2.1.0 Ok");
            assertThat(raw(c, "RCPT TO:<\\xed\\xa0\\x80@petrel.test>")).isEqualTo(NOT_UTF8); // a UTF-16 surrogate
            assertThat(raw(c, "RCPT TO:<b@petrel.test> NOTIFY=\\xc0\\x80")).isEqualTo(NOT_UTF8); // overlong NUL
            assertThat(raw(c, "\\xf8\\x88\\x80\\x80\\x80")).isEqualTo(NOT_UTF8); // 5-octet form
            assertThat(raw(c, "VRFY \\xff")).isEqualTo(NOT_UTF8);
            assertThat(c.command("RCPT TO:<b@petrel.test>").line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("RSET").line()).isEqualTo("250 2.0.0 Ok");
            // 6 errors so far; 4 more reach max_errors (10) and the session ends.
            for (int i = 0; i < 3; i++) assertThat(raw(c, "\\xff")).isEqualTo(NOT_UTF8);
            c.send(wire("\\xff\r\n"));
            assertThat(c.read().line()).isEqualTo(NOT_UTF8);
            assertThat(c.read().line()).isEqualTo("421 4.7.0 Too many errors, closing connection");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void invalidUtf8InAuthOnSubmission() throws Exception {
        try (SmtpTestClient c = greeted(server.submissionPort())) {
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            c.startTls(server.clientTls());
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(raw(c, "AUTH PLAIN \\xff\\xfe")).isEqualTo(NOT_UTF8);
            assertThat(c.command("AUTH PLAIN").line()).isEqualTo("334 ");
            assertThat(raw(c, "\\xff\\xfe")).isEqualTo(NOT_UTF8);
            assertThat(c.command("NOOP").line()).isEqualTo("250 2.0.0 Ok"); // out of the SASL exchange
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(raw(c, "\\xc3")).isEqualTo(NOT_UTF8);
            assertThat(c.command("MAIL FROM:<alice@petrel.test>").line()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
    }

    @Test
    void invalidUtf8AndNulInMessageContentAreKeptAsSent() throws Exception {
        byte[] body = wire("Subject: \\xff\\xfe\r\n\r\nbinary \\x00\\xc3\\x28\\xed\\xa0\\x80 end\r\n");
        try (SmtpTestClient c = inTransaction()) {
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send(body);
            assertThat(c.command(".").line()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
        List<SpooledMessage> messages = server.messages();
        assertThat(messages).hasSize(1);
        byte[] content = messages.getFirst().content();
        assertThat(Arrays.copyOfRange(content, content.length - body.length, content.length)).isEqualTo(body);
        server.spool().remove(messages.getFirst().id());
    }

    @Test
    void nulInCommands() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(raw(c, "\\x00")).isEqualTo(UNRECOGNIZED);
            assertThat(raw(c, "NO\\x00OP")).isEqualTo(UNRECOGNIZED);
            assertThat(raw(c, "QUIT\\x00")).isEqualTo(UNRECOGNIZED);
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(raw(c, "MAIL FROM:<a@x.test>\\x00")).isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
            assertThat(raw(c, "MAIL FROM:<a\\x00@x.test>")).isEqualTo("553 5.1.3 Bad address syntax: character '\\x00' not allowed in local part");
            assertThat(c.command("MAIL FROM:<a@x.test>").code()).isEqualTo(250);
            assertThat(raw(c, "RCPT TO:<b@petrel.test> NOTIFY=NEVER\\x00")).isEqualTo(
                    "501 5.5.4 NOTIFY values are NEVER, SUCCESS, FAILURE, DELAY");
            assertThat(raw(c, "DATA\\x00")).isEqualTo(UNRECOGNIZED);
            assertThat(c.command("QUIT").line()).isEqualTo("221 2.0.0 Bye");
        }
    }

    @Test
    void nulAndControlCharactersInHeloDoNotReachTheReceivedHeader() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(raw(c, "EHLO evil\\x00\\x1b[2J\\x0bhost").substring(0, 3)).isEqualTo("250");
            assertThat(c.command("MAIL FROM:<a@x.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<b@petrel.test>").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            assertThat(c.command("Subject: t\r\n\r\nx\r\n.").line()).startsWith("250 2.0.0 Ok: queued as ");
        }
        List<SpooledMessage> messages = server.messages();
        assertThat(messages).hasSize(1);
        String content = new String(messages.getFirst().content(), StandardCharsets.UTF_8);
        String received = content.substring(0, content.indexOf("\r\n"));
        server.spool().remove(messages.getFirst().id());
        assertThat(received).isEqualTo("Received: from evil??[2J?host ([127.0.0.1])");
    }

    @Test
    void randomBinaryGarbageGetsRepliesThenTooManyErrors() throws Exception {
        Random random = new Random(5321);
        for (int round = 0; round < 5; round++) {
            byte[] garbage = new byte[64 * 1024];
            random.nextBytes(garbage);
            try (SmtpTestClient c = greeted(server.mxPort())) {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        c.send(garbage);
                    } catch (IOException ignored) {
                        // the server may close first
                    }
                });
                List<String> replies = new ArrayList<>();
                try {
                    while (true) replies.add(c.read().line());
                } catch (EOFException | SocketException e) {
                    // closed by the server
                }
                assertThat(replies).as("round %d", round).isNotEmpty();
                assertThat(replies.getLast()).as("round %d: %s", round, replies)
                        .isIn("421 4.7.0 Too many errors, closing connection",
                                "554 5.7.0 Non-SMTP command received, closing connection",
                                "554 5.5.0 Error: SMTP protocol synchronization");
                assertThat(replies).allMatch(r -> r.matches("[245]\\d\\d [245]\\.\\d+\\.\\d+ .*"), "well-formed reply lines");
                writer.get();
            }
        }
    }

    @Test
    void plaintextAfterStartTlsIsAHandshakeFailureAndAClose() throws Exception {
        try (SmtpTestClient c = greeted(server.mxPort())) {
            assertThat(c.command("EHLO client.test").code()).isEqualTo(250);
            assertThat(c.command("STARTTLS").line()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.send("EHLO client.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@petrel.test>\r\n".repeat(200));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = c.socket().getInputStream().read()) >= 0) rest.write(b);
            } catch (SocketException e) {
                // reset: the server closed with our junk unread
            }
            // Whatever came back (a TLS alert at most) is not an SMTP reply to the junk.
            assertThat(rest.toString(StandardCharsets.ISO_8859_1)).doesNotContain("250");
        }
    }
}
