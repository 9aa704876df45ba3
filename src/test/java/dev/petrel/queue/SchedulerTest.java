package dev.petrel.queue;

import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Router;
import dev.petrel.delivery.Transport;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler over a real file spool with scripted transports: retries, bounces, expiry,
 * partial progress that survives a restart, and the operator's controls.
 */
@Timeout(60)
class SchedulerTest {
    @TempDir
    Path dir;

    private final List<Scheduler> schedulers = new ArrayList<>();
    /** Every delivery attempt: "rcpt=outcome". */
    private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<Character>> script = new ConcurrentHashMap<>();
    private final List<Notices.Kind> notices = Collections.synchronizedList(new ArrayList<>());
    /** Per notice, the recipients it reports on. */
    private final List<List<String>> noticeRecipients = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        schedulers.forEach(Scheduler::close);
    }

    /** Per recipient, a list of outcomes to return in turn: 'D'elivered, 'T'emporary, 'P'ermanent; default D. */
    private void script(String rcpt, String outcomes) {
        List<Character> l = Collections.synchronizedList(new ArrayList<>());
        for (char c : outcomes.toCharArray()) l.add(c);
        script.put(rcpt, l);
    }

    private final Transport transport = (Delivery d, Route route) -> d.recipients().stream().map(r -> {
        String a = r.address().toString();
        List<Character> l = script.get(a);
        char c = l == null || l.isEmpty() ? 'D' : l.removeFirst();
        attempts.add(a + "=" + c);
        return switch (c) {
            case 'T' -> DeliveryStatus.temporary(r.address(), "4.2.0", "451 4.2.0 try later", "mx.test[127.0.0.1]:25");
            case 'P' -> new DeliveryStatus(r.address(), DeliveryStatus.Outcome.PERMANENT_FAILURE, "5.1.1",
                    "550 5.1.1 user unknown", "mx.test[127.0.0.1]:25", true);
            default -> new DeliveryStatus(r.address(), DeliveryStatus.Outcome.DELIVERED, "2.0.0", "250 ok", "mx.test[127.0.0.1]:25", true);
        };
    }).toList();

    private final Notices fakeNotices = (kind, id, env, content, entries, now, until) -> {
        if (env.hasNullSender()) return null;
        noticeRecipients.add(entries.stream().map(e -> e.recipient().address().toString()).toList());
        notices.add(kind);
        Envelope bounce = new Envelope(null, List.of(Recipient.of(env.sender())), Envelope.BodyType.SEVEN_BIT, false, null,
                null, null, IpLiteral.parse("127.0.0.1"), "localhost", "bounce", null, now);
        return new Notices.Notice(bounce, ("Subject: " + kind + " " + entries.size() + "\r\n\r\nnotice\r\n").getBytes(StandardCharsets.US_ASCII));
    };

    private Scheduler scheduler(FileSpool spool, Duration maxAge, Duration delayWarning) throws Exception {
        PetrelConfig.Queue cfg = new PetrelConfig.Queue(Duration.ofMillis(100), Duration.ofMillis(400), maxAge, delayWarning,
                10, 5, Duration.ZERO, 10);
        Router router = new Router(List.of("local.test"), List.of(), null, PetrelConfig.OutboundTls.NONE);
        Scheduler s = new Scheduler(spool, router, r -> transport, fakeNotices, cfg, Clock.systemUTC());
        schedulers.add(s);
        s.start();
        return s;
    }

    private QueueId submit(FileSpool spool, Scheduler s, String... rcpts) throws Exception {
        return submitQuarantined(spool, s, null, rcpts);
    }

    private QueueId submitQuarantined(FileSpool spool, Scheduler s, String quarantine, String... rcpts) throws Exception {
        List<Recipient> rs = new ArrayList<>();
        for (String r : rcpts) {
            String[] p = r.split("@");
            rs.add(Recipient.of(new MailAddress(p[0], p[1])));
        }
        Envelope env = new Envelope(new MailAddress("sender", "client.test"), rs, Envelope.BodyType.SEVEN_BIT, false, null,
                null, null, IpLiteral.parse("127.0.0.1"), "client.test", "test", null, Instant.now());
        if (quarantine != null) env = env.withQuarantine(quarantine);
        byte[] body = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        try (SpoolWriter w = spool.create(env, body.length)) {
            w.write(body, 0, body.length);
            w.commit();
            if (s != null) s.committed(w.id(), env, body.length);
            return w.id();
        }
    }

    @Test
    void deliveredMessageIsRemovedWithoutAStatusLog() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, s, "a@remote.test");
        await().until(() -> spool.list().isEmpty());
        assertThat(attempts).containsExactly("a@remote.test=D");
        assertThat(spool.readStatus(id)).isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void temporaryFailureIsRetriedAndDeliveredOnce() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "TTD");
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        submit(spool, s, "a@remote.test");
        await().until(() -> spool.list().isEmpty());
        assertThat(attempts).containsExactly("a@remote.test=T", "a@remote.test=T", "a@remote.test=D");
        assertThat(notices).isEmpty();
    }

    @Test
    void permanentFailureQueuesABounceToTheSenderAndRemovesTheMessage() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "P");
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, s, "a@remote.test");
        await().until(() -> attempts.contains("sender@client.test=D"));
        await().until(() -> spool.list().isEmpty());
        assertThat(notices).containsExactly(Notices.Kind.FAILED);
        assertThat(attempts).containsExactly("a@remote.test=P", "sender@client.test=D");
        assertThat(s.show(id)).isEmpty();
    }

    @Test
    void aRecipientThatFailsForGoodIsBouncedAtOnceWhileAnotherIsStillRetried() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "P");
        script("b@remote.test", "TTTTD");
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, s, "a@remote.test", "b@remote.test");
        await().until(() -> notices.contains(Notices.Kind.FAILED));
        assertThat(attempts).as("b is still being retried").doesNotContain("b@remote.test=D");
        assertThat(spool.readStatus(id)).anyMatch(l -> l.startsWith("N\t") && l.endsWith("\t0"));
        await().until(() -> spool.list().isEmpty());
        assertThat(attempts).contains("b@remote.test=D");
        assertThat(notices).as("one bounce, for a only").containsExactly(Notices.Kind.FAILED);
        assertThat(noticeRecipients).containsExactly(List.of("a@remote.test"));
    }

    @Test
    void eachLaterFailureGetsItsOwnBounceAndNobodyIsReportedTwice() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "P");
        script("b@remote.test", "TTP");
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        submit(spool, s, "a@remote.test", "b@remote.test");
        await().until(() -> spool.list().isEmpty() && notices.size() == 2);
        assertThat(noticeRecipients).containsExactly(List.of("a@remote.test"), List.of("b@remote.test"));
    }

    @Test
    void aRestartDoesNotReportAFailureTheLogSaysWasReported() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "P");
        script("b@remote.test", "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT");
        Scheduler first = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, first, "a@remote.test", "b@remote.test");
        await().until(() -> spool.readStatus(id).stream().anyMatch(l -> l.startsWith("N\t")));
        first.close();
        assertThat(notices).hasSize(1);

        script.put("b@remote.test", Collections.synchronizedList(new ArrayList<>(List.of('D'))));
        FileSpool reopened = new FileSpool(dir.resolve("spool"), 0);
        Scheduler second = scheduler(reopened, Duration.ofDays(5), Duration.ZERO);
        await().until(() -> reopened.list().isEmpty() && second.size() == 0);
        assertThat(notices).as("a's bounce went out before the restart, and only then").hasSize(1);
    }

    @Test
    void anOlderLogsBounceLineWithoutRecipientsCoversEveryFailureBeforeIt() {
        assertThat(StatusRecord.parse("N\t1700000000000")).isEqualTo(new StatusRecord.BounceSent(null));
        assertThat(StatusRecord.parse("N\t1700000000000\t0,2")).isEqualTo(new StatusRecord.BounceSent(List.of(0, 2)));
        Envelope env = new Envelope(new MailAddress("s", "client.test"), List.of(Recipient.of(new MailAddress("a", "x.test")),
                Recipient.of(new MailAddress("b", "x.test")), Recipient.of(new MailAddress("c", "x.test"))),
                Envelope.BodyType.SEVEN_BIT, false, null, null, null, IpLiteral.parse("127.0.0.1"), "h", "test", null, Instant.now());
        QueuedMessage q = new QueuedMessage(QueueId.generate(System.currentTimeMillis()), env, 10);
        q.apply(StatusRecord.parse("F\t0\t1\t5.1.1\tmx\t550 no"));
        q.apply(StatusRecord.parse("N\t2"));
        q.apply(StatusRecord.parse("F\t2\t3\t5.1.1\tmx\t550 no"));
        assertThat(q.failedUnreported()).containsExactly(2);
    }

    @Test
    void aBounceThatFailsIsNotBouncedAgain() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "P");
        script("sender@client.test", "P");
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        submit(spool, s, "a@remote.test");
        await().until(() -> attempts.contains("sender@client.test=P"));
        await().until(() -> spool.list().isEmpty());
        assertThat(notices).containsExactly(Notices.Kind.FAILED);
    }

    @Test
    void expiredMessageIsBouncedWithTheLastError() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT");
        Scheduler s = scheduler(spool, Duration.ofSeconds(3), Duration.ofMillis(200));
        submit(spool, s, "a@remote.test");
        await().until(() -> notices.contains(Notices.Kind.FAILED));
        await().until(() -> spool.list().isEmpty());
        assertThat(notices).containsExactly(Notices.Kind.DELAYED, Notices.Kind.FAILED);
    }

    @Test
    void partialProgressSurvivesARestartAndNobodyGetsItTwice() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("b@remote.test", "TTTTTTTTTTTTTTTTTTTT");
        Scheduler first = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, first, "a@remote.test", "b@remote.test");
        await().until(() -> attempts.contains("a@remote.test=D") && attempts.contains("b@remote.test=T"));
        await().until(() -> spool.readStatus(id).stream().anyMatch(l -> l.startsWith("R\t")));
        first.close();
        assertThat(spool.readStatus(id)).anyMatch(l -> l.startsWith("D\t0\t"));

        script.remove("b@remote.test");
        attempts.clear();
        FileSpool reopened = new FileSpool(dir.resolve("spool"), 0);
        Scheduler second = scheduler(reopened, Duration.ofDays(5), Duration.ZERO);
        await().until(() -> reopened.list().isEmpty() && second.size() == 0);
        assertThat(attempts).containsExactly("b@remote.test=D");
    }

    @Test
    void quarantinedMessageIsHeldAcrossARestartUntilReleased() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        Scheduler first = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submitQuarantined(spool, first, "client listed in bl.test; rule=dnsbl:bl.test", "a@remote.test");
        assertThat(first.show(id).orElseThrow().held()).isTrue();
        assertThat(first.flush(Optional.empty())).isZero();
        Thread.sleep(500);
        first.close();
        assertThat(attempts).as("a quarantined message is never tried").isEmpty();

        // The hold is in the message file itself: a restart keeps it held.
        Scheduler second = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        assertThat(second.show(id).orElseThrow().held()).isTrue();
        Thread.sleep(300);
        assertThat(attempts).isEmpty();
        assertThat(second.release(id)).isTrue();
        await().until(() -> spool.list().isEmpty());
        assertThat(attempts).containsExactly("a@remote.test=D");
    }

    @Test
    void holdReleaseFlushDeleteAndBounce() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        script("a@remote.test", "T".repeat(100));
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        QueueId id = submit(spool, s, "a@remote.test");
        await().until(() -> attempts.size() >= 1);
        await().until(() -> s.show(id).orElseThrow().recipients().getFirst().lastError() != null);
        assertThat(s.hold(id)).isTrue();
        assertThat(s.show(id).orElseThrow().held()).isTrue();
        int before = attempts.size();
        Thread.sleep(600);
        assertThat(attempts).as("no attempts while held").hasSize(before);
        assertThat(s.release(id)).isTrue();
        await().until(() -> attempts.size() > before);
        assertThat(s.list()).extracting(QueueControl.QueueEntry::id).containsExactly(id);
        assertThat(s.show(id).orElseThrow().recipients().getFirst().state()).isEqualTo(QueueControl.State.DEFERRED);
        assertThat(s.show(id).orElseThrow().recipients().getFirst().lastError()).isEqualTo("451 4.2.0 try later");

        assertThat(s.bounce(id)).isTrue();
        await().until(() -> notices.contains(Notices.Kind.FAILED));
        await().until(() -> spool.list().isEmpty());

        QueueId other = submit(spool, s, "a@remote.test");
        await().until(() -> s.show(other).map(e -> e.recipients().getFirst().lastError() != null).orElse(false));
        assertThat(s.flush(Optional.empty())).isLessThanOrEqualTo(1);
        assertThat(s.delete(other)).isTrue();
        assertThat(spool.list()).isEmpty();
        assertThat(s.delete(other)).isFalse();
        assertThat(s.hold(other)).isFalse();
    }

    @Test
    void backoffDoublesUpToTheMaximum() throws Exception {
        FileSpool spool = new FileSpool(dir.resolve("spool"), 0);
        Scheduler s = scheduler(spool, Duration.ofDays(5), Duration.ZERO);
        Function<Integer, Long> ms = n -> s.backoff(n).toMillis();
        assertThat(List.of(ms.apply(1), ms.apply(2), ms.apply(3), ms.apply(4), ms.apply(10))).containsExactly(100L, 200L, 400L, 400L, 400L);
    }
}
