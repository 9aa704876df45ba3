package dev.petrel.delivery;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;
import dev.petrel.queue.QueueControl.State;
import dev.petrel.server.SmtpTestClient;
import dev.petrel.testkit.SmtpSink;
import dev.petrel.testkit.SmtpSink.Captured;
import dev.petrel.testkit.TestDnsServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Relaying end to end against real peers: a whole Petrel ({@link Petrel#start}) takes a message on
 * its MX listener from a trusted loopback client, looks up the recipient domain's MX hosts at a
 * {@link TestDnsServer} (the only resolver it ever asks), and delivers to Postfix's smtp-sink
 * ({@link SmtpSink}) listening on port 25 of 127.0.42.x or ::1. Bounces go to the sender, a local
 * user, whose Maildir the tests read with Angus Mail.
 *
 * <p>Needs root (port 25) and {@code /usr/sbin/smtp-sink}; skipped otherwise. Only loopback
 * addresses are used; every process and socket is closed after each test.
 */
@Timeout(60)
class RelayIntegrationTest {
    /** MX host addresses: distinct loopback addresses, so that "port 25 of this host" means one peer. */
    private static final String MX1 = "127.0.42.2";
    private static final String MX2 = "127.0.42.3";
    private static final String SENDER = "alice@local.test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private Petrel petrel;
    private final List<AutoCloseable> peers = new ArrayList<>();

    /** The knobs that differ between tests; everything else is in {@link #startPetrel}. */
    private record Settings(String retryMin, String retryMax, String maxAge, String commandTimeout) {
        static final Settings DEFAULT = new Settings("1s", "2s", "60s", "5s");

        Settings retry(String min, String max) {
            return new Settings(min, max, maxAge, commandTimeout);
        }

        Settings maxAge(String age) {
            return new Settings(retryMin, retryMax, age, commandTimeout);
        }

        Settings commandTimeout(String timeout) {
            return new Settings(retryMin, retryMax, maxAge, timeout);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(SmtpSink.available(), "Postfix's smtp-sink is not installed (/usr/sbin/smtp-sink)");
        assumeTrue(canListen(MX1, 25) && canListen(MX2, 25),
                "cannot listen on port 25 of " + MX1 + " and " + MX2 + " (needs root, and nothing else there)");
        dns = TestDnsServer.start();
    }

    @AfterEach
    void tearDown() {
        if (petrel != null) petrel.close();
        List<AutoCloseable> reversed = new ArrayList<>(peers);
        Collections.reverse(reversed);
        for (AutoCloseable p : reversed) {
            try {
                p.close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
        if (dns != null) dns.close();
    }

    // ---- 1. happy path

    @Test
    void deliversToTheMxHostIntact() throws Exception {
        dns.addMx("remote.test", 10, "mx.remote.test").addA("mx.remote.test", MX1);
        SmtpSink sink = sink(MX1);
        startPetrel(Settings.DEFAULT);

        String message = message("bob@remote.test", "happy path");
        send(List.of("bob@remote.test"), message);

        Captured got = awaitOneMessage(sink);
        assertThat(got.mailArgs()).startsWith("<" + SENDER + ">");
        assertThat(got.rcptArgs()).singleElement().asString().startsWith("<bob@remote.test>");
        assertThat(got.clientAddr()).isEqualTo("127.0.0.1");
        assertThat(receivedHeader(got.content())).startsWith("Received: ").contains("by petrel.test");
        assertThat(afterReceived(got.content())).isEqualTo(lf(message));
        awaitQueueEmpty();
        assertThat(dns.count("remote.test", "MX")).isEqualTo(1);
        assertThat(dns.queries()).allSatisfy(q -> assertThat(q.name()).endsWith("remote.test."));
    }

    // ---- 2. MX preference order

    @Test
    void triesMxHostsInPreferenceOrder() throws Exception {
        // Listed in reverse order: the preference decides, not the order of the answer.
        dns.addMx("pref.test", 20, "mx2.pref.test").addMx("pref.test", 10, "mx1.pref.test")
                .addA("mx1.pref.test", MX1).addA("mx2.pref.test", MX2);
        SmtpSink first = sink(MX1);
        SmtpSink second = sink(MX2);
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@pref.test"), message("bob@pref.test", "preference"));

        awaitOneMessage(first);
        awaitQueueEmpty();
        assertThat(second.all()).isEmpty();
    }

    @Test
    void fallsBackToTheNextMxWhenTheFirstRefusesConnections() throws Exception {
        dns.addMx("pref.test", 10, "mx1.pref.test").addMx("pref.test", 20, "mx2.pref.test")
                .addA("mx1.pref.test", MX1).addA("mx2.pref.test", MX2);
        // Nothing listens on MX1:25: the connection is refused.
        SmtpSink second = sink(MX2);
        startPetrel(Settings.DEFAULT);

        String message = message("bob@pref.test", "first MX refuses");
        send(List.of("bob@pref.test"), message);

        assertThat(afterReceived(awaitOneMessage(second).content())).isEqualTo(lf(message));
        awaitQueueEmpty();
        assertThat(dns.count("mx1.pref.test", "A")).isEqualTo(1); // it was considered, and first
    }

    @Test
    void fallsBackToTheNextMxWhenTheFirstNeverGreets() throws Exception {
        dns.addMx("pref.test", 10, "mx1.pref.test").addMx("pref.test", 20, "mx2.pref.test")
                .addA("mx1.pref.test", MX1).addA("mx2.pref.test", MX2);
        SilentServer silent = new SilentServer(MX1, 25);
        peers.add(silent);
        SmtpSink second = sink(MX2);
        startPetrel(Settings.DEFAULT.commandTimeout("1s"));

        long start = System.nanoTime();
        send(List.of("bob@pref.test"), message("bob@pref.test", "first MX never greets"));

        awaitOneMessage(second);
        awaitQueueEmpty();
        assertThat(silent.accepted()).isGreaterThanOrEqualTo(1);
        // One greeting timeout, not a retry round: the second MX got it in the same attempt.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    // ---- 3. 4xx, then success

    /**
     * smtp-sink answers the same way for its whole life, so the 451 server is replaced by an
     * accepting one between the attempts (the connection Petrel pooled dies with the first).
     */
    @ParameterizedTest(name = "451 at {0}")
    @ValueSource(strings = {"RCPT", "."})
    void retriesAfterATemporaryFailureAndDeliversExactlyOnce(String command) throws Exception {
        dns.addMx("grey.test", 10, "mx.grey.test").addA("mx.grey.test", MX1);
        SmtpSink greylisting = sink(MX1, "-r", command, "-b", "451 4.7.1 Greylisted, please try again later");
        startPetrel(Settings.DEFAULT.retry("2s", "2s"));

        String message = message("bob@grey.test", "greylisted at " + command);
        String id = send(List.of("bob@grey.test"), message);

        RecipientState deferred = awaitRecipient(id, State.DEFERRED);
        assertThat(deferred.lastError()).contains("451 4.7.1 Greylisted, please try again later");
        assertThat(petrel.spool().list()).hasSize(1);
        if (command.equals(".")) assertThat(greylisting.messages()).hasSize(1); // refused after the data
        greylisting.close();

        SmtpSink accepting = sink(MX1);
        Captured got = awaitOneMessage(accepting);
        awaitQueueEmpty();
        assertThat(afterReceived(got.content())).isEqualTo(lf(message));
        // The queue is empty, so nothing can be sent again: exactly once.
        assertThat(accepting.messages()).hasSize(1);
    }

    // ---- 4. 5xx

    @Test
    void bouncesToTheLocalSenderWhenTheRemoteRefusesTheRecipient() throws Exception {
        String refusal = "550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown";
        dns.addMx("remote.test", 10, "mx.remote.test").addA("mx.remote.test", MX1);
        SmtpSink sink = sink(MX1, "-f", "RCPT", "-B", refusal);
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@remote.test"), message("bob@remote.test", "refused recipient"));

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; bob@remote.test", "Action: failed",
                "Status: 5.1.1", "Remote-MTA: dns; mx.remote.test", "Diagnostic-Code: smtp; " + refusal);
        assertThat(report.human()).contains("<bob@remote.test>", refusal);
        assertThat(report.returned()).contains("Subject: refused recipient");
        awaitQueueEmpty();
        assertThat(sink.messages()).isEmpty();
        assertThat(sink.commands("rcpt")).as("a 5xx is not retried").isEqualTo(1);
    }

    // ---- 5. DNS outcomes

    @Test
    void nullMxBouncesAtOnceWith5_1_10() throws Exception {
        dns.addMx("nullmx.test", 0, ".");
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@nullmx.test"), message("bob@nullmx.test", "null MX"));

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; bob@nullmx.test", "Action: failed",
                "Status: 5.1.10");
        assertThat(report.human()).contains("null MX");
        awaitQueueEmpty();
        // Bounced on the first attempt, not after retries: one MX lookup, and no address lookups.
        assertThat(dns.count("nullmx.test", "MX")).isEqualTo(1);
        assertThat(dns.queries()).allSatisfy(q -> assertThat(q.type()).isEqualTo("MX"));
    }

    @Test
    void nxdomainBouncesWith5_1_2() throws Exception {
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@nowhere.test"), message("bob@nowhere.test", "no such domain"));

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; bob@nowhere.test", "Action: failed",
                "Status: 5.1.2");
        assertThat(report.human()).contains("NXDOMAIN");
        awaitQueueEmpty();
        assertThat(dns.count("nowhere.test", "MX")).isEqualTo(1);
    }

    @Test
    void servfailDefersUntilDnsIsHealedAndTheQueueFlushed() throws Exception {
        dns.addMx("flaky.test", 10, "mx.flaky.test").addA("mx.flaky.test", MX1).servfail("flaky.test");
        SmtpSink sink = sink(MX1);
        // A long retry delay: only the flush can bring the second attempt within this test.
        startPetrel(Settings.DEFAULT.retry("5m", "5m"));

        String id = send(List.of("bob@flaky.test"), message("bob@flaky.test", "servfail"));

        RecipientState deferred = awaitRecipient(id, State.DEFERRED);
        assertThat(deferred.lastError()).contains("MX", "flaky.test", "SERVFAIL");
        assertThat(deferred.attempts()).isEqualTo(1);
        assertThat(petrel.spool().list()).hasSize(1);
        assertThat(sink.all()).isEmpty();
        assertThat(maildir()).isEmpty(); // no bounce, no delay notice

        dns.heal("flaky.test");
        assertThat(petrel.scheduler().flush(Optional.empty())).isEqualTo(1);

        awaitOneMessage(sink);
        awaitQueueEmpty();
        assertThat(maildir()).isEmpty();
    }

    // ---- 6. expiry

    @Test
    void expiresAfterMaxAgeAndBouncesWithTheLastError() throws Exception {
        dns.addMx("down.test", 10, "mx.down.test").addA("mx.down.test", MX1);
        SmtpSink sink = sink(MX1, "-r", "RCPT", "-b", "451 4.3.2 System not accepting network messages");
        startPetrel(Settings.DEFAULT.retry("1s", "1s").maxAge("4s"));

        send(List.of("bob@down.test"), message("bob@down.test", "expiring"));

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; bob@down.test", "Action: failed", "Status: 4.4.7");
        assertThat(report.human()).contains("expired", "451 4.3.2 System not accepting network messages");
        awaitQueueEmpty();
        assertThat(petrel.spool().list()).isEmpty();
        assertThat(sink.commands("rcpt")).as("attempts before giving up: %s", sink.describe()).isGreaterThanOrEqualTo(2);
        assertThat(sink.messages()).isEmpty();
    }

    // ---- 7. two domains, one good, one refusing

    @Test
    void deliversTheGoodRecipientOnceAndBouncesOnlyTheRefusedOne() throws Exception {
        String refusal = "550 5.1.1 <carol@bad.test>: Recipient address rejected: User unknown";
        dns.addMx("good.test", 10, "mx.good.test").addA("mx.good.test", MX1)
                .addMx("bad.test", 10, "mx.bad.test").addA("mx.bad.test", MX2);
        SmtpSink good = sink(MX1);
        SmtpSink bad = sink(MX2, "-f", "RCPT", "-B", refusal);
        startPetrel(Settings.DEFAULT);

        String message = message("bob@good.test, carol@bad.test", "one good, one bad");
        send(List.of("bob@good.test", "carol@bad.test"), message);

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; carol@bad.test", "Action: failed",
                "Status: 5.1.1", "Diagnostic-Code: smtp; " + refusal);
        assertThat(report.status()).doesNotContain("bob@good.test");
        awaitQueueEmpty();
        Captured got = awaitOneMessage(good);
        assertThat(got.rcptArgs()).singleElement().asString().startsWith("<bob@good.test>");
        assertThat(afterReceived(got.content())).isEqualTo(lf(message));
        assertThat(good.messages()).hasSize(1);
        assertThat(bad.messages()).isEmpty();
        assertThat(bad.commands("rcpt")).isEqualTo(1);
        assertThat(bad.commands("data")).isZero();
        assertThat(maildir()).hasSize(1);
    }

    // ---- 7b. NOTIFY=SUCCESS (RFC 3461 5.2.2)

    @Test
    void aSuccessNoticeSaysRelayedWhenTheMxTakesNoDsn() throws Exception {
        dns.addMx("remote.test", 10, "mx.remote.test").addA("mx.remote.test", MX1);
        SmtpSink sink = sink(MX1, "-N"); // announces no DSN
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@remote.test NOTIFY=SUCCESS"), message("bob@remote.test", "tell me"));

        Report report = awaitBounce();
        assertThat(report.status()).contains("Final-Recipient: rfc822; bob@remote.test", "Action: relayed", "Status: 2.0.0");
        assertThat(awaitOneMessage(sink).rcptArgs()).singleElement().asString().isEqualTo("<bob@remote.test>");
        awaitQueueEmpty();
    }

    @Test
    void anMxThatOffersDsnGetsNotifySuccessAndWeSendNoNotice() throws Exception {
        dns.addMx("remote.test", 10, "mx.remote.test").addA("mx.remote.test", MX1);
        SmtpSink sink = sink(MX1);
        startPetrel(Settings.DEFAULT);

        send(List.of("bob@remote.test NOTIFY=SUCCESS,FAILURE", "carol@remote.test"), message("bob@remote.test", "pass it on"));

        Captured got = awaitOneMessage(sink);
        assertThat(got.rcptArgs()).containsExactly("<bob@remote.test> NOTIFY=SUCCESS,FAILURE", "<carol@remote.test>");
        awaitQueueEmpty(); // a notice would be queued before the message leaves the queue
        assertThat(maildir()).isEmpty();
    }

    @Test
    void aLocalDeliveryAskedForIsReportedAsDeliveredAndOthersAreNot() throws Exception {
        startPetrel(Settings.DEFAULT);

        send(List.of("alice@local.test NOTIFY=SUCCESS"), message("alice@local.test", "to myself"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(maildir()).hasSize(2));
        awaitQueueEmpty();
        List<String> files = new ArrayList<>();
        for (Path f : maildir()) files.add(Files.readString(f, StandardCharsets.UTF_8));
        assertThat(files).filteredOn(f -> !f.contains("report-type=delivery-status")).singleElement().asString()
                .contains("Subject: to myself");
        String notice = files.stream().filter(f -> f.contains("report-type=delivery-status")).findFirst().orElseThrow();
        assertThat(notice.replaceAll("\\r?\\n[ \\t]+", " ")).contains("Successful Mail Delivery Report", "Action: delivered",
                "Final-Recipient: rfc822; alice@local.test", "Status: 2.0.0");

        send(List.of("alice@local.test"), message("alice@local.test", "no notice asked"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(maildir()).hasSize(3));
        awaitQueueEmpty();
        assertThat(maildir()).hasSize(3);
    }

    // ---- 8. IPv6

    @Test
    void deliversToAnIpv6OnlyMxHost() throws Exception {
        assumeTrue(canListen("::1", 0), "::1 is not available on this host");
        assumeTrue(canListen("::1", 25), "cannot listen on [::1]:25");
        dns.addMx("v6.test", 10, "mx.v6.test").addAaaa("mx.v6.test", "::1");
        SmtpSink sink = sink("::1");
        startPetrel(Settings.DEFAULT);

        String message = message("bob@v6.test", "over IPv6");
        send(List.of("bob@v6.test"), message);

        Captured got = awaitOneMessage(sink);
        assertThat(got.clientAddr()).isEqualTo("ipv6:::1");
        assertThat(afterReceived(got.content())).isEqualTo(lf(message));
        awaitQueueEmpty();
        assertThat(dns.count("mx.v6.test", "AAAA")).isEqualTo(1);
    }

    // ---- shutdown

    @Test
    void shutdownSaysQuitOnPooledConnections() throws Exception {
        dns.addMx("remote.test", 10, "mx.remote.test").addA("mx.remote.test", MX1);
        SmtpSink sink = sink(MX1);
        startPetrel(Settings.DEFAULT);
        send(List.of("bob@remote.test"), message("bob@remote.test", "pooled"));
        awaitOneMessage(sink);
        awaitQueueEmpty();
        assertThat(sink.commands("quit")).as("kept for reuse (connection_idle = 30s)").isZero();

        petrel.close();
        petrel = null;

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sink.commands("quit")).isEqualTo(1));
    }

    // ---- Petrel

    private void startPetrel(Settings s) throws Exception {
        int port = freePort();
        Path data = dir.resolve("data");
        String toml = """
                [server]
                hostname = "petrel.test"
                data_dir = "%s"

                [[listener]]
                name = "mx"
                address = "127.0.0.1:%d"
                mode = "mx"
                tls = "none"

                [relay]
                local_domains = ["local.test"]

                [local]
                users = ["alice"]
                maildir_root = "%s"

                [queue]
                retry_min = "%s"
                retry_max = "%s"
                max_age = "%s"
                connection_idle = "30s"

                [delivery]
                resolver = "127.0.0.1:%d"
                connect_timeout = "2s"
                command_timeout = "%s"
                """.formatted(data, port, maildirRoot(), s.retryMin(), s.retryMax(), s.maxAge(),
                dns.address().getPort(), s.commandTimeout());
        Path file = dir.resolve("petrel.toml");
        Files.writeString(file, toml);
        petrel = Petrel.start(ConfigLoader.load(file));
    }

    private Path maildirRoot() {
        return dir.resolve("mail");
    }

    /**
     * Sends one message from {@link #SENDER} over the MX listener, as a trusted loopback client
     * (relaying allowed); dot-stuffs it. Returns the queue id from the 250 reply.
     */
    private String send(List<String> recipients, String message) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.smtp().address(0).getPort())) {
            expect(c.read(), 220);
            expect(c.command("EHLO client.local.test"), 250);
            expect(c.command("MAIL FROM:<" + SENDER + ">"), 250);
            for (String r : recipients) { // "bob@x.test" or "bob@x.test NOTIFY=SUCCESS"
                int space = r.indexOf(' ');
                String address = space < 0 ? r : r.substring(0, space);
                expect(c.command("RCPT TO:<" + address + ">" + (space < 0 ? "" : r.substring(space))), 250);
            }
            expect(c.command("DATA"), 354);
            StringBuilder wire = new StringBuilder();
            for (String line : message.split("\r\n", -1)) wire.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            wire.setLength(wire.length() - 2); // split gave a last empty element after the final CRLF
            c.send(wire + ".\r\n");
            SmtpTestClient.Response r = expect(c.read(), 250);
            c.command("QUIT");
            return r.line().substring(r.line().lastIndexOf(' ') + 1);
        }
    }

    private static SmtpTestClient.Response expect(SmtpTestClient.Response r, int code) {
        assertThat(r.code()).as("reply %s", r.lines()).isEqualTo(code);
        return r;
    }

    private static String message(String to, String subject) {
        return "From: Alice <" + SENDER + ">\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@local.test>\r\n"
                + "Date: Tue, 01 Sep 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Hello,\r\n"
                + ".a line that starts with a dot\r\n"
                + "..and one with two\r\n"
                + "\r\n"
                + "Last line.\r\n";
    }

    private void awaitQueueEmpty() throws IOException {
        await().atMost(WAIT).untilAsserted(() -> assertThat(petrel.scheduler().list()).isEmpty());
        assertThat(petrel.spool().list()).isEmpty();
    }

    private RecipientState awaitRecipient(String id, State state) {
        return await().atMost(WAIT).until(() -> {
            for (QueueEntry e : petrel.scheduler().list()) {
                if (e.id().value().equals(id) && e.recipients().getFirst().state() == state) return e.recipients().getFirst();
            }
            return null;
        }, r -> r != null);
    }

    // ---- what the peers got

    private static Captured awaitOneMessage(SmtpSink sink) throws IOException {
        await().atMost(WAIT).untilAsserted(() -> assertThat(sink.messages()).as(sink.describe()).hasSize(1));
        return sink.messages().getFirst();
    }

    /** Petrel's own Received: header, the first header of what it sent on. */
    private static String receivedHeader(String content) {
        return content.substring(0, content.length() - afterReceived(content).length());
    }

    /** The content without its first header (Petrel's Received:, folded or not). */
    private static String afterReceived(String content) {
        assertThat(content).startsWith("Received: ");
        int i = content.indexOf('\n') + 1;
        while (content.startsWith(" ", i) || content.startsWith("\t", i)) i = content.indexOf('\n', i) + 1;
        return content.substring(i);
    }

    private static String lf(String crlf) {
        return crlf.replace("\r\n", "\n");
    }

    /** The three parts of an RFC 3464 report, unfolded. */
    private record Report(String human, String status, String returned) {}

    /** Waits for the one bounce in alice's Maildir and checks its RFC 3464 structure. */
    private Report awaitBounce() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(maildir()).hasSize(1));
        Path file = maildir().getFirst();
        MimeMessage bounce;
        try (InputStream in = Files.newInputStream(file)) {
            bounce = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(bounce.isMimeType("multipart/report")).as(bounce.getContentType()).isTrue();
        assertThat(bounce.getContentType()).contains("report-type=delivery-status");
        assertThat(bounce.getHeader("Return-Path", null)).isIn(null, "<>");
        assertThat(bounce.getSubject()).isNotBlank();
        MimeMultipart parts = (MimeMultipart) bounce.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(1).isMimeType("message/delivery-status")).isTrue();
        return new Report(text(parts.getBodyPart(0)), text(parts.getBodyPart(1)), text(parts.getBodyPart(2)));
    }

    private static String text(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return raw.replaceAll("\r?\n[ \t]+", " ");
        }
    }

    /** Files delivered to alice (her Maildir's new/). */
    private List<Path> maildir() throws IOException {
        Path inbox = maildirRoot().resolve("alice").resolve("new");
        if (!Files.isDirectory(inbox)) return List.of();
        try (Stream<Path> s = Files.list(inbox)) {
            return s.sorted().toList();
        }
    }

    // ---- peers

    private SmtpSink sink(String host, String... options) throws IOException {
        SmtpSink sink = SmtpSink.start(dir, host, 25, options);
        peers.add(sink);
        return sink;
    }

    /** Accepts TCP connections and never says a word (a hung MX host). */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger accepted = new AtomicInteger();

        SilentServer(String host, int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        sockets.add(server.accept());
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-mx");
            t.setDaemon(true);
            t.start();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) s.close();
            }
        }
    }

    private static boolean canListen(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
