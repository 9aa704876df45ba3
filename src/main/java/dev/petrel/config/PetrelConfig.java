package dev.petrel.config;

import dev.petrel.message.IpNetwork;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of Petrel's configuration, as loaded from a TOML file or built from the
 * embedded defaults. Reloading makes a new snapshot; nothing mutates this one.
 *
 * @param source    the file it was loaded from, or null for the embedded defaults
 */
public record PetrelConfig(
        Path source,
        Server server,
        Smtp smtp,
        Tls tls,
        List<Listener> listeners,
        Relay relay,
        Auth auth,
        Queue queue,
        Delivery delivery,
        Local local,
        Admin admin,
        Policy policy,
        MailAuth mailAuth,
        Capture capture) {

    public PetrelConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(tls, "tls");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(mailAuth, "mailAuth");
        Objects.requireNonNull(capture, "capture");
    }

    /** A config without capture. */
    public PetrelConfig(Path source, Server server, Smtp smtp, Tls tls, List<Listener> listeners, Relay relay, Auth auth,
                        Queue queue, Delivery delivery, Local local, Admin admin, Policy policy, MailAuth mailAuth) {
        this(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, Capture.OFF);
    }

    /** A config with the default [mail_auth] and no DKIM keys. */
    public PetrelConfig(Path source, Server server, Smtp smtp, Tls tls, List<Listener> listeners, Relay relay, Auth auth,
                        Queue queue, Delivery delivery, Local local, Admin admin, Policy policy) {
        this(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, MailAuth.DEFAULTS);
    }

    /** A config with the default [senders], [limits], [rate_limits] and no DNSBLs. */
    public PetrelConfig(Path source, Server server, Smtp smtp, Tls tls, List<Listener> listeners, Relay relay, Auth auth,
                        Queue queue, Delivery delivery, Local local, Admin admin) {
        this(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, Policy.DEFAULTS);
    }

    /** A copy with another envelope policy (tests build configs this way). */
    public PetrelConfig withPolicy(Policy policy) {
        return new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, capture);
    }

    /** A copy with other mail authentication settings (tests build configs this way). */
    public PetrelConfig withMailAuth(MailAuth mailAuth) {
        return new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, capture);
    }

    /** A copy with other capture settings. */
    public PetrelConfig withCapture(Capture capture) {
        return new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, capture);
    }

    /** A copy with other listeners (tests build configs this way). */
    public PetrelConfig withListeners(List<Listener> listeners) {
        return new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, capture);
    }

    /** A copy with other delivery-side settings (tests build configs this way). */
    public PetrelConfig withDelivery(Queue queue, Delivery delivery, Local local, Admin admin) {
        return new PetrelConfig(source, server, smtp, tls, listeners, relay, auth, queue, delivery, local, admin, policy, mailAuth, capture);
    }

    /**
     * @param hostname             the name used in the greeting, EHLO reply and Received headers
     * @param dataDir              where the spool, generated keys and the user file live
     * @param maxConnections       concurrent SMTP connections, all listeners together
     * @param maxConnectionsPerIp  concurrent SMTP connections from one client IP
     */
    public record Server(String hostname, Path dataDir, int maxConnections, int maxConnectionsPerIp) {}

    /**
     * @param maxMessageSize  octets; advertised in SIZE and enforced while the message streams in
     * @param maxRecipients   RCPT commands accepted per message; more get 452 4.5.3
     * @param bareLineEndings what to do with a bare CR or LF in commands or content
     * @param longLines       what to do with a content line over 998 octets
     * @param maxErrors       client errors per session before it is disconnected with 421
     * @param commandTimeout  how long to wait for a command (RFC 5321 4.5.3.2.7: 5 minutes)
     * @param dataTimeout     how long to wait for each block of message data (RFC 5321: 3 minutes)
     * @param greetPause      how long to wait before the greeting; a client that talks in that
     *                        time is refused. Zero turns the check off.
     */
    public record Smtp(
            long maxMessageSize,
            int maxRecipients,
            BareLineEndings bareLineEndings,
            LongLines longLines,
            int maxErrors,
            Duration commandTimeout,
            Duration dataTimeout,
            Duration greetPause) {}

    /** Postfix's {@code smtpd_forbid_bare_newline} meanings. */
    public enum BareLineEndings { NORMALIZE, REJECT }

    /** Content lines longer than RFC 5322's 998 octets. */
    public enum LongLines { REJECT, ACCEPT }

    /**
     * @param certificate PEM certificate chain, or null to use a generated self-signed one
     * @param privateKey  PEM private key (PKCS#8 or traditional), or null with {@code certificate}
     */
    public record Tls(Path certificate, Path privateKey) {}

    /**
     * @param name    a short name for logs and the Received header
     * @param address where to listen
     * @param mode    what the listener accepts
     * @param tls     how TLS is offered
     */
    public record Listener(String name, InetSocketAddress address, ListenerMode mode, TlsMode tls, ListenerPolicy policy,
                           List<IpNetwork> proxyFrom) {
        /** A listener with the global settings and the default checks. */
        public Listener(String name, InetSocketAddress address, ListenerMode mode, TlsMode tls) {
            this(name, address, mode, tls, ListenerPolicy.INHERIT);
        }

        /** A listener that clients reach directly (no PROXY protocol). */
        public Listener(String name, InetSocketAddress address, ListenerMode mode, TlsMode tls, ListenerPolicy policy) {
            this(name, address, mode, tls, policy, List.of());
        }

        public Listener {
            Objects.requireNonNull(policy, "policy");
            proxyFrom = List.copyOf(proxyFrom);
        }

        /**
         * With {@code proxy_protocol}: connections come from a load balancer that sends the PROXY
         * protocol header first, and only from these networks; the client it names is the client.
         */
        public boolean proxyProtocol() {
            return !proxyFrom.isEmpty();
        }
    }

    /**
     * The policy keys of one [[listener]], so that port 25 and port 587 can differ (as Postfix's
     * master.cf {@code -o} overrides do).
     *
     * @param maxMessageSize     overrides smtp.max_message_size; null: inherit it
     * @param maxRecipients      overrides smtp.max_recipients; null: inherit it
     * @param greetPause         overrides smtp.greet_pause; null: inherit it
     * @param requireTls         MAIL before STARTTLS gets 530 5.7.0 (Postfix's smtpd_tls_security_level = encrypt)
     * @param dnsbl              whether the [[dnsbl]] lists are checked for clients of this listener
     * @param rateLimits         whether the [rate_limits] message and recipient buckets apply here
     * @param rejectNonFqdnHelo  HELO/EHLO must name a fully qualified domain or an address literal
     *                           (Postfix's reject_invalid_helo_hostname plus reject_non_fqdn_helo_hostname)
     * @param rejectUnknownHelo  a HELO/EHLO name (not an address literal) must have an A, AAAA or MX
     *                           record (Postfix's reject_unknown_helo_hostname); trusted networks are exempt
     */
    public record ListenerPolicy(Long maxMessageSize, Integer maxRecipients, Duration greetPause, boolean requireTls,
                                 boolean dnsbl, boolean rateLimits, boolean rejectNonFqdnHelo, boolean rejectUnknownHelo) {
        public static final ListenerPolicy INHERIT = new ListenerPolicy(null, null, null, false, true, true, false, false);

        /** Without the DNS check of the HELO name. */
        public ListenerPolicy(Long maxMessageSize, Integer maxRecipients, Duration greetPause, boolean requireTls,
                              boolean dnsbl, boolean rateLimits, boolean rejectNonFqdnHelo) {
            this(maxMessageSize, maxRecipients, greetPause, requireTls, dnsbl, rateLimits, rejectNonFqdnHelo, false);
        }

        public long maxMessageSize(Smtp smtp) {
            return maxMessageSize == null ? smtp.maxMessageSize() : maxMessageSize;
        }

        public int maxRecipients(Smtp smtp) {
            return maxRecipients == null ? smtp.maxRecipients() : maxRecipients;
        }

        public Duration greetPause(Smtp smtp) {
            return greetPause == null ? smtp.greetPause() : greetPause;
        }
    }

    /**
     * {@code MX}: port 25 style; mail for local domains from anyone, relay only from trusted
     * networks or authenticated users. {@code SUBMISSION}: port 587/465 style; AUTH is required
     * before MAIL.
     */
    public enum ListenerMode { MX, SUBMISSION }

    /** {@code NONE}: plaintext only; {@code STARTTLS}: offered after EHLO; {@code IMPLICIT}: TLS from the first byte (port 465). */
    public enum TlsMode { NONE, STARTTLS, IMPLICIT }

    /**
     * @param localDomains    domains whose mail this server accepts from anyone
     * @param trustedNetworks client networks that may relay anywhere without AUTH
     */
    public record Relay(List<String> localDomains, List<IpNetwork> trustedNetworks) {
        public Relay {
            localDomains = List.copyOf(localDomains);
            trustedNetworks = List.copyOf(trustedNetworks);
        }
    }

    /**
     * @param usersFile         the user database written by {@code petrel user}
     * @param maxFailuresPerIp  failed AUTH attempts from one IP within {@code failureWindow}
     *                          before further attempts are refused with 454 4.7.0
     * @param failureWindow     the window for counting failures
     * @param failureDelay      the pause before answering a failed attempt; it doubles with each
     *                          further failure from the same IP, up to 8 times this value
     */
    public record Auth(Path usersFile, int maxFailuresPerIp, Duration failureWindow, Duration failureDelay) {}

    /**
     * [queue]: when and how often undelivered mail is retried, and how many deliveries run at once.
     *
     * @param retryMin          the first retry delay after a temporary failure (Postfix: 5 minutes)
     * @param retryMax          the longest delay between tries; delays double from retryMin up to it
     * @param maxAge            a message still undelivered after this long is bounced (Postfix: 5 days)
     * @param delayWarning      send a "delayed" notice once a message has waited this long; zero: never
     * @param maxConnections    outbound SMTP connections at once, all destinations together
     * @param maxConnectionsPerDestination outbound connections at once to one destination (domain or relay)
     * @param connectionIdle    how long an idle outbound connection is kept for reuse; zero: no reuse
     * @param maxMessagesPerConnection messages sent over one outbound connection before it is closed
     */
    public record Queue(Duration retryMin, Duration retryMax, Duration maxAge, Duration delayWarning,
                        int maxConnections, int maxConnectionsPerDestination, Duration connectionIdle,
                        int maxMessagesPerConnection) {}

    /**
     * [delivery]: how mail leaves.
     *
     * @param enabled        false keeps every message in the queue (no delivery attempts at all)
     * @param resolver       the DNS server for MX and address lookups as host:port, or null for the system's
     * @param heloName       the name sent in EHLO; defaults to server.hostname
     * @param connectTimeout TCP connect timeout per address
     * @param commandTimeout the wait for each reply (RFC 5321 4.5.3.2: 5 minutes)
     * @param dataTimeout    the wait for the reply after the final dot (RFC 5321: 10 minutes)
     * @param tls            STARTTLS toward MX hosts: opportunistic by default
     * @param routes         per-domain static routes (like Postfix's transport map), first match wins
     * @param smarthost      when set, every non-local recipient without a static route goes there
     * @param ipv6           also connect to IPv6 addresses of MX hosts
     * @param mtaSts         apply MTA-STS policies (RFC 8461) of recipient domains to MX delivery
     * @param caFile         PEM file of the certificates (CAs) trusted for verified TLS and the MTA-STS
     *                       policy fetch, instead of the JDK's trust store; null: the JDK's
     */
    public record Delivery(boolean enabled, InetSocketAddress resolver, String heloName, Duration connectTimeout,
                           Duration commandTimeout, Duration dataTimeout, OutboundTls tls, List<Route> routes,
                           Route smarthost, boolean ipv6, boolean mtaSts, Path caFile) {
        public Delivery {
            routes = List.copyOf(routes);
        }

        /** With MTA-STS on and the JDK's trust store, the defaults. */
        public Delivery(boolean enabled, InetSocketAddress resolver, String heloName, Duration connectTimeout,
                        Duration commandTimeout, Duration dataTimeout, OutboundTls tls, List<Route> routes,
                        Route smarthost, boolean ipv6) {
            this(enabled, resolver, heloName, connectTimeout, commandTimeout, dataTimeout, tls, routes, smarthost, ipv6, true, null);
        }
    }

    /**
     * A relay for some mail: a static route (domain → host:port) or the smarthost.
     *
     * @param domain   the recipient domain this route is for ("*" for the smarthost); a leading dot
     *                 (".example.com") also matches subdomains
     * @param host     host name or IP literal of the relay
     * @param port     its port
     * @param mx       true: look up the MX records of {@code host} (like Postfix without brackets);
     *                 false: connect to {@code host}'s address directly
     * @param tls      STARTTLS policy toward it
     * @param username AUTH user for the relay, or null
     * @param password AUTH password, or null; never logged
     */
    public record Route(String domain, String host, int port, boolean mx, OutboundTls tls, String username,
                        String password) {
        @Override
        public String toString() {
            return "Route[" + domain + " -> " + host + ":" + port + ", tls=" + tls
                    + (username == null ? "" : ", user=" + username) + "]";
        }
    }

    /** NONE: never STARTTLS. OPPORTUNISTIC: STARTTLS when offered, any certificate. REQUIRED: no TLS, no delivery (temporary failure). VERIFY: REQUIRED plus a valid certificate for the host name. */
    public enum OutboundTls { NONE, OPPORTUNISTIC, REQUIRED, VERIFY }

    /**
     * [local]: delivery for local domains (relay.local_domains).
     *
     * @param maildirRoot where mailboxes live: {@code <maildirRoot>/<user>/} is a Maildir
     * @param users       local mailbox names; {@code postmaster} is always one
     * @param aliases     local part → local mailbox names it delivers to
     * @param catchAll    mailbox for unknown local parts, or null to refuse them with 550 5.1.1
     * @param lmtp        when set, local mail goes over LMTP to this address (e.g. Dovecot) instead
     *                    of Maildir, and any local part is accepted at RCPT unless {@code users} is non-empty
     */
    public record Local(Path maildirRoot, List<String> users, java.util.Map<String, List<String>> aliases,
                        String catchAll, InetSocketAddress lmtp) {
        public Local {
            users = List.copyOf(users);
            aliases = java.util.Map.copyOf(aliases);
        }
    }

    /**
     * [admin]: the local HTTP endpoint that {@code petrel queue} talks to. It listens on loopback
     * only and requires the token in {@code <data_dir>/admin.token}.
     *
     * @param address where it listens; port 0 picks a free port, written to {@code <data_dir>/admin.address}
     */
    public record Admin(InetSocketAddress address) {}

    /**
     * Envelope policy beyond relay control: sender identity, limits, rate limits and DNS block lists.
     */
    public record Policy(Senders senders, Limits limits, RateLimits rates, List<Dnsbl> dnsbls) {
        public static final Policy DEFAULTS = new Policy(
                new Senders(java.util.Map.of(), true, true),
                new Limits(64 * 1024, 20, 1000, 0, 60, true),
                new RateLimits(Rate.NONE, Rate.NONE, Rate.NONE, Rate.NONE, 10, Duration.ofMinutes(15)),
                List.of());

        public Policy {
            dnsbls = List.copyOf(dnsbls);
        }
    }

    /**
     * [senders]: which addresses an authenticated user may send as (like Postfix's
     * smtpd_sender_login_maps with reject_sender_login_mismatch).
     *
     * @param allowed          user → patterns: a full address {@code alice@example.com}, a whole
     *                         domain {@code @example.com}, or {@code *} for any address. A user
     *                         without an entry may use their user name when it is an address, else
     *                         {@code <user>@<each local domain>}.
     * @param checkFromHeader  also require the {@code From:} header address(es) to be allowed (end of DATA)
     * @param refuseLocalSenderFromOutside unauthenticated mail on an mx listener whose envelope
     *                         sender is in a local domain is refused unless it comes from a trusted network
     */
    public record Senders(java.util.Map<String, List<String>> allowed, boolean checkFromHeader,
                          boolean refuseLocalSenderFromOutside) {
        public Senders {
            allowed = java.util.Map.copyOf(allowed);
        }
    }

    /**
     * [limits]: bounds on what one client may make the server do.
     *
     * @param maxHeaderSize              octets of the header section of a message (552 5.3.4 beyond)
     * @param maxMimeDepth               nesting of multipart parts (554 5.6.0 beyond)
     * @param maxCommandsPerSession      commands in one session before 421 4.7.0
     * @param minDataRate                octets per second below which a DATA/BDAT transfer is cut
     *                                   off with 421 4.4.2 (checked after the first 30 seconds, and
     *                                   only while the server is busy); 0: off
     * @param maxNewConnectionsPerIpPerMinute new connections from one IP per minute (421 4.7.0 beyond); 0: off
     * @param forbidUnauthPipelining     like Postfix's smtpd_forbid_unauth_pipelining: a client that
     *                                   is not authenticated and sends commands where it must wait
     *                                   for a reply (before the greeting, after HELO, around DATA)
     *                                   is disconnected with 554 5.5.0
     * @param busyConnections            open SMTP connections from which the server counts as busy
     *                                   and min_data_rate applies; 0: always; {@link #BUSY_DEFAULT}:
     *                                   80% of server.max_connections
     */
    public record Limits(int maxHeaderSize, int maxMimeDepth, int maxCommandsPerSession, int minDataRate,
                         int maxNewConnectionsPerIpPerMinute, boolean forbidUnauthPipelining, int busyConnections) {
        /** busy_connections not set: 80% of server.max_connections. */
        public static final int BUSY_DEFAULT = -1;

        public Limits(int maxHeaderSize, int maxMimeDepth, int maxCommandsPerSession, int minDataRate,
                      int maxNewConnectionsPerIpPerMinute, boolean forbidUnauthPipelining) {
            this(maxHeaderSize, maxMimeDepth, maxCommandsPerSession, minDataRate, maxNewConnectionsPerIpPerMinute,
                    forbidUnauthPipelining, BUSY_DEFAULT);
        }

        /** The open-connection count from which min_data_rate applies, given server.max_connections. */
        public int busyFrom(int maxConnections) {
            return busyConnections == BUSY_DEFAULT ? Math.max(1, maxConnections * 8 / 10) : busyConnections;
        }
    }

    /**
     * [rate_limits]: token buckets. Exceeding one gets 450 4.7.1 with a hint when to retry.
     *
     * @param authFailuresPerUser failed AUTH attempts for one user name within {@code authFailureWindow}
     *                            before that user is locked out (454 4.7.0) whatever the client IP
     */
    public record RateLimits(Rate messagesPerUser, Rate recipientsPerUser, Rate messagesPerIp, Rate recipientsPerIp,
                             int authFailuresPerUser, Duration authFailureWindow) {}

    /** {@code count} per {@code window}; count 0 means unlimited. */
    public record Rate(int count, Duration window) {
        public static final Rate NONE = new Rate(0, Duration.ofMinutes(1));

        public boolean unlimited() {
            return count == 0;
        }
    }

    /**
     * One DNS block list ([[dnsbl]]).
     *
     * @param zone   e.g. {@code zen.spamhaus.org}; the client's reversed IP is looked up under it
     * @param stage  CONNECT: refuse at the greeting with 554; RCPT: refuse each RCPT with 554 5.7.1
     * @param reply  the reply text; {@code $ip} and {@code $zone} are replaced
     * @param codes  A-record answers that count as listed (e.g. 127.0.0.2); empty: any answer
     * @param action what a listing does: refuse (554) or quarantine the client's messages
     */
    public record Dnsbl(String zone, DnsblStage stage, String reply, List<String> codes, DnsblAction action) {
        public Dnsbl {
            codes = List.copyOf(codes);
        }

        /** A list that refuses listed clients. */
        public Dnsbl(String zone, DnsblStage stage, String reply, List<String> codes) {
            this(zone, stage, reply, codes, DnsblAction.REJECT);
        }
    }

    public enum DnsblStage { CONNECT, RCPT }

    /**
     * [mail_auth] and [[dkim]]: SPF, DKIM, DMARC and ARC on inbound mail; DKIM signing on outbound.
     *
     * @param verify      check inbound mail (mx listeners; clients neither authenticated nor in
     *                    relay.trusted_networks) and add an Authentication-Results header
     * @param authservId  the authserv-id of that header; null: server.hostname
     * @param dmarcAction what a DMARC failure does to the message
     * @param signingKeys DKIM keys; mail from authenticated users and trusted networks is signed
     *                    with every key of its From: domain
     * @param arcSealKey  the [[dkim]] key (an RSA one) that ARC-seals mail we forward: mail from our
     *                    users or networks that carries our own Authentication-Results field; null: no sealing
     * @param trustedArcSealers ARC-Seal d= domains (lower case) whose recorded dmarc=pass overrides a
     *                    DMARC failure of mail they forwarded (RFC 8617 7.2); empty: none
     */
    public record MailAuth(boolean verify, String authservId, DmarcAction dmarcAction, List<DkimKey> signingKeys,
                           DkimKey arcSealKey, List<String> trustedArcSealers) {
        public static final MailAuth DEFAULTS = new MailAuth(true, null, DmarcAction.POLICY, List.of(), null, List.of());

        public MailAuth {
            Objects.requireNonNull(dmarcAction, "dmarcAction");
            signingKeys = List.copyOf(signingKeys);
            trustedArcSealers = List.copyOf(trustedArcSealers);
        }

        /** Settings that trust no ARC sealer. */
        public MailAuth(boolean verify, String authservId, DmarcAction dmarcAction, List<DkimKey> signingKeys, DkimKey arcSealKey) {
            this(verify, authservId, dmarcAction, signingKeys, arcSealKey, List.of());
        }

        /** Settings without ARC sealing. */
        public MailAuth(boolean verify, String authservId, DmarcAction dmarcAction, List<DkimKey> signingKeys) {
            this(verify, authservId, dmarcAction, signingKeys, null);
        }

        /** These settings with verification turned on or off. */
        public MailAuth withVerify(boolean on) {
            return new MailAuth(on, authservId, dmarcAction, signingKeys, arcSealKey, trustedArcSealers);
        }
    }

    /**
     * [capture]: deliver mail into the test inbox instead of sending it (like Mailpit, inside the MTA).
     *
     * @param enabled     whether capture is on
     * @param domains     recipient domains captured: "*" for all, "example.com", or ".example.com"
     *                    for it and its subdomains; other recipients are delivered as usual
     * @param address     where the web UI and the HTTP API listen
     * @param maxMessages the most messages kept (oldest go first); 0: no limit
     * @param maxAge      messages older than this go; zero: no limit
     * @param inboxBy     how a message's inbox is chosen, first rule that gives a name wins:
     *                    "header:Name" (that header's value), "tag" (the recipient's +tag),
     *                    "user" (the SMTP AUTH user); none: the inbox "default"
     * @param usersOnly   the UI and API ask for HTTP Basic credentials of a Petrel user (the SMTP AUTH
     *                    users); false: open to whoever can connect
     * @param tls         the UI and API are served over HTTPS with the server's certificate ([tls])
     */
    public record Capture(boolean enabled, List<String> domains, InetSocketAddress address, long maxMessages,
                          Duration maxAge, List<String> inboxBy, boolean usersOnly, boolean tls) {
        public static final List<String> DEFAULT_INBOX_BY = List.of("header:X-Petrel-Inbox", "tag", "user");
        public static final Capture OFF = new Capture(false, List.of("*"),
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 8025), 10_000, Duration.ofDays(7), DEFAULT_INBOX_BY);

        public Capture {
            domains = List.copyOf(domains);
            inboxBy = List.copyOf(inboxBy);
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(maxAge, "maxAge");
        }

        /** Open, plain HTTP: for an inbox on loopback. */
        public Capture(boolean enabled, List<String> domains, InetSocketAddress address, long maxMessages, Duration maxAge,
                       List<String> inboxBy) {
            this(enabled, domains, address, maxMessages, maxAge, inboxBy, false, false);
        }

        /** Whether mail to {@code domain} (lower case) is captured. */
        public boolean captures(String domain) {
            if (!enabled) return false;
            for (String d : domains) {
                if (d.equals("*") || d.equals(domain) || (d.startsWith(".") && (domain.endsWith(d) || domain.equals(d.substring(1))))) {
                    return true;
                }
            }
            return false;
        }

        public Capture withEnabled(boolean on) {
            return new Capture(on, domains, address, maxMessages, maxAge, inboxBy, usersOnly, tls);
        }
    }

    /**
     * POLICY: do what the domain's DMARC record asks (p=reject: 550 5.7.1; p=quarantine: accept
     * and hold). QUARANTINE: at most hold, never refuse. NONE: only record the result.
     */
    public enum DmarcAction { POLICY, QUARANTINE, NONE }

    /**
     * One DKIM signing key ([[dkim]]).
     *
     * @param domain     the d= domain; mail whose From: address is in exactly this domain is signed
     * @param selector   the s= selector: the key is published at {@code <selector>._domainkey.<domain>}
     * @param privateKey a PKCS#8 PEM file (RSA or Ed25519), as {@code petrel dkim keygen} writes it
     */
    public record DkimKey(String domain, String selector, Path privateKey) {}

    /** REJECT: 554 5.7.1 with the reply. QUARANTINE: accept, but hold the client's messages in the queue for review. */
    public enum DnsblAction { REJECT, QUARANTINE }
}
