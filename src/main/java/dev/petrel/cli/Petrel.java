package dev.petrel.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import dev.petrel.admin.AdminServer;
import dev.petrel.auth.UserStore;
import dev.petrel.config.PetrelConfig;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.LocalDelivery;
import dev.petrel.delivery.LoopGuard;
import dev.petrel.delivery.MxResolver;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Router;
import dev.petrel.delivery.mtasts.HttpsPolicyFetcher;
import dev.petrel.delivery.mtasts.MtaSts;
import dev.petrel.delivery.mtasts.PolicyCache;
import dev.petrel.delivery.Transport;
import dev.petrel.delivery.capture.CaptureTransport;
import dev.petrel.delivery.capture.InboxRules;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.Retention;
import dev.petrel.inbox.api.InboxAccess;
import dev.petrel.inbox.api.InboxServer;
import dev.petrel.mailauth.dkim.DkimVerifier;
import dev.petrel.delivery.local.MaildirTransport;
import dev.petrel.delivery.smtp.LmtpTransport;
import dev.petrel.delivery.smtp.SmtpTransport;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dsn.DsnNotices;
import dev.petrel.policy.FaultPlan;
import dev.petrel.policy.LocalRecipients;
import dev.petrel.queue.CommitListener;
import dev.petrel.queue.FileSpool;
import dev.petrel.queue.Scheduler;
import dev.petrel.queue.StaticQueue;
import dev.petrel.server.DirectCapture;
import dev.petrel.server.SmtpServer;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;
import dev.petrel.queue.SpoolWriter;
import dev.petrel.server.tls.TlsContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole server assembled from one config: spool, users, scheduler with its router and
 * transports, SMTP listeners and the admin endpoint. {@code petrel serve} runs one; integration
 * tests run one in-process. The only place that knows how the parts fit together.
 */
