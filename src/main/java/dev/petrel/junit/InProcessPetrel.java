package dev.petrel.junit;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.TlsMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A whole Petrel in this JVM for tests, in capture mode: the embedded defaults (every domain
 * captured) with a fresh temporary data directory (spool, users, inbox, certificate), the three
 * usual listeners (smtp: MX with STARTTLS, submission: STARTTLS, submissions: implicit TLS) and the
 * inbox API on 127.0.0.1, each on a free port. A customizer may change the config after that. The
 * data directory is deleted on {@link #close}.
 *
 * <p>Kept apart from {@link PetrelInbox} so that {@code PetrelInbox.connect(url)} needs only the
 * helper's jar: these server classes are loaded only when a test starts Petrel in-process.
 */
final class InProcessPetrel implements AutoCloseable {
    private final Petrel petrel;
    private final Path dataDir;

    private InProcessPetrel(Petrel petrel, Path dataDir) {
        this.petrel = petrel;
        this.dataDir = dataDir;
    }

    static InProcessPetrel start(UnaryOperator<PetrelConfig> customizer) {
        Path dir;
        try {
            dir = Files.createTempDirectory("petrel-junit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory for Petrel", e);
        }
        try {
            PetrelConfig config = customizer.apply(testConfig(dir));
            if (!config.capture().enabled()) {
                throw new IllegalArgumentException("the customized config turns [capture] off; PetrelInbox needs the capture inbox");
            }
            return new InProcessPetrel(Petrel.start(config), dir);
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("Petrel did not start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The embedded defaults, moved into {@code dir} and onto free loopback ports. */
    static PetrelConfig testConfig(Path dir) {
        PetrelConfig d = ConfigLoader.defaults();
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Listener> listeners = List.of(
                new Listener("smtp", new InetSocketAddress(lo, 0), ListenerMode.MX, TlsMode.STARTTLS),
                new Listener("submission", new InetSocketAddress(lo, 0), ListenerMode.SUBMISSION, TlsMode.STARTTLS),
                new Listener("submissions", new InetSocketAddress(lo, 0), ListenerMode.SUBMISSION, TlsMode.IMPLICIT));
        PetrelConfig.Server s = d.server();
        PetrelConfig.Auth a = d.auth();
        PetrelConfig.Local l = d.local();
        PetrelConfig.Capture c = d.capture();
        return new PetrelConfig(null,
                new PetrelConfig.Server(s.hostname(), dir, s.maxConnections(), s.maxConnectionsPerIp()),
                d.smtp(), d.tls(), listeners, d.relay(),
                new PetrelConfig.Auth(dir.resolve("users"), a.maxFailuresPerIp(), a.failureWindow(), a.failureDelay()),
                d.queue(), d.delivery(),
                new PetrelConfig.Local(dir.resolve("mail"), l.users(), l.aliases(), l.catchAll(), l.lmtp()),
                d.admin(), d.policy(), d.mailAuth(),
                new PetrelConfig.Capture(true, c.domains(), new InetSocketAddress(lo, 0), c.maxMessages(), c.maxAge(), c.inboxBy()));
    }

    String inboxUrl() {
        return "http://" + petrel.config().capture().address().getAddress().getHostAddress() + ":" + petrel.inboxServer().port();
    }

    /** The port of the first listener that fits, in the config's order. */
    int port(String what, Predicate<Listener> fits) {
        List<Listener> ls = petrel.config().listeners();
        for (int i = 0; i < ls.size(); i++) {
            if (fits.test(ls.get(i))) return petrel.smtp().address(i).getPort();
        }
        throw new IllegalStateException("this Petrel has no " + what + " listener (its listeners: "
                + ls.stream().map(x -> x.name() + " " + x.mode() + " " + x.tls()).toList() + ")");
    }

    /** Adds the user, or gives an existing one this password (tests sharing one server may add the same user). */
    void addUser(String name, String password) {
        if (!petrel.users().add(name, password)) petrel.users().setPassword(name, password);
    }

    @Override
    public void close() {
        try {
            petrel.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test run for.
            System.err.println("petrel-junit: could not delete " + dir + ": " + e);
        }
    }
}
