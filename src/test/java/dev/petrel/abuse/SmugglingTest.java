package dev.petrel.abuse;

import dev.petrel.config.PetrelConfig.BareLineEndings;
import dev.petrel.message.QueueId;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.server.TestConfigs;
import dev.petrel.testkit.TestServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SMTP smuggling over a real socket: every end-of-data candidate of 3 to 5 octets built from
 * CR, LF, '.' and NUL (1,344 of them, the real {@code CRLF . CRLF} among them as the control),
 * sent after a line of text and again right after the 354, followed in the same write by a
 * whole second transaction, a real end of data and QUIT; one connection per
 * variant, four at a time, one server per bare_line_endings mode.
 *
 * <p>The expected outcome of each variant comes from an independent model of RFC 5321: the
 * message ends at the first {@code CRLF . CRLF} counting the CRLF of the DATA command, a line
 * ends at CRLF or at a bare CR or LF, and one leading dot is removed from each line. So:
 * <ul>
 *   <li>when the variant does not contain the real terminator, the smuggled MAIL, RCPT and DATA
 *       are message content: exactly one message, from the real sender, whose content ends with
 *       the smuggled text (normalize mode), or a 550 5.5.2 and nothing queued when a bare CR or
 *       LF was sent (reject mode). The final real terminator then meets the command parser: two
 *       500 replies, then 221;</li>
 *   <li>when it does (the control), the client really ended the message and the second
 *       transaction is genuine, and may be queued.</li>
 * </ul>
 * The number of {@code queued as} replies must equal the messages found in the spool.
 */
@Timeout(180)
class SmugglingTest {
    private static final byte[] ALPHABET = {'\r', '\n', '.', 0};
    private static final String EVIL_FROM = "evil@x.test";
    private static final String SMUGGLED = "MAIL FROM:<" + EVIL_FROM + ">\r\nRCPT TO:<victim@petrel.test>\r\nDATA\r\n"
            + "smuggled\r\n.\r\n";
    private static final String SMUGGLED_AS_CONTENT = "MAIL FROM:<" + EVIL_FROM + ">\r\nRCPT TO:<victim@petrel.test>\r\n"
            + "DATA\r\nsmuggled\r\n";
    private static final String TAIL = "\r\n.\r\nQUIT\r\n";
    private static final String BARE_REFUSAL = "550 5.5.2 Message rejected: bare CR or LF received; end every line with CRLF";

    /** In memory where possible: the suite commits some 1,700 messages, and fsync on a busy disk would dominate. */
    @TempDir(factory = MemoryTempDir.class) Path dir;

    /** Every sequence of 3 to 5 octets over {CR, LF, '.', NUL}. */
    static List<byte[]> variants() {
        return variants(5);
    }