public final class Petrel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("petrel");

    private final PetrelConfig config;
    private final FileSpool spool;
    private final UserStore users;
    private final Scheduler scheduler;
    private final SmtpServer smtp;
    private final AdminServer admin;
    private final List<AutoCloseable> transports = new ArrayList<>();
    private final InboxStore inbox;
    private final FaultPlan faults;
    private InboxServer inboxServer;

    private Petrel(PetrelConfig config) throws IOException {
        this.config = config;
        Path dataDir = config.server().dataDir();
        Files.createDirectories(dataDir);
        this.spool = new FileSpool(dataDir.resolve("spool"), FileSpool.DEFAULT_RESERVE_BYTES, true);
        this.users = new UserStore(config.auth().usersFile());
        PetrelConfig.Delivery delivery = config.delivery();
        List<String> localDomains = new ArrayList<>(config.relay().localDomains());
        localDomains.add(config.server().hostname());
        PetrelConfig.Capture capture = config.capture();
        Router router = new Router(localDomains, delivery.routes(), delivery.smarthost(), delivery.tls(), capture::captures);
        // The listeners exist only after start(); the guard asks them at delivery time.
        java.util.concurrent.atomic.AtomicReference<SmtpServer> listeners = new java.util.concurrent.atomic.AtomicReference<>();
        DnsjavaResolver dns = new DnsjavaResolver(delivery.resolver()); // shared by delivery and [[dnsbl]]
        // One trust for verified STARTTLS and the MTA-STS policy fetch alike.
        SSLContext trust = delivery.caFile() == null ? jdkTrust() : TlsContextFactory.clientContextTrusting(delivery.caFile());
        MtaSts mtaSts = null;
        if (delivery.mtaSts()) {
            HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(dns, delivery.ipv6(), trust, HttpsPolicyFetcher.HTTPS_PORT,
                    HttpsPolicyFetcher.CONNECT_TIMEOUT, HttpsPolicyFetcher.TIMEOUT);
            transports.add(fetcher); // closed with the transports: it holds an HTTP client's threads once used
            mtaSts = new MtaSts(dns, fetcher, new PolicyCache(dataDir.resolve("mta-sts")), Clock.systemUTC());
        }
        SmtpTransport remote = new SmtpTransport(delivery, config.queue(), new LoopGuard(
                new MxResolver(dns, delivery.ipv6()),
                target -> listeners.get() != null && listeners.get().isOwnAddress(target)), trust, mtaSts);
        transports.add(remote);
        Transport local;
        if (config.local().lmtp() != null) {
            LmtpTransport lmtp = new LmtpTransport(config.local(), delivery, config.queue());
            transports.add(lmtp);
            local = lmtp;
        } else {
            local = new LocalDelivery(new LocalRecipients(config.local()),
                    new MaildirTransport(config.local().maildirRoot(), config.server().hostname()));
        }
        this.faults = capture.enabled() ? new FaultPlan() : null;
        this.inbox = capture.enabled() ? InboxStore.open(dataDir.resolve("inbox"),
                new Retention(capture.maxMessages(), capture.maxAge())) : null;
        Transport captured = inbox == null ? null : new CaptureTransport(inbox, new InboxRules(capture.inboxBy()),
                config.mailAuth().signingKeys().isEmpty() ? null : new DkimVerifier(dns, Clock.systemUTC()),
                config.mailAuth().authservId() != null ? config.mailAuth().authservId() : config.server().hostname());
        this.scheduler = delivery.enabled()
                ? new Scheduler(spool, router, route -> switch (route) {
                    case Route.Local l -> local;
                    case Route.Capture c -> captured;
                    default -> remote;
                },
                        new DsnNotices(config.server().hostname()), config.queue(), Clock.systemUTC())
                : null;
        this.smtp = new SmtpServer(config, spool, users,
                () -> TlsContextFactory.serverContext(config.tls().certificate(), config.tls().privateKey(), dataDir,
                        config.server().hostname()),
                Clock.systemUTC(), scheduler == null ? CommitListener.NONE : scheduler, dns, faults,
                captured == null ? null : directCapture(captured, capture));
        listeners.set(smtp);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        smtp.bindTo(metrics);
        if (scheduler != null) scheduler.bindTo(metrics);
        this.admin = new AdminServer(config, scheduler == null ? new StaticQueue(spool) : scheduler, dataDir).withMetrics(metrics);
    }

    /** The JDK's trust store (cacerts). */
    private static SSLContext jdkTrust() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS context in this JDK: " + e, e);
        }
    }

    /**
     * A captured message sent on for real (the inbox API's release): queued like any message, with
     * the listener name that makes the router ignore capture.
     */
    private String release(byte[] raw, String mailFrom, List<String> recipients) throws IOException {
        if (scheduler == null) throw new IOException("delivery is off ([delivery] enabled = false)");
        List<Recipient> rcpts = new ArrayList<>();
        for (String r : recipients) rcpts.add(Recipient.of(parseAddress(r)));
        MailAddress sender = mailFrom == null || mailFrom.isEmpty() ? null : parseAddress(mailFrom);
        Envelope envelope = new Envelope(sender, rcpts, Envelope.BodyType.EIGHT_BIT_MIME, false, null, null, null,
                java.net.InetAddress.getLoopbackAddress(), config.server().hostname(), Router.RELEASED, null,
                java.time.Instant.now());
        try (SpoolWriter w = spool.create(envelope, raw.length)) {
            w.write(raw, 0, raw.length);
            w.commit();
            log.info("{}: released from the capture inbox to {}", w.id(), recipients);
            scheduler.committed(w.id(), envelope, raw.length);
            return w.id().value();
        }
    }

    /** An address as a user writes it (no angle brackets needed); IllegalArgumentException naming it otherwise. */
    static MailAddress parseAddress(String text) {
        try {
            return dev.petrel.protocol.PathParser.parse("<" + text.strip() + ">", false, true).address();
        } catch (dev.petrel.protocol.AddressSyntaxException | RuntimeException e) {
            throw new IllegalArgumentException("not a mail address: " + text);
        }
    }

    /** Mail whose recipients are all captured goes into the inbox at once, not through the spool. */
    private static DirectCapture directCapture(Transport captured, PetrelConfig.Capture capture) {
        return new DirectCapture() {
            @Override
            public boolean takesAll(Envelope envelope) {
                return envelope.recipients().stream().allMatch(r -> capture.captures(r.address().domainKey()));
            }

            @Override
            public String store(Envelope envelope, byte[] content) throws IOException {
                Delivery d = new Delivery(QueueId.generate(System.currentTimeMillis()), envelope, envelope.recipients(), content);
                List<DeliveryStatus> statuses = captured.deliver(d, new Route.Capture());
                for (DeliveryStatus s : statuses) {
                    if (s.outcome() != DeliveryStatus.Outcome.DELIVERED) throw new IOException(s.reply());
                }
                return statuses.stream().map(DeliveryStatus::reply).distinct().collect(java.util.stream.Collectors.joining("; "));
            }
        };
    }

    /** Builds and starts everything; on failure, whatever started is stopped again. */
    public static Petrel start(PetrelConfig config) throws IOException {
        Petrel p;
        try {
            p = new Petrel(config);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // e.g. a [[dkim]] key that cannot be used; the message names the file
        }
        try {
            if (p.scheduler != null) p.scheduler.start();
            p.smtp.start();
            p.admin.start();
            if (p.inbox != null) {
                try {
                    p.inboxServer = InboxServer.start(p.inbox, config.capture().address(), p.faults, p::release, p.inboxAccess());
                } catch (RuntimeException e) {
                    throw new IOException("the capture inbox cannot listen on "
                            + dev.petrel.config.ListenerAddress.format(config.capture().address()) + " (" + rootMessage(e)
                            + "); free that port or set [capture] listen to another address", e);
                }
                log.info("capture: mail to {} is kept in the test inbox; web UI and API on {}://{}:{}/{}",
                        config.capture().domains(), p.inboxAccess().scheme(), config.capture().address().getAddress().getHostAddress(),
                        p.inboxServer.port(), config.capture().usersOnly() ? " (Petrel users only)" : "");
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        if (p.scheduler == null) {
            log.warn("delivery is off ([delivery] enabled = false, or no config file): accepted mail stays in the queue");
        }
        return p;
    }

    /** Who may use the capture inbox's UI and API ([capture] auth and tls). */
    private InboxAccess inboxAccess() {
        PetrelConfig.Capture c = config.capture();
        return new InboxAccess(c.usersOnly() ? users : null, c.tls() ? smtp.sslContext() : null);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public PetrelConfig config() {
        return config;
    }

    public FileSpool spool() {
        return spool;
    }

    public UserStore users() {
        return users;
    }

    public SmtpServer smtp() {
        return smtp;
    }

    /** The scheduler, or null when delivery is off. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The capture inbox, or null when [capture] is off. */
    public InboxStore inbox() {
        return inbox;
    }

    /** The capture inbox's HTTP server (web UI and API), or null when [capture] is off. */
    public AdminServer admin() {
        return admin;
    }

    public InboxServer inboxServer() {
        return inboxServer;
    }

    @Override
    public void close() {
        admin.close();
        smtp.close();
        if (scheduler != null) scheduler.close();
        if (inboxServer != null) inboxServer.close();
        if (inbox != null) inbox.close();
        for (AutoCloseable t : transports) {
            try {
                t.close(); // says QUIT on idle outbound connections
            } catch (Exception e) {
                log.debug("closing a transport: {}", e.toString());
            }
        }
        try {
            spool.close();
        } catch (IOException e) {
            log.debug("releasing the spool lock: {}", e.toString());
        }
    }
}
