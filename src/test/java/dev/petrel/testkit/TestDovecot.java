package dev.petrel.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real Dovecot (Debian's {@code dovecot-core} and {@code dovecot-lmtpd}) receiving mail over
 * LMTP, for integration tests of local delivery. Self-contained: its own config, base_dir,
 * state_dir and log under {@code <tempDir>/dovecot}; a passwd-file with the given users; mail in
 * {@code <tempDir>/dovecot/mail/<user>/} (Maildir); one listener: LMTP on 127.0.0.1 and a free
 * port. No SSL, no IMAP/POP3, nothing of the system Dovecot's config or directories.
 *
 * <pre>
 * try (TestDovecot dovecot = TestDovecot.start(tempDir, "alice", "bob")) {
 *     ... deliver over LMTP to dovecot.lmtpAddress() (RCPT TO:&lt;alice@any.domain&gt;) ...
 *     assertThat(dovecot.newMessages("alice")).hasSize(1);
 * }
 * </pre>
 *
 * <p>Users: Dovecot looks up the local part only ({@code auth_username_format = %Ln}), so
 * {@code alice@example.com} is user {@code alice} whatever the domain. Unknown users get
 * {@code 550 5.1.1} at RCPT.
 *
 * <p>Privileges: as root (CI), the Dovecot master and auth run as root, and mail is written as
 * {@code nobody:nogroup}, because Dovecot refuses to access mail as root; so {@code tempDir} is
 * made traversable (0711) and the mail directory is given to nobody. As an ordinary user,
 * everything runs and is written as that user.
 *
 * <p>Dovecot runs in the foreground ({@code dovecot -F}) as a child of this JVM; {@link #close()}
 * stops it and its children (SIGTERM, then SIGKILL after 10 s), and a shutdown hook does the same
 * if the JVM exits without close().
 */
public final class TestDovecot implements AutoCloseable {
    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration STOP = Duration.ofSeconds(10);

    private final Path home;
    private final Path mail;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;

    private TestDovecot(Path home, Path mail, int port, Process process) {
        this.home = home;
        this.mail = mail;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "stop-test-dovecot");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Dovecot with these users (password "secret", unused by LMTP) and waits until its
     * LMTP listener greets. Throws with Dovecot's log when it does not start in 20 s.
     */
    public static TestDovecot start(Path tempDir, String... users) throws IOException, InterruptedException {
        if (!Files.isExecutable(DOVECOT)) {
            throw new IllegalStateException(DOVECOT + " is missing: install the Debian packages dovecot-core and "
                    + "dovecot-lmtpd (bin/install-test-deps.sh does)");
        }
        Path home = tempDir.toAbsolutePath().resolve("dovecot");
        if (home.toString().matches(".*[\\s\"'#\\\\].*")) {
            throw new IllegalArgumentException("the Dovecot config cannot hold this path: " + home);
        }
        Path mail = home.resolve("mail");
        Files.createDirectories(mail);
        Files.createDirectories(home.resolve("run"));
        Files.createDirectories(home.resolve("state"));
        Owner mailOwner = prepareMailDirectory(tempDir, home, mail);

        StringBuilder passwd = new StringBuilder();
        for (String u : users) passwd.append(u.toLowerCase(Locale.ROOT)).append(":{PLAIN}secret::::::\n");
        Files.writeString(home.resolve("passwd"), passwd);

        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {   // a free port may be taken before Dovecot binds it
            int port = freePort();
            Path conf = home.resolve("dovecot.conf");
            Files.writeString(conf, config(home, mail, port, mailOwner));
            Process p = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", conf.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("stdout.txt").toFile())
                    .start();
            TestDovecot d = new TestDovecot(home, mail, port, p);
            try {
                d.awaitGreeting();
                return d;
            } catch (IOException e) {
                d.close();
                last = e;
                if (!d.output().contains("Address already in use")) break;
            }
        }
        throw last;
    }

    /** Where LMTP listens: 127.0.0.1 and a free port. */
    public InetSocketAddress lmtpAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** The user's Maildir (it exists once Dovecot delivered something to it). */
    public Path maildir(String user) {
        return mail.resolve(user.toLowerCase(Locale.ROOT));
    }

    /** The files in the user's {@code new/} directory, sorted by name; empty when there is none. */
    public List<Path> newMessages(String user) throws IOException {
        Path dir = maildir(user).resolve("new");
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Dovecot's log and console output, for assertion messages. */
    public String output() {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("stdout.txt", "dovecot.log")) {
            try {
                Path p = home.resolve(f);
                if (Files.exists(p)) sb.append("--- ").append(f).append(" ---\n").append(Files.readString(p));
            } catch (IOException e) {
                sb.append("(cannot read ").append(f).append(": ").append(e).append(")\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook runs (or ran) anyway
        }
    }

    /** SIGTERM to the master (it stops its children), SIGKILL to whatever is left after 10 s. */
    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitGreeting() throws IOException, InterruptedException {
        Greeting.await(lmtpAddress(), STARTUP, "dovecot", () -> process.isAlive() ? null : "exited with " + process.exitValue(), this::output);
    }

    private record Owner(String user, String group, int uid, int gid) {}

    /**
     * Root: Dovecot will not touch mail as root, so mail belongs to nobody:nogroup, who must be
     * able to reach it through tempDir. Otherwise: everything is ours already.
     */
    private static Owner prepareMailDirectory(Path tempDir, Path home, Path mail) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(mail, PosixFileAttributeView.class);
        String me = System.getProperty("user.name");
        String myGroup = view.readAttributes().group().getName();
        if ((int) Files.getAttribute(mail, "unix:uid") == 0) {
            UserPrincipalLookupService lookup = mail.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(tempDir.toAbsolutePath(), home)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
            view.setOwner(lookup.lookupPrincipalByName("nobody"));
            GroupPrincipal nogroup = lookup.lookupPrincipalByGroupName("nogroup");
            view.setGroup(nogroup);
            Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwx------"));
            return new Owner("root", "root", (int) Files.getAttribute(mail, "unix:uid"), (int) Files.getAttribute(mail, "unix:gid"));
        }
        return new Owner(me, myGroup, (int) Files.getAttribute(mail, "unix:uid"), (int) Files.getAttribute(mail, "unix:gid"));
    }

    private static String config(Path home, Path mail, int port, Owner o) {
        return """
                # Written by TestDovecot: a self-contained LMTP-only instance for one test.
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = petrel-test-%3$d
                log_path = %1$s/dovecot.log
                protocols = lmtp
                listen = 127.0.0.1
                ssl = no
                default_internal_user = %4$s
                default_internal_group = %5$s
                default_login_user = %4$s
                mail_uid = %6$d
                mail_gid = %7$d
                first_valid_uid = %6$d
                first_valid_gid = %7$d
                mail_location = maildir:%2$s/%%u
                # LMTP gets user@domain; the passwd-file knows local parts.
                auth_username_format = %%Ln
                passdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                userdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                service lmtp {
                  inet_listener lmtp {
                    address = 127.0.0.1
                    port = %3$d
                  }
                }
                """.formatted(home, mail, port, o.user(), o.group(), o.uid(), o.gid());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
