package dev.petrel.server;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.TlsMode;
import dev.petrel.config.PetrelConfig;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Resolver;
import dev.petrel.mailauth.InboundVerifier;
import dev.petrel.mailauth.OutboundSigner;
import dev.petrel.mailauth.TrustedForwarders;
import dev.petrel.mailauth.arc.ArcSealer;
import dev.petrel.mailauth.arc.ArcVerifier;
import dev.petrel.mailauth.dkim.DkimKeys;
import dev.petrel.mailauth.dkim.DkimSigningKey;
import dev.petrel.policy.DnsblChecker;
import dev.petrel.policy.FaultPlan;
import dev.petrel.policy.LocalRecipients;
import dev.petrel.policy.LockoutCredentialStore;
import dev.petrel.policy.RatePolicy;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.policy.SenderPolicy;
import dev.petrel.protocol.ReceivedHeader;
import dev.petrel.protocol.Replies;
import dev.petrel.protocol.ServerSession;
import dev.petrel.protocol.SessionLimits;
import dev.petrel.protocol.SessionSettings;
import dev.petrel.protocol.sasl.CredentialStore;
import dev.petrel.protocol.sasl.LoginMechanism;
import dev.petrel.protocol.sasl.PlainMechanism;
import dev.petrel.protocol.sasl.SaslMechanism;
import dev.petrel.protocol.sasl.ScramSha256Mechanism;
import dev.petrel.queue.CommitListener;
import dev.petrel.queue.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Runs every configured listener. {@link #start()} binds all sockets before it returns (so a port
 * in use fails the start, not a later accept); {@link #close()} stops accepting and drops open
 * connections, whose unfinished messages are discarded (they were never acknowledged).
 */
public final class SmtpServer implements AutoCloseable, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger("petrel.smtpd");
    /** A large accept backlog: OpenSMTPD's 5 collapses under bursts of new connections. */
    private static final int BACKLOG = 4096;
    /** How long a load balancer may take to send its PROXY header. */
    static final Duration PROXY_HEADER_TIMEOUT = Duration.ofSeconds(10);
    private static final String ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final PetrelConfig config;
    private final IntakeHandler handler;
    private final List<SaslMechanism> mechanisms;
    private final Supplier<SSLContext> sslContext;
    private final Clock clock;
    private final ConnectionLimiter limiter;
    private final ConnectionRate connectionRate;
    private volatile Duration dataRateGrace = DataRateMeter.GRACE;
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final DeadlineWatch deadlines = new DeadlineWatch(open);
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    /**
     * @param sslContext supplies the server TLS context; called once, and only when a listener
     *                   uses TLS (so a plaintext-only setup never generates a certificate)
     */
    public SmtpServer(PetrelConfig config, Spool spool, CredentialStore users, Supplier<SSLContext> sslContext, Clock clock) {
        this(config, spool, users, sslContext, clock, CommitListener.NONE);
    }

    /** @param listener told about every committed message (the scheduler) */
    public SmtpServer(PetrelConfig config, Spool spool, CredentialStore users, Supplier<SSLContext> sslContext, Clock clock,
                      CommitListener listener) {
        this(config, spool, users, sslContext, clock, listener, null);
    }

    /**
     * @param dns for [[dnsbl]] lookups; null makes one from {@code delivery.resolver} when block
     *            lists are configured
     */
    public SmtpServer(PetrelConfig config, Spool spool, CredentialStore users, Supplier<SSLContext> sslContext, Clock clock,
                      CommitListener listener, Resolver dns) {
        this(config, spool, users, sslContext, clock, listener, dns, null, null);
    }

    /**
     * @param faults  capture mode's fault injection, or null
     * @param capture capture mode's short cut into the inbox for mail whose recipients are all captured, or null
     */
    public SmtpServer(PetrelConfig config, Spool spool, CredentialStore users, Supplier<SSLContext> sslContext, Clock clock,
                      CommitListener listener, Resolver dns, FaultPlan faults, DirectCapture capture) {
        this.config = config;
        this.clock = clock;
        this.sslContext = memoize(sslContext);
        this.limiter = new ConnectionLimiter(config.server().maxConnections(), config.server().maxConnectionsPerIp());
        this.connectionRate = new ConnectionRate(config.policy().limits().maxNewConnectionsPerIpPerMinute(),
                config.relay().trustedNetworks(), clock);
        List<String> local = new ArrayList<>(config.relay().localDomains());
        local.add(config.server().hostname());
        RelayPolicy relay = new RelayPolicy(local, config.relay().trustedNetworks(), new LocalRecipients(config.local()));
        PetrelConfig.Auth auth = config.auth();
        List<PetrelConfig.Dnsbl> dnsbls = config.policy().dnsbls();
        PetrelConfig.MailAuth mailAuth = config.mailAuth();
        boolean heloDns = config.listeners().stream().anyMatch(l -> l.policy().rejectUnknownHelo());
        Resolver resolver = dns != null || (dnsbls.isEmpty() && !mailAuth.verify() && mailAuth.arcSealKey() == null && !heloDns) ? dns
                : new DnsjavaResolver(config.delivery().resolver());
        DnsblChecker dnsbl = dnsbls.isEmpty() ? null : new DnsblChecker(dnsbls, config.relay().trustedNetworks(),
                resolver, DnsblChecker.DEFAULT_TIMEOUT, clock);
        PetrelConfig.RateLimits rates = config.policy().rates();
        AuthThrottle throttle = new AuthThrottle(auth.maxFailuresPerIp(), auth.failureWindow(), auth.failureDelay(),
                rates.authFailuresPerUser(), rates.authFailureWindow(), clock);
        this.handler = new IntakeHandler(relay, spool, throttle, listener, dnsbl,
                new RatePolicy(rates, config.relay().trustedNetworks(), clock),
                new SenderPolicy(config.policy().senders(), local),
                config.listeners().stream().collect(Collectors.toMap(PetrelConfig.Listener::name, l -> l, (x, y) -> x)),
                mailAuthSetup(config, resolver, loadSigningKeys(config), clock), faults, capture, heloDns ? resolver : null);
        CredentialStore guarded = new LockoutCredentialStore(users, throttle::userLocked);
        this.mechanisms = List.of(new PlainMechanism(guarded), new LoginMechanism(guarded), new ScramSha256Mechanism(guarded));
    }

    /**
     * The [[dkim]] keys, read now so that a bad key stops the start instead of the first message.
     *
     * @throws UncheckedIOException naming the file when a key cannot be read or used
     */
    private static List<DkimSigningKey> loadSigningKeys(PetrelConfig config) {
        List<DkimSigningKey> keys = new ArrayList<>();
        for (PetrelConfig.DkimKey k : config.mailAuth().signingKeys()) {
            try {
                keys.add(DkimSigningKey.of(k.domain(), k.selector(), DkimKeys.load(k.privateKey())));
            } catch (IOException | IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("[[dkim]] " + k.domain() + " selector " + k.selector()
                        + ": " + e.getMessage(), e));
            }
        }
        return keys;
    }

    private static AuthenticatingSink.Setup mailAuthSetup(PetrelConfig config, Resolver resolver, List<DkimSigningKey> keys,
                                                          Clock clock) {
        PetrelConfig.MailAuth m = config.mailAuth();
        String authservId = m.authservId() != null ? m.authservId() : config.server().hostname();
        OutboundSigner.ArcSealing arc = null;
        if (m.arcSealKey() != null) {
            DkimSigningKey key = keys.stream().filter(k -> k.domain().equals(m.arcSealKey().domain())
                    && k.selector().equals(m.arcSealKey().selector())).findFirst().orElseThrow();
            try {
                arc = new OutboundSigner.ArcSealing(new ArcSealer(key, clock), new ArcVerifier(resolver, clock), authservId);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("[mail_auth] arc_domain/arc_selector: " + e.getMessage(), e));
            }
        }
        return new AuthenticatingSink.Setup(m.verify() ? new InboundVerifier(resolver, clock, authservId) : null,
                m.dmarcAction(), new TrustedForwarders(m.trustedArcSealers()), keys.isEmpty() ? null : new OutboundSigner(keys, clock, arc));
    }

    public synchronized void start() throws IOException {
        for (PetrelConfig.Listener l : config.listeners()) {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            try {
                ss.bind(l.address(), BACKLOG);
            } catch (IOException e) {
                close();
                throw new IOException("listener '" + l.name() + "' cannot bind " + l.address() + ": " + e.getMessage(), e);
            }
            sockets.add(ss);
            SSLContext ctx = l.tls() == TlsMode.NONE ? null : sslContext.get();
            PetrelConfig.Smtp smtp = config.smtp();
            PetrelConfig.ListenerPolicy policy = l.policy();
            ListenerContext lc = new ListenerContext(l.name(), l.tls() == TlsMode.IMPLICIT, ctx,
                    smtp.commandTimeout(), smtp.dataTimeout(), policy.greetPause(smtp),
                    config.policy().limits().forbidUnauthPipelining());
            SessionSettings settings = new SessionSettings(config.server().hostname(), l.name(),
                    l.mode() == ListenerMode.SUBMISSION, l.tls() == TlsMode.STARTTLS, mechanisms,
                    policy.maxMessageSize(smtp), policy.maxRecipients(smtp),
                    smtp.bareLineEndings() == PetrelConfig.BareLineEndings.REJECT,
                    smtp.longLines() == PetrelConfig.LongLines.REJECT, smtp.maxErrors(), sessionLimits());
            Thread.ofPlatform().name("accept-" + l.name()).daemon(true).start(() -> acceptLoop(ss, l, lc, settings));
            log.info("listening on {} ({}, mode={}, tls={})", ss.getLocalSocketAddress(), l.name(),
                    l.mode().name().toLowerCase(), l.tls().name().toLowerCase());
        }
        deadlines.start();
    }

    private SessionLimits sessionLimits() {
        PetrelConfig.Limits l = config.policy().limits();
        return new SessionLimits(l.maxHeaderSize(), l.maxMimeDepth(), l.maxCommandsPerSession(), l.forbidUnauthPipelining());
    }

    /** Tests only: a shorter grace period before min_data_rate applies than the 30 seconds. */
    void dataRateGrace(Duration grace) {
        dataRateGrace = grace;
    }

    /** The bound address of listener {@code index} (useful when the config asked for port 0). */
    public InetSocketAddress address(int index) {
        return (InetSocketAddress) sockets.get(index).getLocalSocketAddress();
    }

    /**
     * True when a connection to {@code target} would reach one of our own listeners: the same port
     * on the address a listener is bound to, or on any local address when it is bound to all of them.
     */
    public synchronized boolean isOwnAddress(InetSocketAddress target) {
        for (ServerSocket ss : sockets) {
            if (ss.isClosed() || ss.getLocalPort() != target.getPort()) continue;
            java.net.InetAddress bound = ss.getInetAddress();
            if (bound.equals(target.getAddress())) return true;
            if (bound.isAnyLocalAddress() && isLocal(target.getAddress())) return true;
        }
        return false;
    }

    private static boolean isLocal(java.net.InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        try {
            return java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * Metrics: petrel.smtp.connections (gauge), petrel.smtp.messages{listener, to} and
     * petrel.smtp.refusals{rule} (counters).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("petrel.smtp.connections", limiter, ConnectionLimiter::open).description("open SMTP connections")
                .register(registry);
        handler.bindMetrics(registry);
    }

    /** The server's TLS context ([tls], or the generated certificate), made on first use. */
    public SSLContext sslContext() {
        return sslContext.get();
    }

    public int openConnections() {
        return limiter.open();
    }

    private void acceptLoop(ServerSocket ss, PetrelConfig.Listener l, ListenerContext lc, SessionSettings settings) {
        while (!closed) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (closed) return;
                log.warn("accept on {} failed: {}", lc.name(), e.getMessage());
                pauseAfterAcceptFailure(); // e.g. out of file descriptors: do not spin
                continue;
            }
            InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
            if (!l.proxyProtocol()) {
                admit(s, peer, lc, settings, l.policy());
            } else if (l.proxyFrom().stream().noneMatch(n -> n.contains(peer.getAddress()))) {
                // Only the listed load balancers may name a client; anyone else could claim to be trusted.
                log.warn("{}: connection from {} refused: not in proxy_from", lc.name(), ReceivedHeader.addressLiteral(peer.getAddress()));
                Thread.ofVirtual().start(() -> Connection.refuse(s, Replies.NOT_A_LOAD_BALANCER));
            } else {
                Thread.ofVirtual().start(() -> {
                    InetSocketAddress client = proxiedClient(s, peer, lc);
                    if (client != null) admit(s, client, lc, settings, l.policy());
                });
            }
        }
    }

    /** The client a load balancer names in its PROXY header, or null (logged, socket closed) when it sent none. */
    private InetSocketAddress proxiedClient(Socket s, InetSocketAddress peer, ListenerContext lc) {
        try {
            // One timed read per connection, and only behind a load balancer: the header comes at once or not at all.
            s.setSoTimeout((int) PROXY_HEADER_TIMEOUT.toMillis());
            InetSocketAddress client = ProxyHeader.read(s.getInputStream(), peer);
            s.setSoTimeout(0);
            return client;
        } catch (IOException e) {
            log.warn("{}: connection from {} closed: bad PROXY header ({})", lc.name(), ReceivedHeader.addressLiteral(peer.getAddress()),
                    e.getMessage());
            closeQuietly(s);
            return null;
        }
    }

    /** Rate and connection limits for {@code client}, then its session on a virtual thread of its own. */
    private void admit(Socket s, InetSocketAddress client, ListenerContext lc, SessionSettings settings,
                       PetrelConfig.ListenerPolicy policy) {
        InetAddress ip = client.getAddress();
        if (!connectionRate.admit(ip)) {
            Thread.ofVirtual().start(() -> Connection.refuse(s, Replies.TOO_MANY_NEW_CONNECTIONS_FROM_IP));
            return;
        }
        switch (limiter.acquire(ip)) {
            case TOO_MANY -> Thread.ofVirtual().start(() -> Connection.refuse(s, Replies.TOO_MANY_CONNECTIONS));
            case TOO_MANY_FROM_IP -> Thread.ofVirtual().start(() -> Connection.refuse(s, Replies.TOO_MANY_CONNECTIONS_FROM_IP));
            case ADMITTED -> {
                String id = sessionId();
                Connection[] self = new Connection[1];
                self[0] = new Connection(s, client, lc, id,
                        tls -> new ServerSession(settings, handler, clock, id, ip, tls),
                        // Submission clients may sit on listed dynamic IPs; they authenticate instead.
                        () -> settings.authRequired() || !policy.dnsbl() ? Optional.empty() : handler.checkConnect(id, ip),
                        () -> {
                            limiter.release(ip);
                            open.remove(self[0]);
                        }, new DataRateMeter(config.policy().limits().minDataRate(), dataRateGrace, this::busy), clock);
                open.add(self[0]);
                Thread.ofVirtual().name("smtp-" + id).start(self[0]);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Nothing to tell a peer we are dropping.
        }
    }

    /** Busy: so many connections open that slow clients must make room ([limits] busy_connections). */
    private boolean busy() {
        return limiter.open() >= config.policy().limits().busyFrom(config.server().maxConnections());
    }

    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String sessionId() {
        char[] c = new char[10];
        for (int i = 0; i < c.length; i++) c[i] = ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length()));
        return new String(c);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ServerSocket ss : sockets) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
        for (Connection c : open) c.abort();
        deadlines.close();
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }
}
