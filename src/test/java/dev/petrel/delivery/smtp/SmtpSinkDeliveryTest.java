package dev.petrel.delivery.smtp;

import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.message.Envelope;
import dev.petrel.message.Recipient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.petrel.delivery.smtp.Fixtures.addr;
import static dev.petrel.delivery.smtp.Fixtures.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SmtpTransport against Postfix's smtp-sink: the happy path and failures chosen with its options. */
@Timeout(60)
class SmtpSinkDeliveryTest {
    private static final Route ROUTE = new Route.Mx("sink.test", null);

    @TempDir Path dir;

    @BeforeAll
    static void needsSmtpSink() {
        assumeTrue(SmtpSink.available(), "smtp-sink is not installed");
    }

    private static List<DeliveryStatus> deliver(SmtpSink sink, Delivery d) {
        try (SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(Fixtures.target("sink.test", sink.port())))) {
            return t.deliver(d, ROUTE);
        }
    }

    @Test
    void deliversWithDsnParametersAndTheContentArrivesIntact() throws Exception {
        Envelope env = new Envelope(addr("sender@petrel.test"), List.of(
                new Recipient(addr("a@sink.test"), Set.of(Recipient.Notify.FAILURE, Recipient.Notify.SUCCESS), "rfc822;A+b@sink.test"),
                Recipient.of(addr("b@sink.test"))),
                Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.HDRS, "id 42", null, Fixtures.LOOPBACK,
                "client.test", "smtp", null, Instant.now());
        try (SmtpSink sink = SmtpSink.start(dir)) {
            List<DeliveryStatus> statuses = deliver(sink, delivery(env, "Subject: hello\r\n\r\n.dot line\r\nbody\r\n"));
            assertThat(statuses).hasSize(2).allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
                assertThat(s.dsn()).isEqualTo("2.0.0");
                assertThat(s.reply()).startsWith("250 2.0.0 Ok");
                assertThat(s.relay()).isEqualTo("sink.test[127.0.0.1]:" + sink.port());
                assertThat(s.remoteReply()).isTrue();
            });
            assertThat(statuses).extracting(s -> s.recipient().toString()).containsExactly("a@sink.test", "b@sink.test");
            List<String> dumps = sink.messages();
            assertThat(dumps).hasSize(1);
            assertThat(dumps.getFirst())
                    .contains("X-Helo-Args: client.petrel.test\n")
                    .contains("X-Mail-Args: <sender@petrel.test> BODY=8BITMIME RET=HDRS ENVID=id+2042\n")
                    .contains("X-Rcpt-Args: <a@sink.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;A+2Bb@sink.test\n")
                    .contains("X-Rcpt-Args: <b@sink.test>\n")
                    .endsWith("Subject: hello\n\n.dot line\nbody\n\n");
        }
    }

    @Test
    void nullSenderIsSentAsEmptyPath() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir)) {
            assertThat(deliver(sink, delivery(null, "Subject: bounce\r\n\r\nx\r\n", "a@sink.test")))
                    .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(sink.messages().getFirst()).contains("X-Mail-Args: <>\n");
        }
    }

    @Test
    void fourHundredAtRcptIsTemporaryWithTheReplyVerbatim() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-r", "RCPT")) {
            List<DeliveryStatus> statuses = deliver(sink, delivery("s@petrel.test", "x\r\n", "a@sink.test", "b@sink.test"));
            assertThat(statuses).allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.3.0");
                assertThat(s.reply()).isEqualTo("450 4.3.0 Error: command failed");
                assertThat(s.remoteReply()).isTrue();
            });
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void fiveHundredAtRcptIsPermanent() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-f", "RCPT")) {
            List<DeliveryStatus> statuses = deliver(sink, delivery("s@petrel.test", "x\r\n", "a@sink.test"));
            assertThat(statuses).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
                assertThat(s.dsn()).isEqualTo("5.3.0");
                assertThat(s.reply()).isEqualTo("500 5.3.0 Error: command failed");
            });
        }
    }

    @Test
    void fourHundredAfterTheFinalDotIsTemporaryForEveryRecipient() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-r", ".")) {
            List<DeliveryStatus> statuses = deliver(sink, delivery("s@petrel.test", "x\r\n", "a@sink.test", "b@sink.test"));
            assertThat(statuses).hasSize(2).allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.reply()).isEqualTo("450 4.3.0 Error: command failed");
            });
        }
    }

    @Test
    void disconnectAtMailIsATemporaryConnectionFailure() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, "-q", "MAIL")) {
            List<DeliveryStatus> statuses = deliver(sink, delivery("s@petrel.test", "x\r\n", "a@sink.test"));
            assertThat(statuses).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.4.2");
                assertThat(s.reply()).startsWith("lost connection with sink.test[127.0.0.1]:" + sink.port()
                        + " while sending MAIL FROM");
                assertThat(s.remoteReply()).isFalse();
            });
        }
    }

    @Test
    void smtpUtf8RecipientFailsPermanentlyWhenTheServerLacksItAndTheOthersGo() throws Exception {
        // smtp-sink does not announce SMTPUTF8.
        try (SmtpSink sink = SmtpSink.start(dir)) {
            List<DeliveryStatus> statuses = deliver(sink,
                    delivery("s@petrel.test", "x\r\n", "\u00fcser@b\u00fccher.example", "plain@sink.test"));
            assertThat(statuses.get(0).outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(statuses.get(0).dsn()).isEqualTo("5.6.7");
            assertThat(statuses.get(0).reply()).contains("does not support SMTPUTF8");
            assertThat(statuses.get(1).outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(sink.messages()).singleElement().asString()
                    .contains("X-Rcpt-Args: <plain@sink.test>\n").doesNotContain("cher.example");
        }
    }

    @Test
    void smtpUtf8SenderFailsEveryRecipientWithoutSending() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir)) {
            List<DeliveryStatus> statuses = deliver(sink, delivery("j\u00f6rg@petrel.test", "x\r\n", "a@sink.test", "b@sink.test"));
            assertThat(statuses).allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
                assertThat(s.dsn()).isEqualTo("5.6.7");
            });
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void twoDeliveriesInARowShareOneConnectionAndCloseSendsQuit() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir); CountingProxy proxy = new CountingProxy(sink.port())) {
            SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.queueConfig(Duration.ofSeconds(30), 100),
                    Fixtures.resolverTo(Fixtures.target("sink.test", proxy.port())));
            assertThat(t.deliver(delivery("s@petrel.test", "one\r\n", "a@sink.test"), ROUTE))
                    .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(t.deliver(delivery("s@petrel.test", "two\r\n", "b@sink.test"), ROUTE))
                    .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(proxy.connections()).isEqualTo(1);
            assertThat(proxy.sent(0).split("MAIL FROM:", -1)).hasSize(3);
            assertThat(proxy.sent(0)).doesNotContain("QUIT");
            t.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.sent(0).endsWith("QUIT\r\n"));
            assertThat(sink.messages()).hasSize(2);
        }
    }

    @Test
    void maxMessagesPerConnectionAndIdleExpiryOpenNewConnections() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir); CountingProxy proxy = new CountingProxy(sink.port())) {
            try (SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(),
                    Fixtures.queueConfig(Duration.ofMillis(300), 2),
                    Fixtures.resolverTo(Fixtures.target("sink.test", proxy.port())))) {
                for (int i = 0; i < 3; i++) t.deliver(delivery("s@petrel.test", "m" + i + "\r\n", "a@sink.test"), ROUTE);
                // messages 1 and 2 share a connection, which then closes; message 3 needs a new one
                assertThat(proxy.connections()).isEqualTo(2);
                assertThat(proxy.sent(0)).endsWith("QUIT\r\n");
                // the idle reaper closes the second connection with QUIT
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.sent(1).endsWith("QUIT\r\n"));
                t.deliver(delivery("s@petrel.test", "m3\r\n", "a@sink.test"), ROUTE);
                assertThat(proxy.connections()).isEqualTo(3);
            }
            assertThat(sink.messages()).hasSize(4);
        }
    }
}
