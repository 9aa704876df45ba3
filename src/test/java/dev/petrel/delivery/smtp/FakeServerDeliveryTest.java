package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Resolution;
import dev.petrel.delivery.Route;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.server.tls.SelfSignedCertificate;
import dev.petrel.server.tls.TlsContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import static dev.petrel.delivery.smtp.Fixtures.delivery;
import static dev.petrel.delivery.smtp.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

/** SmtpTransport against scripted servers: target failover, timeouts, TLS and protocol corner cases. */
@Timeout(60)
class FakeServerDeliveryTest {
    private static final Route MX = new Route.Mx("fake.test", null);

    @TempDir Path dir;

    /** A plain ESMTP server that accepts everything; {@code ehlo} lists the keywords after the greeting line. */
    static Function<String, String> accepting(String... ehlo) {
        return line -> {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
            return switch (verb) {
                case "EHLO", "LHLO" -> {
                    StringBuilder sb = new StringBuilder("250" + (ehlo.length == 0 ? " " : "-") + "fake.test");
                    for (int i = 0; i < ehlo.length; i++) sb.append("\r\n250").append(i == ehlo.length - 1 ? ' ' : '-').append(ehlo[i]);
                    yield sb.toString();
                }
                case "DATA" -> "354 go ahead";
                case "QUIT" -> "221 2.0.0 bye";
                case "." -> "250 2.0.0 queued";
                default -> "250 2.0.0 ok";
            };
        };
    }

    private static List<DeliveryStatus> deliver(SmtpTransport t) {
        return t.deliver(delivery("s@petrel.test", "Subject: x\r\n\r\nx\r\n", "a@fake.test"), MX);
    }

