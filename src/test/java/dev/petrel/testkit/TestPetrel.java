package dev.petrel.testkit;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.queue.SpooledMessage;
import dev.petrel.server.tls.SelfSignedCertificate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole Petrel ({@link Petrel#start}: listeners, spool, scheduler, transports, admin) in this
 * JVM, configured from a TOML text as an operator would write it. The file's listeners are
 * replaced by the given ones on 127.0.0.1 and a free port each (a config file cannot ask for
 * port 0), so tests never collide on ports.
 *
 * <pre>
 * try (TestPetrel p = TestPetrel.start(dir, """
 *         [server]
 *         hostname = "mx.petrel.test"
 *         """, TestPetrel.listener("mx", MX, STARTTLS))) {
 *     ... connect to p.port("mx") ...
 *     p.awaitQueueEmpty(Duration.ofSeconds(20));
 * }
 * </pre>
 */
public final class TestPetrel implements AutoCloseable {
    private final Petrel petrel;

    private TestPetrel(Petrel petrel) {
        this.petrel = petrel;
    }

    /** A listener for {@link #start}: its address is filled in (127.0.0.1, a free port). */
    public static Listener listener(String name, PetrelConfig.ListenerMode mode, PetrelConfig.TlsMode tls) {
        return new Listener(name, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), mode, tls);
    }

    /**
     * Writes {@code toml} to {@code <dir>/petrel.toml}, loads it (relative paths resolve against
     * {@code dir}) and starts Petrel with these listeners instead of the file's.
     */
    public static TestPetrel start(Path dir, String toml, Listener... listeners) throws IOException, dev.petrel.config.ConfigException {
        Path file = dir.resolve("petrel.toml");
        Files.writeString(file, toml);
        PetrelConfig c = ConfigLoader.load(file);
        PetrelConfig config = c.withListeners(List.of(listeners));
        PetrelConfig.Capture cap = config.capture();
        if (cap.enabled()) { // like the listeners: a free port, never the fixed 8025
            config = config.withCapture(new PetrelConfig.Capture(true, cap.domains(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cap.maxMessages(), cap.maxAge(), cap.inboxBy(),
                    cap.usersOnly(), cap.tls()));
        }
        return new TestPetrel(Petrel.start(config));
    }

    public Petrel petrel() {
        return petrel;
    }

    /** The bound port of the listener with this name. */
    public int port(String listener) {
        List<Listener> ls = petrel.config().listeners();
        for (int i = 0; i < ls.size(); i++) {
            if (ls.get(i).name().equals(listener)) return petrel.smtp().address(i).getPort();
        }
        throw new IllegalArgumentException("no listener named " + listener);
    }

    /** The base URL of the capture inbox's web UI and API, e.g. {@code http://127.0.0.1:41234}. */
    public String inboxUrl() {
        if (petrel.inboxServer() == null) throw new IllegalStateException("[capture] is not enabled");
        return (petrel.config().capture().tls() ? "https" : "http") + "://127.0.0.1:" + petrel.inboxServer().port();
    }

    public void addUser(String name, String password) {
        petrel.users().add(name, password);
    }

    /** The generated self-signed certificate ({@code <data_dir>/tls/selfsigned-cert.pem}). */
    public Path certificateFile() {
        return SelfSignedCertificate.certificateFile(petrel.config().server().dataDir());
    }

    /** Every message still in the queue, oldest first. */
    public List<SpooledMessage> queued() throws IOException {
        List<SpooledMessage> out = new ArrayList<>();
        for (var id : petrel.spool().list()) out.add(petrel.spool().read(id));
        return out;
    }

    /** Waits (polling, bounded) until the queue is empty; fails naming what is left. */
    public void awaitQueueEmpty(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!petrel.spool().list().isEmpty()) {
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("Petrel's queue is not empty after " + timeout + ":");
                for (var id : petrel.spool().list()) {
                    sb.append("\n  ").append(id.value()).append(' ').append(petrel.spool().readStatus(id));
                }
                throw new AssertionError(sb.toString());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        petrel.close();
    }
}
