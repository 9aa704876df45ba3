package dev.petrel.delivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.message.IpLiteral;
import dev.petrel.queue.QueueControl.QueueEntry;
import dev.petrel.queue.QueueControl.RecipientState;
import dev.petrel.queue.QueueControl.State;
import dev.petrel.server.SmtpTestClient;
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
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MTA-STS through a whole Petrel ({@link Petrel#start} from a TOML file): its scheduler, MX
 * lookup at a {@link TestDnsServer}, the production fetcher on port 443 of 127.0.43.4 (a JDK
 * {@link HttpsServer} with a certificate for mta-sts.petrel.test), and MX hosts on port 25 of
 * 127.0.43.2 (STARTTLS, certificate for mx.petrel.test) and 127.0.43.3 (no STARTTLS), both
 * in-process Petrel servers ({@link TestServer}). {@code [delivery] ca_file} holds the two test
 * certificates. Checks what an operator sees: the queue, the log line and the bounce.
 *
 * <p>Needs root (ports 25 and 443) and is skipped otherwise. Only loopback addresses are used.
 */
@Timeout(60)
class MtaStsEndToEndTest {
    private static final String DOMAIN = TestServer.LOCAL_DOMAIN; // petrel.test, local at the receivers
    private static final String TLS_MX = "127.0.43.2";
    private static final String PLAIN_MX = "127.0.43.3";
    private static final String POLICY_HOST = "127.0.43.4";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private TestDnsServer dns;
    private TestServer tlsMx;
    private TestServer plainMx;
    private HttpsServer policyServer;
    private Petrel petrel;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger schedulerLog;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(canListen(TLS_MX, 25) && canListen(PLAIN_MX, 25) && canListen(POLICY_HOST, 443),
                "cannot listen on ports 25 and 443 of 127.0.43.x (needs root, and nothing else there)");
        dns = TestDnsServer.start();
        tlsMx = TestServer.start(dir.resolve("tls-mx"), c -> c.withListeners(List.of(
                new Listener("smtp", new InetSocketAddress(IpLiteral.parse(TLS_MX), 25), ListenerMode.MX, TlsMode.STARTTLS))));
        plainMx = TestServer.start(dir.resolve("plain-mx"), c -> c.withListeners(List.of(
                new Listener("smtp", new InetSocketAddress(IpLiteral.parse(PLAIN_MX), 25), ListenerMode.MX, TlsMode.NONE))));
        Path policyKeysDir = dir.resolve("policy-keys");
        KeyMaterial policyKeys = SelfSignedCertificate.loadOrCreate(policyKeysDir, "mta-sts." + DOMAIN);
        policyServer = HttpsServer.create(new InetSocketAddress(IpLiteral.parse(POLICY_HOST), 443), 10);
        policyServer.setHttpsConfigurator(new HttpsConfigurator(TlsContextFactory.serverContext(policyKeys)));
        policyServer.start();
        Files.writeString(dir.resolve("ca.pem"), Files.readString(tlsMx.certificateFile())
                + Files.readString(SelfSignedCertificate.certificateFile(policyKeysDir)));
        dns.addA("mta-sts." + DOMAIN, POLICY_HOST).addTxt("_mta-sts." + DOMAIN, "v=STSv1; id=1");

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        schedulerLog = context.getLogger("petrel.queue"); // the Scheduler's delivery log
        logs.setContext(context);
        logs.start();
        schedulerLog.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        if (schedulerLog != null) schedulerLog.detachAppender(logs);
        logs.stop();
        if (petrel != null) petrel.close();
        if (policyServer != null) policyServer.stop(0);
        if (tlsMx != null) tlsMx.close();
        if (plainMx != null) plainMx.close();
        if (dns != null) dns.close();
    }

    @Test
    void enforceDeliversOverVerifiedTlsAndSaysSoInTheLog() throws Exception {
        dns.addMx(DOMAIN, 10, "mx." + DOMAIN).addA("mx." + DOMAIN, TLS_MX);
        servePolicy("enforce", "mx." + DOMAIN);
        startPetrel("60s");

        String id = send("bob@" + DOMAIN);

        await().atMost(WAIT).untilAsserted(() -> assertThat(tlsMx.messages()).hasSize(1));
        assertThat(tlsMx.messages().getFirst().envelope().tls()).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(logLines(id)).anySatisfy(line ->
                assertThat(line).contains("to=<bob@petrel.test>", "relay=mx.petrel.test[127.0.43.2]:25",
                        "mta-sts=enforce", "status=sent")));
        assertThat(Files.readString(petrel.config().server().dataDir().resolve("mta-sts").resolve(DOMAIN)))
                .contains("mode: enforce");
    }

    @Test
    void enforceDefersAnMxWithoutStartTlsAndBouncesWithTheReasonAtExpiry() throws Exception {
        dns.addMx(DOMAIN, 10, "mx." + DOMAIN).addA("mx." + DOMAIN, PLAIN_MX);
        servePolicy("enforce", "mx." + DOMAIN);
        startPetrel("5s");

        String id = send("bob@" + DOMAIN);

        RecipientState deferred = await().atMost(WAIT).until(() -> recipient(id), r -> r != null && r.state() == State.DEFERRED);
        assertThat(deferred.lastError()).contains("MTA-STS policy of petrel.test (mode enforce) not met",
                "TLS is required, but was not offered");
        assertThat(logLines(id)).anySatisfy(line -> assertThat(line).contains("mta-sts=enforce", "dsn=4.7.4", "status=deferred"));

        Path bounce = await().atMost(WAIT).until(this::firstBounce, p -> p != null);
        String text = Files.readString(bounce).replaceAll("\\s+", " ");
        assertThat(text).contains("MTA-STS policy of petrel.test (mode enforce) not met");
        assertThat(plainMx.messages()).isEmpty();
    }

    @Test
    void testingDeliversToTheSameMxAndLogsTestingMode() throws Exception {
        dns.addMx(DOMAIN, 10, "mx." + DOMAIN).addA("mx." + DOMAIN, PLAIN_MX);
        servePolicy("testing", "mx." + DOMAIN);
        startPetrel("60s");

        String id = send("bob@" + DOMAIN);

        await().atMost(WAIT).untilAsserted(() -> assertThat(plainMx.messages()).hasSize(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(logLines(id)).anySatisfy(line ->
                assertThat(line).contains("mta-sts=testing", "status=sent")));
    }

    // ---- helpers

    private void servePolicy(String mode, String mx) {
        byte[] body = ("version: STSv1\r\nmode: " + mode + "\r\nmx: " + mx + "\r\nmax_age: 86400\r\n").getBytes(StandardCharsets.UTF_8);
        policyServer.createContext("/.well-known/mta-sts.txt", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private void startPetrel(String maxAge) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String toml = """
                [server]
                hostname = "sender.test"
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
                retry_min = "1s"
                retry_max = "1s"
                max_age = "%s"
                connection_idle = "0s"

                [delivery]
                resolver = "127.0.0.1:%d"
                connect_timeout = "2s"
                command_timeout = "5s"
                ca_file = "%s"
                """.formatted(dir.resolve("data"), port, dir.resolve("mail"), maxAge, dns.address().getPort(),
                dir.resolve("ca.pem"));
        Path file = dir.resolve("petrel.toml");
        Files.writeString(file, toml);
        petrel = Petrel.start(ConfigLoader.load(file));
    }

    /** Sends one message from alice@local.test (a trusted loopback client); returns the queue id. */
    private String send(String to) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.connect(petrel.smtp().address(0).getPort())) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.local.test").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<alice@local.test>").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<" + to + ">").code()).isEqualTo(250);
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send("From: alice@local.test\r\nTo: " + to + "\r\nSubject: mta-sts\r\n\r\nhello\r\n.\r\n");
            SmtpTestClient.Response r = c.read();
            assertThat(r.code()).isEqualTo(250);
            c.command("QUIT");
            return r.line().substring(r.line().lastIndexOf(' ') + 1);
        }
    }

    private RecipientState recipient(String id) {
        for (QueueEntry e : petrel.scheduler().list()) {
            if (e.id().value().equals(id)) return e.recipients().getFirst();
        }
        return null;
    }

    private List<String> logLines(String id) {
        synchronized (logs.list) {
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith(id + ": to=")).toList();
        }
    }

    private Path firstBounce() throws IOException {
        Path inbox = dir.resolve("mail").resolve("alice").resolve("new");
        if (!Files.isDirectory(inbox)) return null;
        try (Stream<Path> s = Files.list(inbox)) {
            return s.findFirst().orElse(null);
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
}
