package dev.petrel.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix (Debian's {@code postfix} package) for integration tests, in one of two roles:
 * <ul>
 *   <li>{@link #start(Path, String, String...) receiving MX}: accepts mail for one domain and
 *       delivers it with Postfix's {@code virtual(8)} agent into a Maildir per user; relays for
 *       nobody and sends nothing anywhere ({@code default_transport = error}).</li>
 *   <li>{@link #startRelay(Path, InetSocketAddress) relaying client}: sends every message it is
 *       given ({@link #sendmail}, or SMTP from loopback) to one relay host, such as Petrel.</li>
 * </ul>
 *
 * <pre>
 * try (TestPostfix mx = TestPostfix.start(tempDir, "postfix.test", "dave")) {
 *     ... deliver to dave@postfix.test at mx.address() ...
 *     mx.awaitMessages("dave", 1, Duration.ofSeconds(20));
 * }
 * </pre>
 *
 * <p>Self-contained: config (main.cf, master.cf, mailbox map), queue, data directory, mail and
 * log all live in {@code <tempDir>/<name>/}; it is started with {@code postfix -c DIR start} and
 * stopped with {@code postfix -c DIR stop}. Nothing of the system Postfix ({@code /etc/postfix},
 * {@code /var/spool/postfix}) is read or written, except the package's own files
 * ({@code postfix-files}, daemons). Listens on 127.0.0.1 and a free port only (Postfix refuses an
 * {@code inet_interfaces} address that is not configured on an interface, so 127.0.0.2 is out).
 * No DNS: {@code smtp_dns_support_level = disabled}, and the relay host is an IP literal.
 *
 * <p>Its log goes to {@code <tempDir>/<name>/maillog} ({@code maillog_file} through the
 * {@code postlog} service; there is no syslog here): {@link #log()} returns it for assertion
 * messages. Messages that Postfix prints before its logger runs (a bad main.cf) only reach a
 * terminal, so a failing {@code postfix check} or {@code start} is re-run under {@code script(1)}
 * to capture them.
 *
 * <p>Privileges: Postfix needs root to start (its daemons drop to the {@code postfix} user), so
 * does this fixture. {@code tempDir} is made traversable (0711) for the postfix user, and the mail
 * directory belongs to {@code nobody:nogroup}, the owner {@code virtual(8)} writes mail as.
 *
 * <p>Note: {@code postfix start} daemonizes the master; it is not a child of this JVM. On hosts
 * whose PID 1 does not reap orphans, a stopped master stays a zombie (harmless, it holds no port
 * or lock). {@link #close()} stops it (bounded: {@code stop}, then {@code abort}, then SIGKILL to
 * the master's process group), and a shutdown hook does the same if the JVM exits without it.
 */
public final class TestPostfix implements AutoCloseable {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path SENDMAIL = Path.of("/usr/sbin/sendmail");
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);
    private static final int NOBODY = 65534;

    private final Path home;
    private final Path conf;
    private final Path queue;
    private final Path mail;
    private final int port;
    private final Thread shutdownHook;
    private volatile boolean stopped;

    private TestPostfix(Path home, int port) {
        this.home = home;
        this.conf = home.resolve("conf");
        this.queue = home.resolve("queue");
        this.mail = home.resolve("mail");
        this.port = port;
        this.shutdownHook = new Thread(this::stop, "stop-test-postfix");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A receiving MX for {@code domain}: {@code <user>@<domain>} for each user is delivered to
     * {@link #maildir(String)}; other users there get 550 at RCPT, other domains 554 (no relay).
     * Lives in {@code <tempDir>/postfix}.
     */
    public static TestPostfix start(Path tempDir, String domain, String... users) throws IOException, InterruptedException {
        return start(tempDir, "postfix", domain, List.of(users), null);
    }

    /**
     * A relaying client: mail for any domain (given with {@link #sendmail} or over SMTP from
     * 127.0.0.0/8) goes to {@code relayhost}, without MX lookup, with STARTTLS when offered
     * ({@code smtp_tls_security_level = may}, the certificate is not checked). Lives in
     * {@code <tempDir>/postfix-relay}.
     */
    public static TestPostfix startRelay(Path tempDir, InetSocketAddress relayhost) throws IOException, InterruptedException {
        return start(tempDir, "postfix-relay", "relay.postfix.test", List.of(), relayhost);
    }

    private static TestPostfix start(Path tempDir, String name, String domain, List<String> users,
                                     InetSocketAddress relayhost) throws IOException, InterruptedException {
        for (Path p : List.of(POSTFIX, SENDMAIL)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: install the Debian package postfix "
                        + "(bin/install-test-deps.sh does)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("TestPostfix needs root: Postfix's master starts as root and its "
                    + "daemons switch to the postfix user");
        }
        if (!domain.matches("[a-z0-9.-]+") || users.stream().anyMatch(u -> !u.matches("[a-z0-9._+-]+"))) {
            throw new IllegalArgumentException("keep the test domain and users to [a-z0-9._+-]: " + domain + " " + users);
        }
        Path home = tempDir.toAbsolutePath().resolve(name);
        if (home.toString().matches(".*[\\s\"'#$\\\\,=].*")) {
            throw new IllegalArgumentException("main.cf cannot hold this path: " + home);
        }
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("queue"));   // postfix check creates its subdirectories
        Path mail = home.resolve("mail");
        Files.createDirectories(mail);
        // The postfix user (queue, data) and nobody (mail) must reach their directories.
        for (Path p : List.of(tempDir.toAbsolutePath(), home)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
        }
        PosixFileAttributeView mailView = Files.getFileAttributeView(mail, PosixFileAttributeView.class);
        UserPrincipalLookupService lookup = mail.getFileSystem().getUserPrincipalLookupService();
        mailView.setOwner(lookup.lookupPrincipalByName("nobody"));
        mailView.setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwx------"));

        StringBuilder map = new StringBuilder();
        for (String u : users) map.append(u.toLowerCase(Locale.ROOT)).append('@').append(domain).append(' ').append(u).append("/\n");
        Files.writeString(home.resolve("conf").resolve("vmailbox"), map);

        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {   // a free port may be taken before Postfix binds it
            int port = freePort();
            Files.writeString(home.resolve("conf").resolve("main.cf"), mainCf(home, domain, relayhost));
            Files.writeString(home.resolve("conf").resolve("master.cf"), masterCf(port));
            TestPostfix pf = new TestPostfix(home, port);
            try {
                pf.postfix("check");
                pf.postfix("start");
                pf.awaitGreeting();
                return pf;
            } catch (IOException | RuntimeException e) {
                pf.close();
                if (e instanceof RuntimeException re) throw re;
                last = (IOException) e;
                if (!pf.log().contains("Address already in use")) break;
            }
        }
        throw last;
    }

    /** Where smtpd listens: 127.0.0.1 and a free port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** The instance's config directory, for {@code postfix -c} and {@code sendmail -C}. */
    public Path configDirectory() {
        return conf;
    }

    /** The user's Maildir (it exists once Postfix delivered something to it). */
    public Path maildir(String user) {
        return mail.resolve(user.toLowerCase(Locale.ROOT));
    }

    /** The delivered files in the user's {@code new/} directory, sorted by name; empty when there is none. */
    public List<Path> messages(String user) throws IOException {
        Path dir = maildir(user).resolve("new");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Waits (polling, bounded) until the user has at least {@code count} messages; returns them. */
    public List<Path> awaitMessages(String user, int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> m = messages(user);
            if (m.size() >= count) return m;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(user + " has " + m.size() + " message(s), not " + count + ", after "
                        + timeout + "\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** The queue files Postfix still holds (incoming, active, deferred, hold, maildrop). */
    public List<Path> queuedFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String d : List.of("maildrop", "incoming", "active", "deferred", "hold")) {
            Path dir = queue.resolve(d);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Submits a message the way local programs do: {@code sendmail -C <conf> -f from -i -- to...}
     * (pickup, cleanup, qmgr, then delivery). {@code message} uses LF or CRLF line ends.
     */
    public void sendmail(String from, List<String> to, byte[] message) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SENDMAIL.toString(), "-C", conf.toString(), "-f", from, "-i", "--"));
        cmd.addAll(to);
        Path input = Files.createTempFile(home, "sendmail", ".eml");
        Files.write(input, message);
        Result r = run(cmd, input);
        if (r.exit() != 0) throw new IOException("sendmail failed: " + r + "\n" + log());
    }

    /** The instance's log (maillog_file), and what the last failed command printed. */
    public String log() {
        try {
            Path p = home.resolve("maillog");
            return Files.exists(p) ? "--- postfix maillog ---\n" + Files.readString(p, StandardCharsets.UTF_8) : "(no postfix maillog)";
        } catch (IOException e) {
            return "(cannot read the postfix maillog: " + e + ")";
        }
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

    /** {@code postfix stop}; then {@code postfix abort}; then SIGKILL to the master and its children. */
    private synchronized void stop() {
        if (stopped) return;
        stopped = true;
        long masterPid = masterPid();
        List<ProcessHandle> children = ProcessHandle.of(masterPid).map(h -> h.descendants().toList()).orElse(List.of());
        try {
            if (masterPid > 0) {
                quietly("stop");
                if (!awaitStopped(masterPid)) {
                    quietly("abort");
                    if (!awaitStopped(masterPid)) ProcessHandle.of(masterPid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (InterruptedException e) {
            ProcessHandle.of(masterPid).ifPresent(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The pid in {@code queue/pid/master.pid}, or -1 when there is none. */
    private long masterPid() {
        try {
            Path f = queue.resolve("pid").resolve("master.pid");
            return Files.exists(f) ? Long.parseLong(Files.readString(f).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** True once the master is gone or a zombie (its parent may never reap it), within {@link #STOP}. */
    private static boolean awaitStopped(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + STOP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!runningProcess(pid)) return true;
            Thread.sleep(50);
        }
        return !runningProcess(pid);
    }

    private static boolean runningProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void quietly(String command) {
        try {
            run(List.of(POSTFIX.toString(), "-c", conf.toString(), command), null);
        } catch (IOException e) {
            // best effort: the caller escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code postfix -c <conf> <command>}; on failure, again under script(1) to see its messages. */
    private void postfix(String command) throws IOException, InterruptedException {
        List<String> cmd = List.of(POSTFIX.toString(), "-c", conf.toString(), command);
        Result r = run(cmd, null);
        if (r.exit() == 0) return;
        String detail = "";
        if (command.equals("check") && Files.isExecutable(Path.of("/usr/bin/script"))) {
            // Postfix writes early errors to syslog (absent here) or, on a terminal, to stderr.
            detail = "\n--- again on a pseudo-terminal ---\n" + run(List.of("/usr/bin/script", "-qec",
                    String.join(" ", cmd), "/dev/null"), null).output();
        }
        throw new IOException("postfix " + command + " failed: " + r + detail + "\n" + log());
    }

    private record Result(List<String> command, int exit, String output) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\n" + output;
        }
    }

    private Result run(List<String> command, Path stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "cmd", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        if (!p.waitFor(COMMAND.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IOException("timed out after " + COMMAND + ": " + String.join(" ", command) + "\n"
                    + Files.readString(out, StandardCharsets.UTF_8) + "\n" + log());
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        return new Result(command, p.exitValue(), output);
    }

    private void awaitGreeting() throws IOException, InterruptedException {
        Greeting.await(address(), STARTUP, "postfix", () -> null, this::log);
    }

    /**
     * The essentials of a loopback-only instance. MX role: virtual mailboxes for {@code domain},
     * {@code reject_unauth_destination} for everything else, no outbound SMTP at all. Relay role:
     * everything from 127.0.0.0/8 goes to {@code relayhost}.
     */
    private static String mainCf(Path home, String domain, InetSocketAddress relayhost) {
        boolean relay = relayhost != null;
        String common = """
                # Written by TestPostfix: a private, loopback-only instance for one test.
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                syslog_name = postfix-test
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                myhostname = mx.%2$s
                mydomain = %2$s
                myorigin = $myhostname
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                smtpd_peername_lookup = no
                smtp_dns_support_level = disabled
                smtp_host_lookup = native
                alias_maps =
                alias_database =
                local_recipient_maps =
                biff = no
                # Headers from SMTP clients stay as they are (no Message-ID/Date added, no
                # address rewriting), so a test can compare them byte for byte.
                local_header_rewrite_clients =
                smtpd_tls_security_level = none
                # Fast turnaround for tests.
                queue_run_delay = 1s
                minimal_backoff_time = 1s
                maximal_backoff_time = 5s
                """.formatted(home, domain);
        if (relay) {
            return common + """
                    relayhost = [%s]:%d
                    smtpd_relay_restrictions = permit_mynetworks, reject
                    # STARTTLS when the relay offers it, any certificate (logged at level 1).
                    smtp_tls_security_level = may
                    smtp_tls_loglevel = 1
                    """.formatted(relayhost.getAddress().getHostAddress(), relayhost.getPort());
        }
        return common + """
                smtpd_relay_restrictions = reject_unauth_destination
                virtual_mailbox_domains = %2$s
                virtual_mailbox_base = %1$s/mail
                virtual_mailbox_maps = texthash:%1$s/conf/vmailbox
                virtual_uid_maps = static:%3$d
                virtual_gid_maps = static:%3$d
                virtual_minimum_uid = 1
                smtp_tls_security_level = none
                # Nothing leaves this instance (bounces included).
                default_transport = error:this test MX sends no mail
                relay_transport = error:this test MX sends no mail
                """.formatted(home, domain, NOBODY);
    }

    /** Debian's services, chroot off, only what an MX or a relaying client needs. */
    private static String masterCf(int port) {
        return """
                # Written by TestPostfix.
                127.0.0.1:%d inet n - n - - smtpd
                pickup     unix  n       -       n       60      1       pickup
                cleanup    unix  n       -       n       -       0       cleanup
                qmgr       unix  n       -       n       300     1       qmgr
                rewrite    unix  -       -       n       -       -       trivial-rewrite
                bounce     unix  -       -       n       -       0       bounce
                defer      unix  -       -       n       -       0       bounce
                trace      unix  -       -       n       -       0       bounce
                verify     unix  -       -       n       -       1       verify
                flush      unix  n       -       n       1000?   0       flush
                proxymap   unix  -       -       n       -       -       proxymap
                proxywrite unix  -       -       n       -       1       proxymap
                smtp       unix  -       -       n       -       -       smtp
                relay      unix  -       -       n       -       -       smtp
                showq      unix  n       -       n       -       -       showq
                error      unix  -       -       n       -       -       error
                retry      unix  -       -       n       -       -       error
                discard    unix  -       -       n       -       -       discard
                anvil      unix  -       -       n       -       1       anvil
                scache     unix  -       -       n       -       1       scache
                tlsmgr     unix  -       -       n       1000?   1       tlsmgr
                virtual    unix  -       n       n       -       -       virtual
                postlog    unix-dgram n  -       n       -       1       postlogd
                """.formatted(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
