package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.Route;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.petrel.delivery.smtp.Fixtures.delivery;
import static org.assertj.core.api.Assertions.assertThat;

/** LmtpTransport against a scripted LMTP server: LHLO, and one reply per recipient after the dot. */
@Timeout(30)
class LmtpTransportTest {
    private static PetrelConfig.Local local(int port) {
        return new PetrelConfig.Local(Path.of("/nonexistent"), List.of(), Map.of(), null,
                new InetSocketAddress(Fixtures.LOOPBACK, port));
    }

    private static LmtpTransport transport(int port) {
        return new LmtpTransport(local(port), Fixtures.deliveryConfig(), Fixtures.noReuse());
    }

    @Test
    void eachAcceptedRecipientGetsItsOwnFinalReply() throws Exception {
        try (FakeServer lmtp = FakeServer.start(peer -> {
                    peer.send("220 dovecot LMTP ready");
                    peer.serve(line -> {
                        if (line.startsWith("LHLO")) return "250-dovecot\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME";
                        if (line.startsWith("RCPT TO:<nobody@")) return "550 5.1.1 <nobody@petrel.test> User doesn't exist";
                        if (line.equals("DATA")) return "354 OK";
                        if (line.equals(".")) return "250 2.0.0 <alice@petrel.test> Saved\r\n452 4.2.2 <bob@petrel.test> Quota exceeded";
                        if (line.equals("QUIT")) return "221 2.0.0 bye";
                        return "250 2.1.5 OK";
                    });
                });
             LmtpTransport t = transport(lmtp.port())) {
            List<DeliveryStatus> s = t.deliver(delivery("s@example.org", "Subject: hi\r\n\r\nhi\r\n",
                    "alice@petrel.test", "nobody@petrel.test", "bob@petrel.test"), new Route.Local("alice"));
            assertThat(s).extracting(DeliveryStatus::outcome)
                    .containsExactly(Outcome.DELIVERED, Outcome.PERMANENT_FAILURE, Outcome.TEMPORARY_FAILURE);
            assertThat(s.get(0).reply()).isEqualTo("250 2.0.0 <alice@petrel.test> Saved");
            assertThat(s.get(1).dsn()).isEqualTo("5.1.1");
            assertThat(s.get(2).dsn()).isEqualTo("4.2.2");
            assertThat(s.get(2).reply()).isEqualTo("452 4.2.2 <bob@petrel.test> Quota exceeded");
            assertThat(s).extracting(DeliveryStatus::relay).containsOnly("127.0.0.1[127.0.0.1]:" + lmtp.port());
            assertThat(lmtp.received).contains("LHLO client.petrel.test", "RCPT TO:<alice@petrel.test>",
                    "RCPT TO:<bob@petrel.test>");
            assertThat(lmtp.received).noneMatch(l -> l.startsWith("EHLO") || l.startsWith("HELO"));
        }
    }

    @Test
    void anUnreachableLmtpServerIsATemporaryFailure() throws Exception {
        int port = Fixtures.freePort();
        try (LmtpTransport t = transport(port)) {
            assertThat(t.deliver(delivery("s@example.org", "x\r\n", "alice@petrel.test"), new Route.Local("alice")))
                    .singleElement().satisfies(s -> {
                        assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                        assertThat(s.dsn()).isEqualTo("4.4.1");
                    });
        }
    }

    @Test
    void lhloRefusedHasNoHeloFallback() throws Exception {
        try (FakeServer lmtp = FakeServer.responding(line -> "500 5.5.1 unknown command");
             LmtpTransport t = transport(lmtp.port())) {
            assertThat(t.deliver(delivery("s@example.org", "x\r\n", "alice@petrel.test"), new Route.Local("alice")))
                    .singleElement().satisfies(s -> assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE));
            assertThat(lmtp.received).noneMatch(l -> l.startsWith("HELO"));
        }
    }
}