    @Test
    void aRefusedFirstTargetIsSkippedForTheSecond() throws Exception {
        int closed = Fixtures.freePort();
        try (FakeServer ok = FakeServer.responding(accepting());
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("mx1.fake.test", closed), target("mx2.fake.test", ok.port())))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
                assertThat(s.relay()).isEqualTo("mx2.fake.test[127.0.0.1]:" + ok.port());
            });
        }
    }

    @Test
    void aTargetThatNeverGreetsTimesOutAndTheNextIsTried() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, Fixtures.LOOPBACK);
             FakeServer ok = FakeServer.responding(accepting());
             SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(Duration.ofMillis(500)), Fixtures.noReuse(),
                     Fixtures.resolverTo(target("slow.fake.test", silent.getLocalPort()), target("mx2.fake.test", ok.port())))) {
            long start = System.nanoTime();
            assertThat(deliver(t)).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void whenEveryTargetFailsTheLastErrorIsReportedAsTemporary() throws Exception {
        int closed = Fixtures.freePort();
        try (FakeServer rude = FakeServer.start(peer -> {
                    peer.send("554 5.7.1 go away");
                    peer.readLine();
                });
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("mx1.fake.test", closed), target("mx2.fake.test", rude.port())))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.7.1");
                assertThat(s.reply()).isEqualTo("554 5.7.1 go away");
                assertThat(s.remoteReply()).isTrue();
                assertThat(s.relay()).isEqualTo("mx2.fake.test[127.0.0.1]:" + rude.port());
            });
            assertThat(rude.received).containsExactly("QUIT");
        }
        try (SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("mx1.fake.test", closed)))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.dsn()).isEqualTo("4.4.1");
                assertThat(s.reply()).isEqualTo("connect to mx1.fake.test[127.0.0.1]:" + closed + ": Connection refused");
            });
        }
    }

    @Test
    void resolutionFailuresBecomeStatusesWithoutARelay() {
        try (SmtpTransport t = Fixtures.transport((h, p, mx) -> new Resolution.Permanent("5.1.10", "null MX"))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
                assertThat(s.dsn()).isEqualTo("5.1.10");
                assertThat(s.relay()).isEqualTo("none");
            });
        }
        try (SmtpTransport t = Fixtures.transport((h, p, mx) -> new Resolution.Temporary("4.4.3", "SERVFAIL"))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.reply()).isEqualTo("SERVFAIL");
            });
        }
    }

    @Test
    void theRelayRouteIsResolvedWithItsOwnHostPortAndMxFlag() throws Exception {
        try (FakeServer ok = FakeServer.responding(accepting())) {
            String[] asked = new String[1];
            try (SmtpTransport t = Fixtures.transport((h, p, mx) -> {
                asked[0] = h + ":" + p + ":" + mx;
                return new Resolution.Targets(List.of(target("relay.test", ok.port())));
            })) {
                t.deliver(delivery("s@petrel.test", "x\r\n", "a@fake.test"),
                        new Route.Relay("relay.test", 2525, false, OutboundTls.NONE, null, null));
                assertThat(asked[0]).isEqualTo("relay.test:2525:false");
                t.deliver(delivery("s@petrel.test", "x\r\n", "a@fake.test"), MX);
                assertThat(asked[0]).isEqualTo("fake.test:25:true");
            }
        }
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        Function<String, String> base = accepting();
        try (FakeServer old = FakeServer.responding(line -> line.startsWith("EHLO") ? "502 5.5.2 what?" : base.apply(line));
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("old.fake.test", old.port())))) {
            assertThat(deliver(t)).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(old.received).contains("EHLO client.petrel.test", "HELO client.petrel.test", "MAIL FROM:<s@petrel.test>");
        }
    }

    @Test
    void pipeliningSendsMailRcptAndDataBeforeReadingReplies() throws Exception {
        try (FakeServer pipe = FakeServer.start(peer -> {
                    peer.send("220 fake.test ESMTP");
                    peer.readLine();
                    peer.send("250-fake.test\r\n250-PIPELINING\r\n250 SIZE 1000");
                    // Only answer once all three commands are in: a client that waits would time out.
                    String mail = peer.readLine(), rcpt1 = peer.readLine(), rcpt2 = peer.readLine(), data = peer.readLine();
                    peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550-5.1.1 no such\r\n550 5.1.1 user here\r\n354 go");
                    peer.readData();
                    peer.send("250 2.0.0 done");
                    peer.readLine();
                });
             SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(Duration.ofSeconds(2)), Fixtures.noReuse(),
                     Fixtures.resolverTo(target("pipe.fake.test", pipe.port())))) {
            List<DeliveryStatus> s = t.deliver(delivery("s@petrel.test", "0123456789\r\n", "a@fake.test", "b@fake.test"), MX);
            assertThat(s.get(0).outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.get(0).reply()).isEqualTo("250 2.0.0 done");
            assertThat(s.get(1).outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(s.get(1).reply()).isEqualTo("550-5.1.1 no such 550 5.1.1 user here");
            assertThat(pipe.received).contains("MAIL FROM:<s@petrel.test> SIZE=12");
        }
    }

    @Test
    void aMessageOverTheServersSizeLimitFailsPermanentlyWithoutSending() throws Exception {
        try (FakeServer small = FakeServer.responding(accepting("SIZE 10"));
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("small.fake.test", small.port())))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
                assertThat(s.dsn()).isEqualTo("5.3.4");
            });
            assertThat(small.received).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void requiredTlsWithoutStartTlsOnOfferIsTemporary() throws Exception {
        try (FakeServer plain = FakeServer.responding(accepting("PIPELINING"));
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("plain.fake.test", plain.port())))) {
            List<DeliveryStatus> s = t.deliver(delivery("s@petrel.test", "x\r\n", "a@fake.test"),
                    new Route.Mx("fake.test", OutboundTls.REQUIRED));
            assertThat(s).singleElement().satisfies(st -> {
                assertThat(st.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(st.dsn()).isEqualTo("4.7.4");
                assertThat(st.reply()).isEqualTo("TLS is required, but was not offered by host plain.fake.test[127.0.0.1]:" + plain.port());
            });
            assertThat(plain.received).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void opportunisticTlsWhoseHandshakeFailsRetriesInPlaintext() throws Exception {
        Function<String, String> base = accepting("STARTTLS");
        try (FakeServer broken = FakeServer.start(peer -> {
                    peer.send("220 fake.test ESMTP");
                    String line;
                    while ((line = peer.readLine()) != null) {
                        if (line.equals("STARTTLS")) {
                            peer.send("220 2.0.0 go ahead");
                            peer.send("this is not TLS at all");
                            return;
                        }
                        peer.send(base.apply(line));
                        if (line.equals("DATA")) {
                            peer.readData();
                            peer.send(base.apply("."));
                        }
                    }
                });
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("broken.fake.test", broken.port())))) {
            assertThat(deliver(t)).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(broken.connections()).isEqualTo(2);
            assertThat(broken.received.stream().filter(l -> l.equals("STARTTLS"))).hasSize(1);
        }
    }

    @Test
    void authLoginWhenThatIsTheOnlyMechanism() throws Exception {
        SSLContext serverTls = TlsContextFactory.serverContext(SelfSignedCertificate.loadOrCreate(dir, "relay.fake.test"));
        String user = Base64.getEncoder().encodeToString("bob".getBytes());
        String pass = Base64.getEncoder().encodeToString("s3cret".getBytes());
        Function<String, String> base = accepting();
        try (FakeServer relay = FakeServer.start(peer -> {
                    peer.send("220 relay ESMTP");
                    peer.readLine();
                    peer.send("250-relay\r\n250 STARTTLS");
                    peer.readLine();
                    peer.send("220 go");
                    peer.startTls(serverTls);
                    peer.readLine();
                    peer.send("250-relay\r\n250 AUTH LOGIN");
                    if (!peer.readLine().equals("AUTH LOGIN")) return;
                    peer.send("334 VXNlcm5hbWU6");
                    boolean ok = peer.readLine().equals(user);
                    peer.send("334 UGFzc3dvcmQ6");
                    ok &= peer.readLine().equals(pass);
                    peer.send(ok ? "235 2.7.0 ok" : "535 5.7.8 no");
                    peer.serve(base);
                });
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("relay.fake.test", relay.port())))) {
            List<DeliveryStatus> s = t.deliver(delivery("s@petrel.test", "x\r\n", "a@fake.test"),
                    new Route.Relay("relay.fake.test", relay.port(), false, OutboundTls.REQUIRED, "bob", "s3cret"));
            assertThat(s).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(relay.bodies).containsExactly("x\r\n");
        }
    }

    @Test
    void aServerThatDoesNotSpeakSmtpIsAProtocolError() throws Exception {
        try (FakeServer http = FakeServer.start(peer -> {
                    peer.send("HTTP/1.1 400 Bad Request");
                    peer.readLine();
                });
             SmtpTransport t = Fixtures.transport(Fixtures.resolverTo(target("web.fake.test", http.port())))) {
            assertThat(deliver(t)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.dsn()).isEqualTo("4.5.0");
                assertThat(s.reply()).startsWith("protocol error from web.fake.test");
            });
        }
    }

    @Test
    void aReusedConnectionThatDiedIsReplacedByAFreshOne() throws Exception {
        Function<String, String> base = accepting("PIPELINING");
        try (FakeServer once = FakeServer.start(peer -> {
                    peer.send("220 fake.test ESMTP");
                    int[] mails = {0};
                    // The first connection takes one message and then hangs up at the next MAIL.
                    peer.serve(line -> line.startsWith("MAIL") && ++mails[0] == 2 ? null : base.apply(line));
                });
             SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.queueConfig(Duration.ofSeconds(30), 100),
                     Fixtures.resolverTo(target("once.fake.test", once.port())))) {
            assertThat(deliver(t)).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(deliver(t)).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
            assertThat(once.connections()).isEqualTo(2);
            assertThat(once.bodies).hasSize(2);
        }
    }

    @Test
    void fourTwentyOneMidTransactionFailsTheRestAndDropsTheConnection() throws Exception {
        Function<String, String> base = accepting();
        try (FakeServer closing = FakeServer.responding(line -> line.startsWith("RCPT TO:<b@")
                    ? "421 4.3.2 shutting down" : base.apply(line));
             SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.queueConfig(Duration.ofSeconds(30), 100),
                     Fixtures.resolverTo(target("closing.fake.test", closing.port())))) {
            List<DeliveryStatus> s = t.deliver(delivery("s@petrel.test", "x\r\n", "a@fake.test", "b@fake.test", "c@fake.test"), MX);
            assertThat(s).extracting(DeliveryStatus::outcome).containsOnly(Outcome.TEMPORARY_FAILURE);
            assertThat(s).extracting(DeliveryStatus::reply).containsOnly("421 4.3.2 shutting down");
            assertThat(closing.received).noneMatch(l -> l.startsWith("RCPT TO:<c@"));
        }
    }
}
