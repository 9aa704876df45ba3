package dev.petrel.server;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import dev.petrel.dns.Resolver;
import dev.petrel.message.ClientText;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import dev.petrel.config.PetrelConfig.DnsblStage;
import dev.petrel.config.PetrelConfig.Listener;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.config.PetrelConfig.ListenerPolicy;
import dev.petrel.policy.HeloPolicy;
import dev.petrel.policy.DnsblChecker;
import dev.petrel.policy.FaultPlan;
import dev.petrel.policy.HeaderAddresses;
import dev.petrel.policy.RatePolicy;
import dev.petrel.policy.RelayPolicy;
import dev.petrel.policy.SenderPolicy;
import dev.petrel.policy.Verdict;
import dev.petrel.protocol.ReceivedHeader;
import dev.petrel.protocol.Replies;
import dev.petrel.protocol.Reply;
import dev.petrel.protocol.SessionHandler;
import dev.petrel.protocol.SessionView;
import dev.petrel.queue.CommitListener;
import dev.petrel.queue.Spool;
import dev.petrel.queue.SpoolFullException;
import dev.petrel.queue.SpoolWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Connects SMTP sessions to policy and the spool, and writes the log lines a postmaster greps:
 * {@code <session>: reject: RCPT ...} before a queue id exists, {@code <queueid>: from=<...>,
 * size=..., nrcpt=...} once a message is safely queued. Thread-safe; shared by all sessions.
 */
