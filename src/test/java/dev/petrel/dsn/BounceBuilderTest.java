package dev.petrel.dsn;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import dev.petrel.message.Recipient.Notify;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.petrel.dsn.DsnFixtures.ARRIVED;
import static dev.petrel.dsn.DsnFixtures.HEADERS;
import static dev.petrel.dsn.DsnFixtures.NOW;
import static dev.petrel.dsn.DsnFixtures.envelope;
import static dev.petrel.dsn.DsnFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BounceBuilderTest {
    private static final QueueId ID = new QueueId("0AbCdEfGhIjKlMnO");
    private static final MailAddress ALICE = new MailAddress("alice", "example.org");
    private static final MailAddress BOB = new MailAddress("bob", "b.example");
    private static final String REPLY = "550 5.1.1 <bob@b.example>: Recipient address rejected: User unknown";
    private static final BounceBuilder BUILDER = BounceBuilder.forHost("mx.example.org");

    private static DsnEntry failedBob(Recipient bob) {
        return new DsnEntry(bob, new DeliveryStatus(BOB, DeliveryStatus.Outcome.PERMANENT_FAILURE, "5.1.1", REPLY,
                "mx.b.example[192.0.2.25]:25", true), Action.FAILED);
    }

    private static Bounce bounceFor(Envelope env, byte[] content, DsnEntry... entries) {
        Bounce b = BUILDER.build(ID, env, content, List.of(entries), NOW, NOW.plusSeconds(5 * 86400));
        assertWellFormed(b.content());
        return b;
    }

    // ---- the ordinary bounce ----

    @Test
    void failedRecipientWithRemoteReplyMakesAThreePartReport() throws Exception {
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), message(), failedBob(bob));

        assertThat(b.envelope().hasNullSender()).isTrue();
        assertThat(b.envelope().recipients()).extracting(Recipient::address).containsExactly(ALICE);
        assertThat(b.envelope().body()).isEqualTo(Envelope.BodyType.SEVEN_BIT);
        assertThat(b.envelope().smtpUtf8()).isFalse();

        MimeMessage m = parse(b.content());
        assertThat(new ContentType(m.getContentType()).getBaseType()).isEqualTo("multipart/report");
        assertThat(new ContentType(m.getContentType()).getParameter("report-type")).isEqualTo("delivery-status");
        assertThat(m.getHeader("From", null)).isEqualTo("Mail Delivery System <MAILER-DAEMON@mx.example.org>");
        assertThat(m.getHeader("To", null)).isEqualTo("<alice@example.org>");
        assertThat(m.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getHeader("Date", null)).isEqualTo("Mon, 2 Mar 2026 09:20:30 +0000");
        assertThat(m.getMessageID()).startsWith("<0AbCdEfGhIjKlMnO.").endsWith("@mx.example.org>");

        MimeMultipart mp = parts(m);
        assertThat(mp.getCount()).isEqualTo(3);
        assertThat(type(mp.getBodyPart(0))).isEqualTo("text/plain");
        assertThat(words(text(mp.getBodyPart(0)))).contains("mx.example.org", "<bob@b.example>", REPLY);

        assertThat(type(mp.getBodyPart(1))).isEqualTo("message/delivery-status");
        String status = text(mp.getBodyPart(1));
        assertThat(status.split("\r\n")).contains(
                "Reporting-MTA: dns; mx.example.org",
                "X-Petrel-Queue-ID: 0AbCdEfGhIjKlMnO",
                "Arrival-Date: Mon, 2 Mar 2026 09:15:00 +0000",
                "Final-Recipient: rfc822; bob@b.example",
                "Action: failed",
                "Status: 5.1.1",
                "Remote-MTA: dns; mx.b.example",
                "Last-Attempt-Date: Mon, 2 Mar 2026 09:20:30 +0000");
        assertThat(unfold(status)).contains("Diagnostic-Code: smtp; " + REPLY + "\r\n");
        assertThat(status).doesNotContain("Original-Envelope-Id", "Original-Recipient", "Will-Retry-Until");
        // Per-message fields, a blank line, then one group per recipient (RFC 3464 section 2.1).
        assertThat(status.split("\r\n\r\n")).hasSize(2);

        assertThat(type(mp.getBodyPart(2))).isEqualTo("message/rfc822");
        assertThat(raw(mp.getBodyPart(2))).isEqualTo(message());
    }

    @Test
    void retHdrsReturnsOnlyTheHeaders() throws Exception {
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), Envelope.Ret.HDRS, null), message(), failedBob(bob));
        MimeMultipart mp = parts(parse(b.content()));
        assertThat(mp.getCount()).isEqualTo(3);
        assertThat(type(mp.getBodyPart(2))).isEqualTo("text/rfc822-headers");
        assertThat(new String(raw(mp.getBodyPart(2)), StandardCharsets.UTF_8)).isEqualTo(HEADERS);
        assertThat(text(mp.getBodyPart(0))).contains("headers of your message");
    }

    @Test
    void envIdAndOrcptAreReported() throws Exception {
        Recipient bob = new Recipient(BOB, Set.of(), "rfc822;Bob@B.example");
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), Envelope.Ret.FULL, "QQ314159"), message(), failedBob(bob));
        String status = text(parts(parse(b.content())).getBodyPart(1));
        assertThat(status.split("\r\n")).contains("Original-Envelope-Id: QQ314159", "Original-Recipient: rfc822;Bob@B.example");
    }

    @Test
    void delayNoticeSaysDelayedAndUntilWhen() throws Exception {
        Recipient bob = Recipient.of(BOB);
        DsnEntry delayed = new DsnEntry(bob, DeliveryStatus.temporary(BOB, "4.4.1",
                "connect to mx.b.example[192.0.2.25]:25: Connection refused", "mx.b.example[192.0.2.25]:25"),
                Action.DELAYED, Instant.parse("2026-03-02T09:19:00Z"));
        Bounce b = BUILDER.build(ID, envelope(ALICE, List.of(bob), null, null), message(), List.of(delayed),
                NOW, Instant.parse("2026-03-07T09:15:00Z"));
        assertWellFormed(b.content());
        MimeMessage m = parse(b.content());
        assertThat(m.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        MimeMultipart mp = parts(m);
        assertThat(words(text(mp.getBodyPart(0)))).contains("Connection refused", "Sat, 7 Mar 2026");
        assertThat(text(mp.getBodyPart(1)).split("\r\n")).contains(
                "Action: delayed", "Status: 4.4.1", "Remote-MTA: dns; mx.b.example",
                "Last-Attempt-Date: Mon, 2 Mar 2026 09:19:00 +0000",
                "Will-Retry-Until: Sat, 7 Mar 2026 09:15:00 +0000");
        assertThat(text(mp.getBodyPart(1))).doesNotContain("Diagnostic-Code");
    }

    @Test
    void successReportForNotifySuccess() throws Exception {
        Recipient bob = new Recipient(BOB, Set.of(Notify.SUCCESS), null);
        DsnEntry ok = new DsnEntry(bob, new DeliveryStatus(BOB, DeliveryStatus.Outcome.DELIVERED, "2.0.0",
                "250 2.0.0 Ok: queued as 4Xyz", "mx.b.example[192.0.2.25]:25", true), Action.DELIVERED);
        Optional<Bounce> b = BUILDER.notice(ID, envelope(ALICE, List.of(bob), null, null), message(), List.of(ok), NOW, null);
        assertThat(b).isPresent();
        assertWellFormed(b.get().content());
        MimeMessage m = parse(b.get().content());
        assertThat(m.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(text(parts(m).getBodyPart(1)).split("\r\n")).contains("Action: delivered", "Status: 2.0.0");
    }

    @Test
    void failuresAndDelaysTogetherMakeOneBounce() throws Exception {
        MailAddress carol = new MailAddress("carol", "c.example");
        Recipient bob = Recipient.of(BOB);
        Recipient c = Recipient.of(carol);
        DsnEntry delayed = new DsnEntry(c, DeliveryStatus.temporary(carol, "4.4.3", "Host or domain name not found", "none"),
                Action.DELAYED);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob, c), null, null), message(), failedBob(bob), delayed);
        MimeMessage m = parse(b.content());
        assertThat(m.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        String status = text(parts(m).getBodyPart(1));
        assertThat(status.split("\r\n\r\n")).hasSize(3);
        assertThat(status.split("\r\n")).contains("Final-Recipient: rfc822; carol@c.example", "Action: delayed", "Status: 4.4.3");
        // relay "none": no Remote-MTA for carol, so exactly one in the report
        assertThat(status.split("Remote-MTA:", -1)).hasSize(2);
    }

    // ---- NOTIFY and the null sender, through notice() ----

    @Test
    void notifyNeverRecipientGetsNothing() {
        Recipient bob = new Recipient(BOB, Set.of(Notify.NEVER), null);
        assertThat(BUILDER.notice(ID, envelope(ALICE, List.of(bob), null, null), message(), List.of(failedBob(bob)), NOW, null))
                .isEmpty();
    }

    @Test
    void notifySuccessOnlyGetsNoFailureNotice() {
        Recipient bob = new Recipient(BOB, Set.of(Notify.SUCCESS), null);
        assertThat(BUILDER.notice(ID, envelope(ALICE, List.of(bob), null, null), message(), List.of(failedBob(bob)), NOW, null))
                .isEmpty();
    }

    @Test
    void nullSenderGetsNoNotice() {
        Recipient bob = Recipient.of(BOB);
        Envelope fromNull = envelope(null, List.of(bob), null, null);
        assertThat(BUILDER.notice(ID, fromNull, message(), List.of(failedBob(bob)), NOW, null)).isEmpty();
        assertThatThrownBy(() -> BUILDER.build(ID, fromNull, message(), List.of(failedBob(bob)), NOW, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNoticeItselfAsksForNoFurtherNotices() {
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), message(), failedBob(bob));
        assertThat(b.envelope().recipients().getFirst().notifyOn()).containsExactly(Notify.NEVER);
        assertThat(NotifyPolicy.select(b.envelope(), List.of(new DsnEntry(b.envelope().recipients().getFirst(),
                DeliveryStatus.permanent(ALICE, "5.1.1", "x", "none"), Action.FAILED)))).isEmpty();
    }

    // ---- internationalized and 8-bit ----

    @Test
    void utf8RecipientMakesGlobalDeliveryStatus() throws Exception {
        MailAddress uber = new MailAddress("üser", "bücher.example");
        Recipient r = Recipient.of(uber);
        DsnEntry e = new DsnEntry(r, new DeliveryStatus(uber, DeliveryStatus.Outcome.PERMANENT_FAILURE, "5.1.1",
                "550 5.1.1 unknown user", "mx.xn--bcher-kva.example[192.0.2.26]:25", true), Action.FAILED);
        Bounce b = bounceFor(envelope(ALICE, List.of(r), null, null, true, Envelope.BodyType.EIGHT_BIT_MIME), message(), e);

        assertThat(b.envelope().body()).isEqualTo(Envelope.BodyType.EIGHT_BIT_MIME);
        assertThat(b.envelope().smtpUtf8()).isFalse(); // alice@example.org can take it without SMTPUTF8
        MimeMultipart mp = parts(parse(b.content()));
        assertThat(type(mp.getBodyPart(1))).isEqualTo("message/global-delivery-status");
        assertThat(mp.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(text(mp.getBodyPart(1)).split("\r\n")).contains("Final-Recipient: utf-8; üser@bücher.example");
        assertThat(text(mp.getBodyPart(0))).contains("<üser@bücher.example>");
    }

    @Test
    void utf8SenderNeedsSmtpUtf8() throws Exception {
        MailAddress sender = new MailAddress("jörg", "example.org");
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(sender, List.of(bob), null, null, true, Envelope.BodyType.SEVEN_BIT), message(), failedBob(bob));
        assertThat(b.envelope().smtpUtf8()).isTrue();
        assertThat(b.envelope().recipients().getFirst().address()).isEqualTo(sender);
        assertThat(new String(b.content(), StandardCharsets.UTF_8)).contains("\r\nTo: <jörg@example.org>\r\n");
    }

    @Test
    void eightBitOriginalIsReturnedUnchangedUnder8BitMime() throws Exception {
        byte[] original = (HEADERS + "\r\nGrüße aus Köln\r\n").getBytes(StandardCharsets.UTF_8);
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null, false, Envelope.BodyType.EIGHT_BIT_MIME), original, failedBob(bob));
        assertThat(b.envelope().body()).isEqualTo(Envelope.BodyType.EIGHT_BIT_MIME);
        MimeMessage m = parse(b.content());
        assertThat(m.getHeader("Content-Transfer-Encoding", null)).isEqualTo("8bit");
        BodyPart returned = parts(m).getBodyPart(2);
        assertThat(type(returned)).isEqualTo("message/rfc822");
        assertThat(returned.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(raw(returned)).isEqualTo(original);
    }

    // ---- what cannot come back in full ----

    @Test
    void bigOriginalIsCutToHeaders() throws Exception {
        StringBuilder body = new StringBuilder();
        String line = "x".repeat(76) + "\r\n";
        while (body.length() < 1024 * 1024) body.append(line);
        byte[] big = (HEADERS + "\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), Envelope.Ret.FULL, null), big, failedBob(bob));
        assertThat(b.content().length).isLessThan(10_000);
        BodyPart returned = parts(parse(b.content())).getBodyPart(2);
        assertThat(type(returned)).isEqualTo("text/rfc822-headers");
        assertThat(new String(raw(returned), StandardCharsets.US_ASCII)).isEqualTo(HEADERS);
    }

    @Test
    void originalWithAnOverlongLineIsCutToHeaders() throws Exception {
        byte[] original = (HEADERS + "\r\n" + "y".repeat(2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), original, failedBob(bob));
        assertThat(type(parts(parse(b.content())).getBodyPart(2))).isEqualTo("text/rfc822-headers");
    }

    @Test
    void originalWithBrokenHeadersIsLeftOut() throws Exception {
        byte[] original = ("X-Long: " + "z".repeat(1200) + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipient bob = Recipient.of(BOB);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), original, failedBob(bob));
        assertThat(parts(parse(b.content())).getCount()).isEqualTo(2);
    }

    // ---- shape ----

    @Test
    void boundaryNeverAppearsInTheParts() throws Exception {
        // The original quotes what our boundaries look like; the chosen one must still be unique.
        byte[] original = (HEADERS + "\r\n--=_petrel_" + ID + "_\r\n--=_petrel_" + ID + "_00\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipient bob = Recipient.of(BOB);
        for (int i = 0; i < 20; i++) {
            Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), original, failedBob(bob));
            MimeMessage m = parse(b.content());
            String boundary = new ContentType(m.getContentType()).getParameter("boundary");
            assertThat(boundary.length()).isLessThanOrEqualTo(70);
            MimeMultipart mp = parts(m);
            assertThat(mp.getCount()).isEqualTo(3);
            for (int p = 0; p < 3; p++) {
                assertThat(new String(raw(mp.getBodyPart(p)), StandardCharsets.UTF_8)).doesNotContain(boundary);
            }
            assertThat(raw(mp.getBodyPart(2))).isEqualTo(original);
        }
    }

    @Test
    void hostileAndHugeRepliesStayWithinLineLimits() throws Exception {
        String hostile = "550-5.1.1 first line\r\nX-Injected: yes\r\n550 5.1.1 " + "word ".repeat(400)
                + "A".repeat(3000) + " tail\ttab";
        Recipient bob = new Recipient(BOB, Set.of(), "rfc822;" + "o".repeat(1500) + "@b.example");
        DsnEntry e = new DsnEntry(bob, new DeliveryStatus(BOB, DeliveryStatus.Outcome.PERMANENT_FAILURE, "5.1.1", hostile,
                "mx.b.example[192.0.2.25]:25", true), Action.FAILED);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, "env\r\nBcc: evil@example.net"), message(), e);
        String all = new String(b.content(), StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("\r\nX-Injected:", "\r\nBcc:");
        String status = text(parts(parse(b.content())).getBodyPart(1));
        assertThat(unfold(status)).contains("Original-Envelope-Id: env  Bcc: evil@example.net\r\n");
        // Folded at spaces: lines of words stay near 78 octets.
        for (String l : status.split("\r\n")) {
            if (!l.contains("AAAA") && !l.contains("oooo")) assertThat(l.length()).as(l).isLessThanOrEqualTo(78);
        }
    }

    @Test
    void malformedStatusCodeFallsBackToTheActionClass() throws Exception {
        Recipient bob = Recipient.of(BOB);
        DsnEntry e = new DsnEntry(bob, DeliveryStatus.permanent(BOB, "bogus", "refused", "local"), Action.FAILED);
        Bounce b = bounceFor(envelope(ALICE, List.of(bob), null, null), message(), e);
        String status = text(parts(parse(b.content())).getBodyPart(1));
        assertThat(status.split("\r\n")).contains("Status: 5.0.0").doesNotContain("Remote-MTA: dns; local");
        assertThat(status).doesNotContain("Remote-MTA", "Diagnostic-Code");
    }

    @Test
    void remoteHostIsTakenFromTheRelay() {
        assertThat(BounceBuilder.remoteHost("mx.b.example[192.0.2.1]:25")).isEqualTo("mx.b.example");
        assertThat(BounceBuilder.remoteHost("mx6.b.example[2001:db8::1]:25")).isEqualTo("mx6.b.example");
        assertThat(BounceBuilder.remoteHost("[192.0.2.1]:25")).isNull();
        assertThat(BounceBuilder.remoteHost("none")).isNull();
        assertThat(BounceBuilder.remoteHost("local")).isNull();
        assertThat(BounceBuilder.remoteHost("unknown[192.0.2.1]:25")).isNull();
    }

    // ---- an independent parser ----

    @Test
    void pythonEmailParserSeesADeliveryReport(@TempDir Path dir) throws Exception {
        MailAddress uber = new MailAddress("üser", "bücher.example");
        Recipient bob = Recipient.of(BOB);
        Recipient u = Recipient.of(uber);
        DsnEntry ue = new DsnEntry(u, DeliveryStatus.temporary(uber, "4.4.1", "timed out", "none"), Action.DELAYED);
        // One plain bounce, and one with a UTF-8 recipient, RET=HDRS and two recipient groups.
        Bounce plain = bounceFor(envelope(ALICE, List.of(bob), null, "E1"), message(), failedBob(bob));
        for (Bounce b : List.of(plain,
                bounceFor(envelope(ALICE, List.of(bob, u), Envelope.Ret.HDRS, null), message(), failedBob(bob), ue))) {
            Path in = dir.resolve("bounce.eml");
            Files.write(in, b.content());
            String script = """
                    import email, sys
                    m = email.message_from_bytes(sys.stdin.buffer.read())
                    print(m.get_content_type(), m.get_param('report-type'), len(m.defects))
                    for p in m.get_payload():
                        print(p.get_content_type(), len(p.defects))
                    # Python splits only message/delivery-status into its field groups.
                    if m.get_payload()[1].get_content_type() == 'message/delivery-status':
                        groups = m.get_payload()[1].get_payload()
                        print('groups', len(groups), groups[0]['Reporting-MTA'])
                        for g in groups[1:]:
                            print('action', g['Action'], g['Status'])
                    """;
            String out = python(dir, in, script);
            List<String> lines = out.lines().toList();
            assertThat(lines.getFirst()).isEqualTo("multipart/report delivery-status 0");
            assertThat(lines).contains("text/plain 0");
            if (b == plain) {
                assertThat(lines).contains("message/delivery-status 0", "message/rfc822 0",
                        "groups 2 dns; mx.example.org", "action failed 5.1.1");
            } else {
                assertThat(lines).contains("message/global-delivery-status 0", "text/rfc822-headers 0");
            }
        }
    }

    // ---- helpers ----

    private static String python(Path dir, Path input, String script) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script)
                .redirectInput(input.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python3 finished in time").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Every line ends in CRLF, no bare CR or LF, no line over 998 octets (RFC 5322 section 2.1.1). */
    static void assertWellFormed(byte[] b) {
        assertThat(b.length).isGreaterThan(2);
        assertThat(b[b.length - 2]).isEqualTo((byte) '\r');
        assertThat(b[b.length - 1]).isEqualTo((byte) '\n');
        int lineStart = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r') {
                assertThat(i + 1 < b.length && b[i + 1] == '\n').as("bare CR at %d", i).isTrue();
                assertThat(i - lineStart).as("line at %d is %d octets", lineStart, i - lineStart).isLessThanOrEqualTo(998);
                i++;
                lineStart = i + 1;
            } else {
                assertThat(b[i]).as("bare LF or NUL at %d", i).isNotIn((byte) '\n', (byte) 0);
            }
        }
    }

    private static MimeMessage parse(byte[] b) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(b));
    }

    private static MimeMultipart parts(MimeMessage m) throws Exception {
        return new MimeMultipart(m.getDataHandler().getDataSource());
    }

    private static String type(BodyPart p) throws Exception {
        return new ContentType(p.getContentType()).getBaseType();
    }

    private static byte[] raw(BodyPart p) throws Exception {
        return ((MimeBodyPart) p).getRawInputStream().readAllBytes();
    }

    private static String text(BodyPart p) throws Exception {
        return new String(raw(p), StandardCharsets.UTF_8);
    }

    /** Body text with its wrapping undone, for phrase searches. */
    private static String words(String s) {
        return s.replaceAll("\\s+", " ");
    }

    private static String unfold(String s) {
        return s.replace("\r\n ", " ");
    }
}
