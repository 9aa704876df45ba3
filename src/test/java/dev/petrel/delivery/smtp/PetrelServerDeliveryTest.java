package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.petrel.delivery.smtp.Fixtures.delivery;
import static org.assertj.core.api.Assertions.assertThat;

/** SmtpTransport against Petrel's own server: STARTTLS, AUTH on submission, exact content. */
@Timeout(60)
class PetrelServerDeliveryTest {
    @TempDir Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        server.addUser("alice", "correct horse battery staple");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<DeliveryStatus> deliver(Delivery d, Route route, int port, SSLContext verify) {
        try (SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.noReuse(),
                Fixtures.resolverTo(Fixtures.target(TestServer.HOSTNAME, port)), verify)) {
            return t.deliver(d, route);
        }
    }

    private List<DeliveryStatus> deliverMx(Delivery d, OutboundTls tls) {
        return deliver(d, new Route.Mx(TestServer.LOCAL_DOMAIN, tls), server.mxPort(), server.clientTls());
    }

    private static Route.Relay submission(int port, OutboundTls tls, String password) {
        return new Route.Relay(TestServer.HOSTNAME, port, false, tls, "alice", password);
    }

    /** The stored content minus the Received: header Petrel put on top. */
    private static String withoutReceived(SpooledMessage m) {
        String s = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(s).startsWith("Received: ");
        int end = s.indexOf("\r\n");
        while (s.charAt(end + 2) == '\t' || s.charAt(end + 2) == ' ') end = s.indexOf("\r\n", end + 2);
        return s.substring(end + 2);
    }

    @Test
    void opportunisticStartTlsDeliversEncrypted() throws Exception {
        List<DeliveryStatus> statuses = deliverMx(delivery("s@example.org", "Subject: t\r\n\r\nhi\r\n", "a@petrel.test"),
                OutboundTls.OPPORTUNISTIC);
        assertThat(statuses).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.reply()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(s.relay()).isEqualTo("mx.petrel.test[127.0.0.1]:" + server.mxPort());
        });
        SpooledMessage m = server.messages().getFirst();
        assertThat(m.envelope().tls()).isNotNull();
        assertThat(m.envelope().tls().protocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(m.envelope().helo()).isEqualTo("client.petrel.test");
    }

    @Test
    void tlsNoneStaysPlain() throws Exception {
        deliverMx(delivery("s@example.org", "x\r\n", "a@petrel.test"), OutboundTls.NONE);
        assertThat(server.messages().getFirst().envelope().tls()).isNull();
    }

    @Test
    void verifyAcceptsATrustedCertificateForTheRightName() throws Exception {
        assertThat(deliverMx(delivery("s@example.org", "x\r\n", "a@petrel.test"), OutboundTls.VERIFY))
                .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(server.messages().getFirst().envelope().tls()).isNotNull();
    }

    @Test
    void verifyRefusesAnUntrustedCertificateOrAWrongName() throws Exception {
        Delivery d = delivery("s@example.org", "x\r\n", "a@petrel.test");
        Route route = new Route.Mx(TestServer.LOCAL_DOMAIN, OutboundTls.VERIFY);
        List<DeliveryStatus> untrusted = deliver(d, route, server.mxPort(), ClientTls.jdkDefault());
        assertThat(untrusted).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.7.5");
            assertThat(s.reply()).startsWith("TLS handshake with mx.petrel.test[127.0.0.1]:" + server.mxPort() + " failed");
        });
        try (SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.noReuse(),
                Fixtures.resolverTo(Fixtures.target("other.example", server.mxPort())), server.clientTls())) {
            assertThat(t.deliver(d, route)).singleElement().satisfies(s -> assertThat(s.dsn()).isEqualTo("4.7.5"));
        }
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void relaysThroughSubmissionWithAuthPlainOverRequiredTls() throws Exception {
        List<DeliveryStatus> statuses = deliver(delivery("alice@petrel.test", "Subject: out\r\n\r\nbody\r\n", "x@elsewhere.test"),
                submission(server.submissionPort(), OutboundTls.REQUIRED, "correct horse battery staple"),
                server.submissionPort(), null);
        assertThat(statuses).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        SpooledMessage m = server.messages().getFirst();
        assertThat(m.envelope().authIdentity()).isEqualTo("alice");
        assertThat(m.envelope().tls()).isNotNull();
        assertThat(m.envelope().recipients()).extracting(r -> r.address().toString()).containsExactly("x@elsewhere.test");
    }

    @Test
    void aWrongPasswordIsATemporaryFailureWithTheServersReplyAndNoPasswordInIt() throws Exception {
        List<DeliveryStatus> statuses = deliver(delivery("alice@petrel.test", "x\r\n", "x@elsewhere.test"),
                submission(server.submissionPort(), OutboundTls.REQUIRED, "wrong secret"), server.submissionPort(), null);
        assertThat(statuses).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.reply()).startsWith("535 ");
            assertThat(s.dsn()).startsWith("4.7.");
            assertThat(s.remoteReply()).isTrue();
            assertThat(s.toString()).doesNotContain("wrong secret");
        });
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void authIsNeverSentWithoutTls() throws Exception {
        List<DeliveryStatus> statuses = deliver(delivery("alice@petrel.test", "x\r\n", "x@elsewhere.test"),
                submission(server.submissionPort(), OutboundTls.NONE, "correct horse battery staple"),
                server.submissionPort(), null);
        assertThat(statuses).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.7.0");
            assertThat(s.reply()).isEqualTo("relay requires AUTH but TLS is not available");
        });
    }

    @Test
    void oneOfTwoRecipientsRefusedTheOtherDelivered() throws Exception {
        List<DeliveryStatus> statuses = deliverMx(delivery("s@example.org", "x\r\n", "x@elsewhere.test", "a@petrel.test"),
                OutboundTls.OPPORTUNISTIC);
        assertThat(statuses.get(0).outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
        assertThat(statuses.get(0).dsn()).isEqualTo("5.7.1");
        assertThat(statuses.get(0).reply()).isEqualTo("554 5.7.1 <x@elsewhere.test>: Relay access denied");
        assertThat(statuses.get(1).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(server.messages().getFirst().envelope().recipients()).extracting(r -> r.address().toString())
                .containsExactly("a@petrel.test");
    }

    @Test
    void dotStuffingRoundTripsAndBareLineFeedsBecomeCrlf() throws Exception {
        String content = "Subject: dots\r\n\r\n.\r\n.leading dot\r\n..two dots\r\nbare\nline feed\r\n. \r\nlast line";
        assertThat(deliverMx(delivery("s@example.org", content, "a@petrel.test"), OutboundTls.OPPORTUNISTIC))
                .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(withoutReceived(server.messages().getFirst())).isEqualTo(
                "Subject: dots\r\n\r\n.\r\n.leading dot\r\n..two dots\r\nbare\r\nline feed\r\n. \r\nlast line\r\n");
    }
}