    /** Every sequence of 3 to {@code maxLength} octets over {CR, LF, '.', NUL}. */
    static List<byte[]> variants(int maxLength) {
        List<byte[]> out = new ArrayList<>();
        for (int len = 3; len <= maxLength; len++) {
            int total = 1 << (2 * len);
            for (int n = 0; n < total; n++) {
                byte[] v = new byte[len];
                for (int k = 0; k < len; k++) v[k] = ALPHABET[(n >> (2 * k)) & 3];
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void theVariantsAreAllTheSequencesAndIncludeTheRealTerminator() {
        List<byte[]> v = variants();
        assertThat(v).hasSize(64 + 256 + 1024);
        assertThat(v.stream().map(Arrays::toString).distinct().count()).isEqualTo(v.size());
        assertThat(v).anyMatch(b -> Arrays.equals(b, "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII)));
        // The model agrees with the obvious cases.
        assertThat(Model.of("", "\r\n.\r\n").realEnd).isTrue();
        assertThat(Model.of("body", "\r\n.\r\n").realEnd).isTrue();
        assertThat(Model.of("body", "\n.\n").realEnd).isFalse();
        assertThat(Model.of("body", "\n.\r\n").realEnd).isFalse();
        assertThat(Model.of("body", "\r\n.\r").bare).isTrue();
        assertThat(Model.of("body", "\r\n\0.").bare).isFalse();
        assertThat(new String(Model.of("body", "\n.\n").content, StandardCharsets.US_ASCII))
                .isEqualTo("body\r\n\r\n" + SMUGGLED_AS_CONTENT);
    }

    @ParameterizedTest(name = "bare_line_endings = {0}")
    @EnumSource(BareLineEndings.class)
    void noEndOfDataVariantSmugglesASecondMessage(BareLineEndings mode) throws Exception {
        long started = System.nanoTime();
        Tally tally = new Tally();
        int sent;
        try (TestServer server = TestServer.start(dir, c -> TestConfigs.smtp(c, s -> s.bareLineEndings = mode));
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<List<String>>> results = new ArrayList<>();
            // All 1,344 variants after a line of text, and again right after the 354 (where ". CR LF" alone is a real end).
            for (byte[] v : variants()) results.add(clients.submit(() -> check(server, mode, "body", v, tally)));
            for (byte[] v : variants()) results.add(clients.submit(() -> check(server, mode, "", v, tally)));
            sent = results.size();
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> f : results) failures.addAll(f.get());
            assertThat(failures).as("variants that went wrong").isEmpty();

            assertThat(server.spool().list()).as("messages in the spool").hasSize(tally.queued.get());
            assertThat(server.spool().list().stream().map(id -> read(server, id))
                    .filter(msg -> msg.envelope().senderText().equals(EVIL_FROM)).count())
                    .as("second transactions (all cut off by forbid_unauth_pipelining)").isZero();
            Path tmp = server.config().server().dataDir().resolve("spool").resolve("tmp");
            await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(server.server().openConnections()).isZero();
                try (Stream<Path> files = Files.list(tmp)) {
                    assertThat(files).as("unfinished spool files").isEmpty();
                }
            });
        }
        // Real ends: after "body", only CR LF . CR LF; after the 354, it and the 21 variants starting ". CR LF".
        assertThat(sent - tally.smuggleAttempts.get()).as("variants that really end the data").isEqualTo(23);
        assertThat(tally.genuineSeconds.get()).isPositive();
        System.out.printf("smuggling %s: %d variants, %d smuggle attempts, %d queued, %d genuine second transactions, %d ms%n",
                mode, sent, tally.smuggleAttempts.get(), tally.queued.get(), tally.genuineSeconds.get(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static final int CLIENTS = 4;

    private static final class Tally {
        final AtomicInteger queued = new AtomicInteger();
        final AtomicInteger smuggleAttempts = new AtomicInteger();
        final AtomicInteger genuineSeconds = new AtomicInteger();
    }

    /** One variant on its own connection; returns what went wrong (empty when all is well). */
    private static List<String> check(TestServer server, BareLineEndings mode, String prefix, byte[] v, Tally tally) {
        Model m = Model.of(prefix, new String(v, StandardCharsets.ISO_8859_1));
        String name = "prefix=\"" + prefix + "\" variant=" + show(v);
        SoftAssertions soft = new SoftAssertions();
        try {
            List<String> replies = exchange(server, prefix, v);
            List<String> queued = replies.stream().filter(r -> r.startsWith("250 2.0.0 Ok: queued as ")).toList();
            tally.queued.addAndGet(queued.size());
            boolean firstAccepted = mode == BareLineEndings.NORMALIZE || !m.bare;
            if (!m.realEnd) {
                tally.smuggleAttempts.incrementAndGet();
                // The smuggled commands got no replies of their own: the next replies answer the
                // final CRLF . CRLF (an empty line and a lone dot) and QUIT.
                soft.assertThat(replies).as(name).hasSize(4);
                if (replies.size() == 4) {
                    if (firstAccepted) {
                        soft.assertThat(replies.get(0)).as(name).startsWith("250 2.0.0 Ok: queued as ");
                    } else {
                        soft.assertThat(replies.get(0)).as(name).isEqualTo(BARE_REFUSAL);
                    }
                    soft.assertThat(replies.subList(1, 4)).as(name).containsExactly(
                            "500 5.5.2 Command not recognized", "500 5.5.2 Command not recognized", "221 2.0.0 Bye");
                }
            } else {
                // After a real end of data the client pipelines a whole second transaction with its
                // content right behind DATA, without waiting for the 354: forbid_unauth_pipelining
                // (on by default) cuts it off, so even a genuine second message is not queued.
                int expected = firstAccepted ? 1 : 0;
                if (m.secondIsGenuine) tally.genuineSeconds.incrementAndGet();
                soft.assertThat(queued).as(name + " " + replies).hasSize(expected);
                soft.assertThat(replies.getLast()).as(name).isIn("221 2.0.0 Bye", "421 4.7.0 Too many errors, closing connection",
                        "554 5.5.0 Error: SMTP protocol synchronization");
            }
            for (int k = 0; k < queued.size(); k++) {
                String id = queued.get(k).substring("250 2.0.0 Ok: queued as ".length());
                SpooledMessage msg = server.spool().read(new QueueId(id));
                if (k == 0 && firstAccepted) {
                    soft.assertThat(msg.envelope().senderText()).as(name).isEqualTo("a@x.test");
                    soft.assertThat(recipients(msg)).as(name).containsExactly("b@petrel.test");
                    soft.assertThat(bodyOf(msg)).as(name).isEqualTo(new String(m.content, StandardCharsets.ISO_8859_1));
                    if (!m.realEnd) soft.assertThat(bodyOf(msg)).as(name).endsWith(SMUGGLED_AS_CONTENT);
                } else {
                    // Only after a real end of data may the second transaction exist.
                    soft.assertThat(m.realEnd).as(name + ": a second message was queued").isTrue();
                    soft.assertThat(msg.envelope().senderText()).as(name).isEqualTo(EVIL_FROM);
                    soft.assertThat(bodyOf(msg)).as(name).isEqualTo("smuggled\r\n");
                }
            }
        } catch (Exception | AssertionError e) {
            soft.fail(name + ": " + e);
        }
        return soft.errorsCollected().stream().map(Throwable::getMessage).toList();
    }

    /** One connection: a transaction up to 354, then prefix + variant + smuggled transaction + real end + QUIT. */
    private static List<String> exchange(TestServer server, String prefix, byte[] variant) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.connect(server.mxPort())) {
            // A well-behaved pipelining client: it waits for the greeting and the EHLO reply
            // (forbid_unauth_pipelining would otherwise cut it off), then pipelines the envelope.
            assertThat(c.read().code()).isEqualTo(220);
            c.send("EHLO client.test\r\n");
            assertThat(c.read().code()).isEqualTo(250);
            c.send("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@petrel.test>\r\nDATA\r\n");
            assertThat(c.read().line()).isEqualTo("250 2.1.0 Ok");
            assertThat(c.read().line()).isEqualTo("250 2.1.5 Ok");
            assertThat(c.read().code()).isEqualTo(354);
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
            payload.writeBytes(variant);
            payload.writeBytes((SMUGGLED + TAIL).getBytes(StandardCharsets.US_ASCII));
            c.send(payload.toByteArray());
            List<String> replies = new ArrayList<>();
            while (true) {
                try {
                    replies.add(c.read().line());
                } catch (EOFException | SocketException e) {
                    return replies;
                }
            }
        }
    }

    private static List<String> recipients(SpooledMessage m) {
        return m.envelope().recipients().stream().map(r -> r.address().toString()).toList();
    }

    /** The content after Petrel's own Received: header (which ends at the first line not starting with a tab). */
    private static String bodyOf(SpooledMessage m) {
        String s = new String(m.content(), StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("Received: ");
        int at = 0;
        do {
            at = s.indexOf("\r\n", at) + 2;
        } while (at < s.length() && s.charAt(at) == '\t');
        return s.substring(at);
    }

    private static SpooledMessage read(TestServer server, QueueId id) {
        try {
            return server.spool().read(id);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String show(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v) {
            sb.append(switch (b) {
                case '\r' -> "CR ";
                case '\n' -> "LF ";
                case '.' -> ". ";
                case 0 -> "NUL ";
                default -> "? ";
            });
        }
        return sb.toString().strip();
    }

    /**
     * RFC 5321 read independently of Petrel's decoder: what the client's bytes mean to a strict
     * server. {@code realEnd}: the variant itself completed a CRLF . CRLF; {@code content}: the
     * message as it should be stored (lines ended by CRLF, one leading dot removed);
     * {@code bare}: some line ended in a bare CR or LF; {@code secondIsGenuine}: after a real end,
     * the smuggled MAIL command starts a fresh command line (so it is a real command).
     */
    record Model(boolean realEnd, byte[] content, boolean bare, boolean secondIsGenuine) {
        static Model of(String prefix, String variant) {
            String stream = "\r\n" + prefix + variant + SMUGGLED;
            int idx = stream.indexOf("\r\n.\r\n");
            int sent = 2 + prefix.length() + variant.length();
            boolean realEnd = idx + 5 <= sent;
            String raw = stream.substring(2, idx + 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean bare = false;
            int i = 0;
            while (i < raw.length()) {
                int start = i;
                while (i < raw.length() && raw.charAt(i) != '\r' && raw.charAt(i) != '\n') i++;
                String line = raw.substring(start, i);
                if (raw.charAt(i) == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                    i += 2;
                } else {
                    bare = true;
                    i += 1;
                }
                if (line.startsWith(".")) line = line.substring(1);
                out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            String leftover = realEnd ? stream.substring(idx + 5, sent) : "";
            boolean genuine = realEnd && (leftover.isEmpty() || leftover.endsWith("\n"));
            return new Model(realEnd, out.toByteArray(), bare, genuine);
        }
    }
}
