package dev.petrel.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.config.PetrelConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A JUnit 5 extension for tests that check the mail an application sends, through Petrel's capture
 * inbox. Register it in a static field to share one server among a class's tests (or an instance
 * field for one server per test):
 * <pre>
 * &#64;RegisterExtension static PetrelInbox inbox = PetrelInbox.inProcess();          // or PetrelInbox.connect("http://127.0.0.1:8025")
 *
 * &#64;Test void welcomeMail() {
 *     app.signUp(inbox.address("bob@example.com"));                               // bob+&lt;tag&gt;@example.com
 *     inbox.await(to("bob@example.com").subject("Welcome")).hasTextContaining("code").usedTls();
 * }
 * </pre>
 *
 * <p><b>Isolation.</b> Before each test the extension picks a new inbox name (a tag made of the test
 * method's name and random characters) and notes the newest message. {@link #await} and {@link #clear}
 * then see only that inbox, and {@code await} only mail stored after the test started. Mail lands in
 * the test's inbox when one recipient carries the tag ({@link #address}) or the message carries the
 * header {@link #INBOX_HEADER} with {@link #name()} as its value; these are the first two of Petrel's
 * default {@code [capture] inbox_by} rules. {@link #awaitInAnyInbox} waits without that confinement.
 *
 * <p><b>Waiting.</b> {@code await} is the server's long poll ({@code /api/v1/wait}): it returns as soon
 * as the message is stored and never sleeps or polls. On timeout it throws an {@link AssertionError}
 * listing the newest messages of this test's inbox and of the others.
 *
 * <p><b>Threads.</b> The inbox of the current test is found through the calling thread (JUnit runs
 * a test and its callbacks on one thread), or, when only one test is running, used from any thread.
 */
public final class PetrelInbox implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** The header whose value names a message's inbox in Petrel's default capture rules. */
    public static final String INBOX_HEADER = "X-Petrel-Inbox";
    /** How long {@link #await(MailQuery)} waits unless {@link #withTimeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The server refuses longer waits. */
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    /** Candidates the server found but the exact-address check refused, per await (bounds the loop). */
    private static final int MAX_CANDIDATES = 1000;
    private static final int TAG_PREFIX_LENGTH = 16;

    private final String remoteUrl;                           // connect(url); null in-process
    private final UnaryOperator<PetrelConfig> customizer;     // inProcess(); null for connect(url)
    private volatile Duration timeout = DEFAULT_TIMEOUT;
    private volatile String user;             // connect(url) to an inbox with [capture] auth = "users"
    private volatile String password;
    private volatile SSLContext trust;        // connect(url) to an https inbox with a certificate the JDK does not trust

    private final Object lifecycle = new Object();
    private int users;                        // class contexts (and @Nested ones) that started it
    private boolean startedForOneTest;        // registered in an instance field: one server per test
    private InProcessPetrel server;
    private volatile InboxClient client;

    private final ThreadLocal<InboxScope> current = new ThreadLocal<>();
    private final Map<String, InboxScope> running = new ConcurrentHashMap<>();

    private PetrelInbox(String remoteUrl, UnaryOperator<PetrelConfig> customizer) {
        this.remoteUrl = remoteUrl;
        this.customizer = customizer;
    }

    /** Starts Petrel in this JVM in capture mode on free ports with a temporary data directory (deleted afterwards). */
    public static PetrelInbox inProcess() {
        return new PetrelInbox(null, UnaryOperator.identity());
    }

    /**
     * Like {@link #inProcess()}, with a change to the config before it starts (DKIM keys, a DNS resolver,
     * capture rules ...). The config given already has free ports and a temporary data directory.
     */
    public static PetrelInbox inProcess(UnaryOperator<PetrelConfig> customizer) {
        return new PetrelInbox(null, Objects.requireNonNull(customizer, "customizer"));
    }

    /** Uses a running Petrel's inbox API, e.g. {@code http://127.0.0.1:8025} (its {@code [capture] address}). */
    public static PetrelInbox connect(String url) {
        InboxClient probe = new InboxClient(Objects.requireNonNull(url, "url")); // checks the URL's form now
        return new PetrelInbox(probe.baseUrl(), null);
    }

    /**
     * Logs in to a {@link #connect connected} inbox that has {@code [capture] auth = "users"}, as
     * this Petrel user (HTTP Basic; use it over {@code https}).
     */
    public PetrelInbox withCredentials(String user, String password) {
        requireConnected("withCredentials");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * Trusts exactly the certificate in {@code pemFile} for a {@link #connect connected} {@code https}
     * inbox, e.g. the one Petrel generated ({@code DATA_DIR/tls/...}); without it the JDK's trust applies.
     */
    public PetrelInbox trusting(Path pemFile) {
        requireConnected("trusting");
        try (InputStream in = Files.newInputStream(pemFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            this.trust = TrustOne.context(certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read a certificate from " + pemFile + ": " + e.getMessage(), e);
        }
        return this;
    }

    private void requireConnected(String what) {
        if (remoteUrl == null) throw new IllegalStateException(what + "() is for PetrelInbox.connect(url); an in-process inbox is open on loopback");
    }

    /** The default wait of {@link #await(MailQuery)} (at most 5 minutes, the server's limit). */
    public PetrelInbox withTimeout(Duration timeout) {
        this.timeout = checkTimeout(timeout);
        return this;
    }

    // ---- JUnit callbacks ----

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (lifecycle) {
            if (users++ == 0) start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (lifecycle) {
            if (--users == 0) stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (lifecycle) {
            if (users == 0 && !startedForOneTest) { // an instance field: no beforeAll
                start();
                startedForOneTest = true;
            }
        }
        InboxScope scope = new InboxScope(newTag(context.getTestMethod().map(Method::getName).orElse("test")), client.newestId());
        running.put(context.getUniqueId(), scope);
        current.set(scope);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        running.remove(context.getUniqueId());
        current.remove();
        synchronized (lifecycle) {
            if (startedForOneTest) {
                startedForOneTest = false;
                stop();
            }
        }
    }

    private void start() {
        if (remoteUrl != null) {
            client = new InboxClient(remoteUrl, user, password, trust);
            client.newestId(); // fail here, naming the URL, when nothing answers there
            return;
        }
        try {
            server = InProcessPetrel.start(customizer);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("PetrelInbox.inProcess() needs Petrel itself on the test class path: add the"
                    + " dependency dev.petrel:petrel (without classifier) next to dev.petrel:petrel:junit", e);
        }
        client = new InboxClient(server.inboxUrl());
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        client = null;
    }

    // ---- the current test's inbox ----

    /** This test's inbox name (also the plus tag of {@link #address} and the value for {@link #INBOX_HEADER}). */
    public String name() {
        return scope().inbox();
    }

    /** {@code bob@example.com} → {@code bob+<name>@example.com}: mail to it lands in this test's inbox. */
    public String address(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not an address such as bob@example.com");
        }
        String local = address.substring(0, at);
        if (local.contains("+")) {
            throw new IllegalArgumentException("'" + address + "' has a plus tag already; Petrel would put its mail in the inbox '"
                    + local.substring(local.indexOf('+') + 1) + "'. Give the address without the tag");
        }
        return local + "+" + name() + address.substring(at);
    }

    /** The header line that puts a message into this test's inbox, e.g. {@code X-Petrel-Inbox: welcome-k3j9x2ab}. */
    public String headerLine() {
        return INBOX_HEADER + ": " + name();
    }

    /** Waits up to the default timeout for a message in this test's inbox matching {@code query}, stored after the test started. */
    public CapturedMail await(MailQuery query) {
        return await(query, timeout);
    }

    /** Waits up to {@code timeout} for a message in this test's inbox matching {@code query}, stored after the test started. */
    public CapturedMail await(MailQuery query, Duration timeout) {
        InboxScope scope = scope();
        return awaitMatch(scope, scope.cursor(), query, checkTimeout(timeout));
    }

    /** Like {@link #await(MailQuery)}, but only mail stored after {@code previous}: the next such message. */
    public CapturedMail awaitAfter(CapturedMail previous, MailQuery query) {
        return awaitMatch(scope(), previous.id(), query, timeout);
    }

    /** Like {@link #await(MailQuery)}, in every inbox (still only mail stored after the test started). */
    public CapturedMail awaitInAnyInbox(MailQuery query) {
        return awaitInAnyInbox(query, timeout);
    }

    /** Like {@link #await(MailQuery, Duration)}, in every inbox (still only mail stored after the test started). */
    public CapturedMail awaitInAnyInbox(MailQuery query, Duration timeout) {
        InboxScope scope = scope();
        return awaitMatch(new InboxScope(null, scope.cursor()), scope.cursor(), query, checkTimeout(timeout));
    }

    /** Deletes the messages of this test's inbox (through the API's delete by search); other tests' mail stays. */
    public void clear() {
        client().deleteMatching("inbox:" + name());
    }

    private CapturedMail awaitMatch(InboxScope scope, String after, MailQuery query, Duration timeout) {
        Objects.requireNonNull(query, "query");
        InboxClient api = client();
        boolean confined = scope.inbox() != null;
        String server = confined ? scope.confine(query.render()) : query.render();
        long deadline = System.nanoTime() + timeout.toNanos();
        String cursor = after;
        for (int candidates = 0; candidates < MAX_CANDIDATES; candidates++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            Optional<JsonNode> hit = api.await(server, cursor, Duration.ofNanos(left));
            if (hit.isEmpty()) break;
            if (query.accepts(hit.get())) {
                String id = hit.get().path("ID").asText();
                return new CapturedMail(api, api.message(id), confined ? scope.inbox() : null);
            }
            cursor = hit.get().path("ID").asText(); // e.g. to jbob@... for to("bob@..."): look past it
        }
        throw TimeoutReport.build(api, confined ? scope : null, query, timeout);
    }

    // ---- the server ----

    /** The inbox API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return client().baseUrl();
    }

    /** The port of the in-process Petrel's MX listener (port 25's role; STARTTLS offered; loopback may relay). */
    public int smtpPort() {
        return inProcessServer().port("MX", l -> l.mode() == PetrelConfig.ListenerMode.MX);
    }

    /** The port of the in-process Petrel's submission listener (port 587's role: STARTTLS, then AUTH). */
    public int submissionPort() {
        return inProcessServer().port("STARTTLS submission", l -> l.mode() == PetrelConfig.ListenerMode.SUBMISSION
                && l.tls() != PetrelConfig.TlsMode.IMPLICIT);
    }

    /** The port of the in-process Petrel's implicit-TLS submission listener (port 465's role). */
    public int submissionsPort() {
        return inProcessServer().port("implicit-TLS submission", l -> l.mode() == PetrelConfig.ListenerMode.SUBMISSION
                && l.tls() == PetrelConfig.TlsMode.IMPLICIT);
    }

    /** Adds an SMTP AUTH user to the in-process Petrel (or sets the password of an existing one). */
    public void addUser(String name, String password) {
        inProcessServer().addUser(name, password);
    }

    private InProcessPetrel inProcessServer() {
        InProcessPetrel s = server;
        if (s == null) {
            throw new IllegalStateException(remoteUrl != null
                    ? "this PetrelInbox is connected to " + remoteUrl + "; listener ports and users belong to that server's config"
                    : "Petrel is not running: use this PetrelInbox from a test (register it with @RegisterExtension)");
        }
        return s;
    }

    private InboxClient client() {
        InboxClient c = client;
        if (c == null) throw new IllegalStateException("PetrelInbox is not started: register it with @RegisterExtension and use it from a test");
        return c;
    }

    private InboxScope scope() {
        InboxScope s = current.get();
        if (s != null) return s;
        if (running.size() == 1) return running.values().iterator().next();
        throw new IllegalStateException(running.isEmpty()
                ? "no test is running: PetrelInbox gives each test its own inbox, so use it inside a test method (or @BeforeEach)"
                : "several tests are running at once and this thread belongs to none of them; call PetrelInbox from the test's thread");
    }

    /** A tag from the test's name, cleaned to what the capture's inbox names keep, plus randomness. */
    static String newTag(String testName) {
        StringBuilder prefix = new StringBuilder();
        for (char c : testName.toLowerCase(Locale.ROOT).toCharArray()) {
            if (prefix.length() == TAG_PREFIX_LENGTH) break;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) prefix.append(c);
        }
        if (prefix.isEmpty()) prefix.append("test");
        StringBuilder random = new StringBuilder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) random.append(Character.forDigit(r.nextInt(36), 36));
        return prefix + "-" + random;
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is out of range; give more than zero and at most " + MAX_TIMEOUT);
        }
        return timeout;
    }
}