final class IntakeHandler implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger("petrel.smtpd");

    private final RelayPolicy relay;
    private final Spool spool;
    private final AuthThrottle authThrottle;
    private final CommitListener listener;
    private final DnsblChecker dnsbl;
    private final RatePolicy rates;
    private final SenderPolicy senders;
    private final Map<String, Listener> listeners;
    private final AuthenticatingSink.Setup mailAuth;
    /** Capture mode's short cut into the inbox, or null. */
    private final DirectCapture capture;
    /** Capture mode's injected faults, or null. */
    private final FaultPlan faults;
    /** The rule behind the refusal a session is about to log; at most one entry per session at a time. */
    private final Map<String, String> lastRule = new java.util.concurrent.ConcurrentHashMap<>();
    /** Sessions whose messages are quarantined, with the reason; removed when the session closes. */
    private final Map<String, String> quarantined = new java.util.concurrent.ConcurrentHashMap<>();
    private final Resolver heloDns;
    /** Until the server is bound to a registry: an empty composite, whose meters count nothing. */
    private volatile MeterRegistry metrics = new CompositeMeterRegistry();

    /**
     * @param dnsbl         the block lists to check, or null for none
     * @param listeners     listener name → listener, for the checks that depend on where the client came in
     * @param heloDns       for [[listener]] reject_unknown_helo; null when no listener asks for it
     */
    IntakeHandler(RelayPolicy relay, Spool spool, AuthThrottle authThrottle, CommitListener listener, DnsblChecker dnsbl,
                  RatePolicy rates, SenderPolicy senders, Map<String, Listener> listeners, AuthenticatingSink.Setup mailAuth,
                  FaultPlan faults, DirectCapture capture, Resolver heloDns) {
        this.heloDns = heloDns;
        this.capture = capture;
        this.mailAuth = mailAuth;
        this.faults = faults;
        this.rates = rates;
        this.senders = senders;
        this.listeners = Map.copyOf(listeners);
        this.relay = relay;
        this.spool = spool;
        this.authThrottle = authThrottle;
        this.listener = listener;
        this.dnsbl = dnsbl;
    }

    /** The reply that replaces the greeting (a connect-stage block list lists the client), if any. */
    Optional<Reply> checkConnect(String sessionId, InetAddress client) {
        if (dnsbl == null) return Optional.empty();
        return reply(sessionId, dnsbl.check(sessionId, client, DnsblStage.CONNECT));
    }

    @Override
    public Optional<Reply> checkSender(SessionView session, MailAddress sender) {
        Optional<Reply> fault = fault(session, FaultPlan.Stage.MAIL, List.of());
        if (fault.isPresent()) return fault;
        if (!spool.hasRoomFor(0)) {
            return Optional.of(Reply.of(452, "4.3.1", "Insufficient system storage, try again later"));
        }
        Listener listener = listeners.get(session.listenerName());
        ListenerMode mode = listener == null ? ListenerMode.MX : listener.mode();
        ListenerPolicy policy = policy(session);
        if (policy.requireTls() && session.tls() == null) {
            return reply(session, new Verdict.Reject(530, "5.7.0", "Must issue a STARTTLS command first", "require_tls"));
        }
        Verdict v = senders.checkEnvelopeSender(session.authIdentity(), sender, mode, relay.isTrusted(session.clientAddress()));
        // Rate last: a refused MAIL FROM must not use up a token.
        if (v instanceof Verdict.Accept && policy.rateLimits()) v = rates.checkMessage(session.clientAddress(), session.authIdentity());
        return reply(session, v);
    }

    @Override
    public Optional<Reply> checkHelo(SessionView session, String name) {
        ListenerPolicy p = policy(session);
        if (p.rejectNonFqdnHelo()) {
            Optional<Reply> refusal = reply(session, HeloPolicy.check(name));
            if (refusal.isPresent()) return refusal;
        }
        // Our own networks may name themselves as they like, as Postfix's permit_mynetworks comes first.
        if (p.rejectUnknownHelo() && heloDns != null && !relay.isTrusted(session.clientAddress())) {
            return reply(session, HeloPolicy.checkResolves(name, heloDns));
        }
        return Optional.empty();
    }

    private ListenerPolicy policy(SessionView session) {
        Listener listener = listeners.get(session.listenerName());
        return listener == null ? ListenerPolicy.INHERIT : listener.policy();
    }

    /** The From: header of an authenticated user's message must name only addresses the user owns. */
    @Override
    public Optional<Reply> checkMessage(SessionView session, Envelope envelope, byte[] headerSection) {
        Optional<Reply> fault = fault(session, FaultPlan.Stage.DATA, envelope.recipients().stream().map(Recipient::address).toList());
        if (fault.isPresent()) return fault;
        if (session.authIdentity() == null || !senders.checksFromHeader()) return Optional.empty();
        if (headerSection == null) {
            // Fail closed: a From: field beyond what we keep could otherwise pass unchecked.
            return Optional.of(Reply.of(552, "5.3.4", "Message header section too big to check the From: header"));
        }
        try {
            return reply(session, senders.checkFromHeader(session.authIdentity(), HeaderAddresses.from(headerSection)));
        } catch (IllegalArgumentException e) {
            return reply(session, new Verdict.Reject(553, "5.7.1", "From: header cannot be parsed (" + e.getMessage() + ")",
                    "sender-from-header"));
        }
    }

    @Override
    public Optional<Reply> checkRecipient(SessionView session, MailAddress sender, MailAddress recipient) {
        Optional<Reply> fault = fault(session, FaultPlan.Stage.RCPT, List.of(recipient));
        if (fault.isPresent()) return fault;
        Verdict v = relay.checkRecipient(session.clientAddress(), session.authIdentity(), recipient);
        // Block lists come after relay control (no lookups for relay attempts). Authenticated clients
        // are exempt, and postmaster stays reachable so a listed sender can ask why (RFC 5321 4.5.1).
        ListenerPolicy policy = policy(session);
        if (v instanceof Verdict.Accept && dnsbl != null && policy.dnsbl() && session.authIdentity() == null
                && !(relay.isLocal(recipient) && recipient.localPart().equalsIgnoreCase("postmaster"))) {
            v = dnsbl.check(session.sessionId(), session.clientAddress(), DnsblStage.RCPT);
        }
        // Rate last: only a recipient that every other check accepted uses up a token.
        if (v instanceof Verdict.Accept && policy.rateLimits()) v = rates.checkRecipient(session.clientAddress(), session.authIdentity());
        return reply(session, v);
    }

    /** Capture mode's fault injection: a fault's reply, a pause, or a dropped connection. */
    private Optional<Reply> fault(SessionView session, FaultPlan.Stage stage, List<MailAddress> recipients) {
        if (faults == null) return Optional.empty();
        Optional<FaultPlan.Fault> struck = faults.strike(stage, recipients, session.authIdentity());
        if (struck.isEmpty()) return Optional.empty();
        FaultPlan.Fault f = struck.get();
        log.info("{}: fault {} injected at {}: {}", session.sessionId(), f.id(), stage, f.action());
        return switch (f.action()) {
            case DELAY -> {
                try {
                    Thread.sleep(f.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield Optional.empty();
            }
            case DROP -> throw new DropConnection("fault " + f.id() + " at " + stage);
            case REPLY -> reply(session, f.code() >= 500
                    ? new Verdict.Reject(f.code(), f.enhanced(), f.text(), "fault:" + f.id())
                    : new Verdict.Defer(f.code(), f.enhanced(), f.text(), "fault:" + f.id()));
        };
    }

    /** A verdict as a reply, remembering the refusing rule for the log line of {@link #rejected}. */
    private Optional<Reply> reply(SessionView session, Verdict v) {
        return reply(session.sessionId(), v);
    }

    private Optional<Reply> reply(String sessionId, Verdict v) {
        return switch (v) {
            case Verdict.Accept a -> Optional.empty();
            case Verdict.Reject r -> {
                lastRule.put(sessionId, r.rule());
                yield Optional.of(Reply.of(r.code(), r.enhanced(), r.text()));
            }
            case Verdict.Defer d -> {
                lastRule.put(sessionId, d.rule());
                yield Optional.of(Reply.of(d.code(), d.enhanced(), d.text()));
            }
            case Verdict.Quarantine q -> {
                // The session goes on as normal; every message it sends from now on is held.
                if (quarantined.putIfAbsent(sessionId, q.reason() + "; rule=" + q.rule()) == null) {
                    log.info("{}: quarantine: {}; rule={}", sessionId, q.reason(), q.rule());
                }
                yield Optional.empty();
            }
        };
    }

    @Override
    public Optional<Reply> beforeAuth(SessionView session) {
        return authThrottle.beforeAuth(session.clientAddress());
    }

    @Override
    public Optional<Reply> afterAuth(SessionView session, boolean success, String username) {
        String client = ReceivedHeader.addressLiteral(session.clientAddress());
        if (success) {
            authThrottle.succeeded(session.clientAddress());
            log.info("{}: client={}, sasl_username={}", session.sessionId(), client, username);
            return Optional.empty();
        }
        // Asked before this failure is counted: the attempt that reaches the limit still gets 535.
        boolean locked = authThrottle.userLocked(username);
        Duration pause = authThrottle.failed(session.clientAddress(), username);
        log.warn("{}: client={}, authentication failed, sasl_username={}{}", session.sessionId(), client,
                username == null ? "(unknown)" : sanitize(username), locked ? ", user locked out" : "");
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A locked name is refused whatever the password, so 454 confirms no guess; it tells a
        // real user to wait instead of doubting their password.
        return locked ? Optional.of(Replies.AUTH_USER_LOCKED) : Optional.empty();
    }

    @Override
    public MessageSink open(SessionView session, Envelope envelope, long declaredSize) throws IOException {
        String quarantine = quarantined.get(session.sessionId());
        // In the envelope, so the hold is durable in the same fsync as the message itself.
        if (quarantine != null) envelope = envelope.withQuarantine(quarantine);
        AuthenticatingSink.Work work = mailAuthWork(session);
        if (capture != null && capture.takesAll(envelope)) {
            CaptureSink sink = new CaptureSink(capture, envelope, stored -> countAccepted(stored, "inbox"));
            return work == null ? sink : new AuthenticatingSink(sink, work, v -> reply(session, v));
        }
        SpoolWriter writer;
        try {
            writer = spool.create(envelope, Math.max(0, declaredSize));
        } catch (SpoolFullException e) {
            log.error("spool full: {}", e.getMessage());
            throw new StorageFullException(e.getMessage(), e);
        }
        SpoolSink sink = new SpoolSink(writer, envelope, (id, committed, size) -> {
            listener.committed(id, committed, size);
            countAccepted(committed, "queue");
        });
        return work == null ? sink : new AuthenticatingSink(sink, work, v -> reply(session, v));
    }

    /**
     * Sign what our own users and networks send; verify what the rest of the world sends to an mx
     * listener; leave everything else alone (no buffering, no lookups).
     */
    private AuthenticatingSink.Work mailAuthWork(SessionView session) {
        boolean ours = session.authIdentity() != null || relay.isTrusted(session.clientAddress());
        if (ours) return mailAuth.signer() == null ? null : AuthenticatingSink.Work.sign(mailAuth.signer());
        Listener l = listeners.get(session.listenerName());
        boolean mx = l == null || l.mode() == ListenerMode.MX;
        return mx && mailAuth.verifier() != null ? AuthenticatingSink.Work.verify(mailAuth.verifier(), mailAuth.dmarcAction(),
                mailAuth.forwarders()) : null;
    }

    void bindMetrics(MeterRegistry registry) {
        metrics = registry;
    }

    /** petrel.smtp.messages{listener, to}: a message accepted (to the queue or the capture inbox). */
    private void countAccepted(Envelope envelope, String to) {
        metrics.counter("petrel.smtp.messages", "listener", envelope.listener(), "to", to).increment();
    }

    @Override
    public void rejected(SessionView session, String command, Reply reply) {
        // Refusals that no policy rule made come from the protocol itself (syntax, sequence, limits).
        String rule = lastRule.remove(session.sessionId());
        metrics.counter("petrel.smtp.refusals", "rule", rule == null ? "protocol" : rule).increment();
        log.info("{}: reject: {} from {}: {}; rule={}", session.sessionId(), command,
                ReceivedHeader.addressLiteral(session.clientAddress()), reply, rule == null ? "protocol" : rule);
    }

    @Override
    public void closed(SessionView session) {
        lastRule.remove(session.sessionId());
        quarantined.remove(session.sessionId());
    }

    /** Client-supplied text in a log line: no control characters, bounded length. */
    static String sanitize(String s) {
        return ClientText.printable(s, 100);
    }

    static final class SpoolSink implements IntakeSink {
        private final SpoolWriter writer;
        private Envelope envelope;
        private final CommitListener listener;

        SpoolSink(SpoolWriter writer, Envelope envelope, CommitListener listener) {
            this.writer = writer;
            this.envelope = envelope;
            this.listener = listener;
        }

        @Override
        public String id() {
            return writer.id().value();
        }

        @Override
        public Envelope envelope() {
            return envelope;
        }

        /** Holds the message in the queue for {@code reason}; before the first write only. */
        @Override
        public void quarantine(String reason) throws IOException {
            envelope = envelope.withQuarantine(reason);
            writer.replaceEnvelope(envelope);
            log.info("{}: quarantine: {}", id(), reason);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                writer.write(bytes, offset, length);
            } catch (SpoolFullException e) {
                throw new StorageFullException(e.getMessage(), e);
            }
        }

        @Override
        public void commit() throws IOException {
            try {
                writer.commit();
            } catch (SpoolFullException e) {
                log.error("{}: spool full: {}", id(), e.getMessage());
                throw new StorageFullException(e.getMessage(), e);
            } catch (IOException e) {
                log.error("{}: could not queue: {}", id(), e.toString());
                throw e;
            }
            log.info("{}: client={}, helo={}, from=<{}>, size={}, nrcpt={}{}{}{}", id(),
                    ReceivedHeader.addressLiteral(envelope.client()), sanitize(String.valueOf(envelope.helo())),
                    envelope.senderText(), writer.size(), envelope.recipients().size(),
                    envelope.authIdentity() == null ? "" : ", sasl_username=" + envelope.authIdentity(),
                    envelope.tls() == null ? "" : ", tls=" + envelope.tls().protocol(),
                    envelope.quarantine() == null ? "" : ", quarantined");
            listener.committed(writer.id(), envelope, writer.size());
            if (log.isDebugEnabled()) {
                log.debug("{}: to={}", id(), envelope.recipients().stream().map(Recipient::address)
                        .map(a -> "<" + a + ">").collect(Collectors.joining(",")));
            }
        }

        @Override
        public void abort() {
            writer.abort();
        }
    }
}
