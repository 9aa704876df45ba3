package dev.petrel.testkit;

import dev.petrel.auth.UserStore;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.message.IpNetwork;
import dev.petrel.queue.FileSpool;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.SmtpServer;
import dev.petrel.server.tls.KeyMaterial;
import dev.petrel.server.tls.SelfSignedCertificate;
import dev.petrel.server.tls.TlsContextFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real Petrel SMTP server in this JVM for integration tests: three listeners on free loopback
 * ports (mx with STARTTLS, submission with STARTTLS, submissions with implicit TLS), a file spool
 * and a users file in a temporary directory, and a self-signed certificate that tests can trust.
 *
 * <pre>
 * try (TestServer s = TestServer.start(tempDir)) {
 *     s.addUser("alice", "secret");
 *     ... connect to s.mxPort(), s.submissionPort(), s.submissionsPort() ...
 *     assertThat(s.messages()).hasSize(1);
 * }
 * </pre>
 * {@link #start(Path, UnaryOperator)} lets a test change the config (limits, timeouts, modes).
 */
public final class TestServer implements AutoCloseable {
    public static final String HOSTNAME = "mx.petrel.test";
    public static final String LOCAL_DOMAIN = "petrel.test";

    private final PetrelConfig config;
    private final FileSpool spool;
    private final UserStore users;
    private final SmtpServer server;
    private final KeyMaterial keys;

    private TestServer(PetrelConfig config, long spoolReserve) throws IOException {
        this.config = config;
        Path data = config.server().dataDir();
        this.spool = new FileSpool(data.resolve("spool"), spoolReserve);
        this.users = new UserStore(config.auth().usersFile());
        this.keys = SelfSignedCertificate.loadOrCreate(data, HOSTNAME);
        this.server = new SmtpServer(config, spool, users, () -> TlsContextFactory.serverContext(keys), Clock.systemUTC());
        server.start();
    }

    /** Default test config: loopback only, trusted network none (so relay rules are visible), local domain petrel.test. */
    public static TestServer start(Path dataDir) throws IOException {
        return start(dataDir, c -> c);
    }

    public static TestServer start(Path dataDir, UnaryOperator<PetrelConfig> customize) throws IOException {
        return new TestServer(customize.apply(defaultConfig(dataDir)), FileSpool.DEFAULT_RESERVE_BYTES);
    }

    /** The default config, with the spool keeping {@code reserveBytes} free (0: fill the disk). */
    public static TestServer startWithSpoolReserve(Path dataDir, long reserveBytes) throws IOException {
        return new TestServer(defaultConfig(dataDir), reserveBytes);
    }

    public static PetrelConfig defaultConfig(Path dataDir) {
        PetrelConfig d = ConfigLoader.defaults();
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Listener> listeners = List.of(
                new Listener("smtp", new InetSocketAddress(lo, 0), ListenerMode.MX, TlsMode.STARTTLS),
                new Listener("submission", new InetSocketAddress(lo, 0), ListenerMode.SUBMISSION, TlsMode.STARTTLS),
                new Listener("submissions", new InetSocketAddress(lo, 0), ListenerMode.SUBMISSION, TlsMode.IMPLICIT));
        return new PetrelConfig(null,
                new PetrelConfig.Server(HOSTNAME, dataDir, d.server().maxConnections(), d.server().maxConnectionsPerIp()),
                d.smtp(), d.tls(), listeners,
                new PetrelConfig.Relay(List.of(LOCAL_DOMAIN), List.<IpNetwork>of()),
                new PetrelConfig.Auth(dataDir.resolve("users"), d.auth().maxFailuresPerIp(), d.auth().failureWindow(),
                        java.time.Duration.ofMillis(10)),
                d.queue(), withoutDelivery(d.delivery()), new PetrelConfig.Local(dataDir.resolve("mail"), d.local().users(),
                        d.local().aliases(), "catchall", null), d.admin())
                // No DNS here: tests that check SPF, DKIM or DMARC turn this on with their own resolver.
                .withMailAuth(d.mailAuth().withVerify(false))
                .withCapture(PetrelConfig.Capture.OFF);
    }

    /** Receive-side tests look at the spool, so by default nothing is delivered out of it. */
    private static PetrelConfig.Delivery withoutDelivery(PetrelConfig.Delivery d) {
        return new PetrelConfig.Delivery(false, d.resolver(), d.heloName(), d.connectTimeout(), d.commandTimeout(),
                d.dataTimeout(), d.tls(), d.routes(), d.smarthost(), d.ipv6(), d.mtaSts(), d.caFile());
    }

    public int mxPort() {
        return server.address(0).getPort();
    }

    public int submissionPort() {
        return server.address(1).getPort();
    }

    public int submissionsPort() {
        return server.address(2).getPort();
    }

    /** The port of listener {@code index} in the config's order. */
    public int port(int index) {
        return server.address(index).getPort();
    }

    public PetrelConfig config() {
        return config;
    }

    public SmtpServer server() {
        return server;
    }

    public void addUser(String name, String password) {
        users.add(name, password);
    }

    /** The server's certificate, for clients that verify it. */
    public KeyMaterial keys() {
        return keys;
    }

    /** A client SSLContext that trusts exactly this server's certificate. */
    public SSLContext clientTls() {
        return TlsContextFactory.clientContextTrusting(keys.certificate());
    }

    /** The PEM file of the server certificate (for Python's and swaks's CA options). */
    public Path certificateFile() {
        return SelfSignedCertificate.certificateFile(config.server().dataDir());
    }

    public FileSpool spool() {
        return spool;
    }

    /** Every committed message, oldest first. */
    public List<SpooledMessage> messages() throws IOException {
        List<SpooledMessage> out = new ArrayList<>();
        for (var id : spool.list()) out.add(spool.read(id));
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
