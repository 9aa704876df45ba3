package dev.petrel.delivery.smtp;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.delivery.MxResolver;
import dev.petrel.delivery.Resolution;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.TargetResolver;
import dev.petrel.delivery.mtasts.HttpsPolicyFetcher;
import dev.petrel.delivery.mtasts.MtaSts;
import dev.petrel.delivery.mtasts.PolicyCache;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.server.tls.KeyMaterial;
import dev.petrel.server.tls.SelfSignedCertificate;
import dev.petrel.server.tls.TlsContextFactory;
import dev.petrel.testkit.TestDnsServer;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.petrel.delivery.smtp.Fixtures.delivery;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MTA-STS end to end over real sockets: the recipient domain petrel.test has MX records and an
 * {@code _mta-sts} TXT record at a {@link TestDnsServer} (the only DNS asked, through
 * {@link DnsjavaResolver}); its policy is served over real HTTPS by the JDK's {@link HttpsServer}
 * with a certificate for {@code mta-sts.petrel.test}; the MX hosts are in-process Petrel servers
 * ({@link TestServer}) with and without STARTTLS, each on its own 127.0.43.x address.
 *
 * <p>MX delivery always uses port 25; so that the test needs no root, the targets MxResolver found
 * (host name and address from DNS) get the receiving server's ephemeral port instead. Trust:
 * exactly the certificates of the receiving server and of the policy host, as a private CA would.
 */
@Timeout(60)
class MtaStsDeliveryTest {
    private static final String DOMAIN = TestServer.LOCAL_DOMAIN; // petrel.test
    private static final String TLS_MX = "127.0.43.2";
    private static final String PLAIN_MX = "127.0.43.3";
    private static final String POLICY_HOST = "127.0.43.4";
    private static final String CONTENT = "Subject: mta-sts\r\n\r\nhello\r\n";

    @TempDir Path dir;
    private TestDnsServer dns;
    private TestServer tlsMx;
    private TestServer plainMx;
    private HttpsServer policyServer;
    private final AtomicInteger policyRequests = new AtomicInteger();
    private volatile String policy;
    private KeyMaterial policyKeys;
    private DnsjavaResolver resolver;
    private SSLContext trust;

    @BeforeEach
    void setUp() throws Exception {
        dns = TestDnsServer.start();
        resolver = new DnsjavaResolver(dns.address(), Duration.ofSeconds(1), 0, Clock.systemUTC());
        tlsMx = TestServer.start(dir.resolve("tls-mx"), c -> c.withListeners(List.of(
                new Listener("smtp", new InetSocketAddress(IpLiteral.parse(TLS_MX), 0), ListenerMode.MX, TlsMode.STARTTLS))));
        plainMx = TestServer.start(dir.resolve("plain-mx"), c -> c.withListeners(List.of(
                new Listener("smtp", new InetSocketAddress(IpLiteral.parse(PLAIN_MX), 0), ListenerMode.MX, TlsMode.NONE))));
        policyKeys = SelfSignedCertificate.loadOrCreate(dir.resolve("policy-keys"), "mta-sts." + DOMAIN);
        startPolicyServer(0);
        trust = TlsContextFactory.clientContextTrusting(tlsMx.keys().certificate(), policyKeys.certificate());
        dns.addA("mta-sts." + DOMAIN, POLICY_HOST).addTxt("_mta-sts." + DOMAIN, "v=STSv1; id=20261129");
    }

    @AfterEach
    void tearDown() {
        if (policyServer != null) policyServer.stop(0);
        if (tlsMx != null) tlsMx.close();
        if (plainMx != null) plainMx.close();
        if (dns != null) dns.close();
    }

    // ---- enforce

    @Test
    void enforceDeliversOverVerifiedTlsToAMatchingMx() throws Exception {
        mx("mx." + DOMAIN, TLS_MX);
        policy = policy("enforce", "mx." + DOMAIN);

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.mtaSts()).isEqualTo("enforce");
        });
        assertThat(tlsMx.messages()).singleElement().satisfies(m -> assertThat(m.envelope().tls()).isNotNull());
        assertThat(policyRequests).hasValue(1);
    }

    @Test
    void enforceDefersWhenNoMxHostIsInThePolicy() throws Exception {
        mx("mx." + DOMAIN, TLS_MX);
        policy = policy("enforce", "mx.elsewhere.test");

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.7.5");
            assertThat(s.reply()).contains("MTA-STS policy of petrel.test", "mx.petrel.test", "mx.elsewhere.test");
            assertThat(s.mtaSts()).isEqualTo("enforce");
        });
        assertThat(tlsMx.messages()).isEmpty();
    }

    @Test
    void enforceDefersWhenTheMxOffersNoStartTls() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        policy = policy("enforce", "mx." + DOMAIN);

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.7.4");
            assertThat(s.reply()).contains("MTA-STS policy of petrel.test", "TLS is required, but was not offered");
        });
        assertThat(plainMx.messages()).isEmpty();
    }

    @Test
    void enforceDefersWhenTheCertificateNamesAnotherHost() throws Exception {
        // The policy allows mx-other.petrel.test, whose address is the TLS server; its certificate names mx.petrel.test.
        mx("mx-other." + DOMAIN, TLS_MX);
        policy = policy("enforce", "mx-other." + DOMAIN);

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
            assertThat(s.dsn()).isEqualTo("4.7.5");
            assertThat(s.reply()).contains("MTA-STS policy of petrel.test", "TLS handshake with mx-other.petrel.test");
        });
        assertThat(tlsMx.messages()).isEmpty();
    }

    @Test
    void enforceTriesOnlyTheAllowedMxHostEvenWhenAnotherIsPreferred() throws Exception {
        dns.addMx(DOMAIN, 10, "plain." + DOMAIN).addA("plain." + DOMAIN, PLAIN_MX)
                .addMx(DOMAIN, 20, "mx." + DOMAIN).addA("mx." + DOMAIN, TLS_MX);
        policy = policy("enforce", "mx." + DOMAIN);

        assertThat(deliver(mtaSts())).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(plainMx.messages()).isEmpty();
        assertThat(tlsMx.messages()).hasSize(1);
    }

    // ---- testing, none, off

    @Test
    void testingDeliversDespiteTheFailuresEnforceWouldRefuse() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        policy = policy("testing", "mx.elsewhere.test");

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.mtaSts()).isEqualTo("testing");
        });
        assertThat(plainMx.messages()).hasSize(1);
    }

    @Test
    void testingDeliversWhenTheAllowedMxLacksStartTls() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        policy = policy("testing", "mx." + DOMAIN);

        assertThat(deliver(mtaSts())).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(plainMx.messages()).hasSize(1);
    }

    @Test
    void withoutATxtRecordOrWithMtaStsOffDeliveryIsUnchanged() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        policy = policy("enforce", "mx." + DOMAIN);

        assertThat(deliver(null)).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.mtaSts()).isNull();
        });
        dns.remove("_mta-sts." + DOMAIN);
        assertThat(deliver(mtaSts())).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(plainMx.messages()).hasSize(2);
        assertThat(policyRequests).hasValue(0);
    }

    @Test
    void aNullMxBouncesWithoutAskingForAPolicy() throws Exception {
        dns.addMx(DOMAIN, 0, ".");
        policy = policy("enforce", "mx." + DOMAIN);

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.PERMANENT_FAILURE);
            assertThat(s.dsn()).isEqualTo("5.1.10");
            assertThat(s.mtaSts()).isNull();
        });
        assertThat(dns.count("_mta-sts." + DOMAIN, "TXT")).isZero();
        assertThat(policyRequests).hasValue(0);
    }

    @Test
    void aConnectionPooledWithoutThePolicyIsNotReusedUnderEnforce() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        dns.remove("_mta-sts." + DOMAIN); // no policy yet: plaintext delivery, connection kept
        MtaSts sts = mtaSts();
        try (SmtpTransport t = new SmtpTransport(Fixtures.deliveryConfig(), Fixtures.queueConfig(Duration.ofSeconds(30), 100),
                onTestPorts(new MxResolver(resolver, false)), trust, sts)) {
            assertThat(t.deliver(delivery("s@example.org", CONTENT, "a@" + DOMAIN), new Route.Mx(DOMAIN, null)))
                    .extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);

            dns.addTxt("_mta-sts." + DOMAIN, "v=STSv1; id=20261129");
            policy = policy("enforce", "mx." + DOMAIN);
            assertThat(t.deliver(delivery("s@example.org", CONTENT, "a@" + DOMAIN), new Route.Mx(DOMAIN, null)))
                    .singleElement().satisfies(s -> {
                        assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                        assertThat(s.reply()).contains("MTA-STS policy of petrel.test");
                    });
        }
        assertThat(plainMx.messages()).hasSize(1);
    }

    // ---- the cache

    @Test
    void aCachedEnforcePolicyStillAppliesWhenThePolicyServerIsDownEvenAfterARestart() throws Exception {
        mx("mx." + DOMAIN, TLS_MX);
        policy = policy("enforce", "mx." + DOMAIN);
        assertThat(deliver(mtaSts())).extracting(DeliveryStatus::outcome).containsExactly(Outcome.DELIVERED);

        // An attacker takes the policy host down, announces a new id and points MX at a plaintext server.
        policyServer.stop(0);
        policyServer = null;
        dns.remove("_mta-sts." + DOMAIN).addTxt("_mta-sts." + DOMAIN, "v=STSv1; id=attacker");
        dns.remove(DOMAIN).remove("mx." + DOMAIN);
        mx("mx." + DOMAIN, PLAIN_MX);

        MtaSts sameProcess = mtaSts();
        MtaSts afterRestart = mtaSts(); // a new instance reads the cache directory afresh
        for (MtaSts sts : List.of(sameProcess, afterRestart)) {
            assertThat(deliver(sts)).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.TEMPORARY_FAILURE);
                assertThat(s.reply()).contains("MTA-STS policy of petrel.test");
                assertThat(s.mtaSts()).isEqualTo("enforce");
            });
        }
        assertThat(plainMx.messages()).isEmpty();
    }

    @Test
    void aPolicyServerWithAnUntrustedCertificateIsNoPolicy() throws Exception {
        mx("mx." + DOMAIN, PLAIN_MX);
        policy = policy("enforce", "mx." + DOMAIN);
        trust = TlsContextFactory.clientContextTrusting(tlsMx.keys().certificate()); // not the policy host's

        assertThat(deliver(mtaSts())).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(s.mtaSts()).isNull();
        });
    }

    // ---- helpers

    private void mx(String host, String address) {
        dns.addMx(DOMAIN, 10, host).addA(host, address);
    }

    private static String policy(String mode, String mx) {
        return "version: STSv1\r\nmode: " + mode + "\r\nmx: " + mx + "\r\nmax_age: 86400\r\n";
    }

    private MtaSts mtaSts() {
        int port = policyServer == null ? 1 : policyServer.getAddress().getPort();
        return new MtaSts(resolver, new HttpsPolicyFetcher(resolver, false, trust, port, Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new PolicyCache(dir.resolve("data").resolve("mta-sts")), Clock.systemUTC());
    }

    private List<DeliveryStatus> deliver(MtaSts mtaSts) {
        PetrelConfig.Delivery config = Fixtures.deliveryConfig();
        try (SmtpTransport t = new SmtpTransport(config, Fixtures.noReuse(), onTestPorts(new MxResolver(resolver, false)),
                trust, mtaSts)) {
            return t.deliver(delivery("s@example.org", CONTENT, "a@" + DOMAIN), new Route.Mx(DOMAIN, null));
        }
    }

    /** The targets DNS gave, with each receiving server's ephemeral port instead of 25. */
    private TargetResolver onTestPorts(MxResolver mx) {
        Map<String, Integer> ports = new HashMap<>();
        ports.put(TLS_MX, tlsMx.mxPort());
        ports.put(PLAIN_MX, plainMx.mxPort());
        return (host, port, isMx) -> switch (mx.resolve(host, port, isMx)) {
            case Resolution.Targets t -> new Resolution.Targets(t.targets().stream()
                    .map(x -> new Target(x.hostname(), x.address(), ports.getOrDefault(x.address().getHostAddress(), 1)))
                    .toList());
            case Resolution r -> r;
        };
    }

    private void startPolicyServer(int port) throws IOException {
        policyServer = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(POLICY_HOST), port), 10);
        policyServer.setHttpsConfigurator(new HttpsConfigurator(TlsContextFactory.serverContext(policyKeys)));
        policyServer.createContext("/.well-known/mta-sts.txt", exchange -> {
            policyRequests.incrementAndGet();
            byte[] body = policy.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        policyServer.start();
    }
}
