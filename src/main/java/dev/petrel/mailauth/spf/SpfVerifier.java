package dev.petrel.mailauth.spf;

import dev.petrel.dns.Resolver;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks SPF (RFC 7208) for the MAIL FROM and HELO identities of an SMTP session.
 *
 * <pre>
 * SpfVerifier spf = new SpfVerifier(resolver);
 * SpfResult r = spf.checkMailFrom(clientIp, "alice@example.com", "mail.example.com");
 * switch (r.kind()) { case PASS -&gt; ...; case FAIL -&gt; reject(r.explanation()); ... }
 * </pre>
 *
 * <p>Immutable and thread-safe: each check has its own counters and deadline, and shares nothing
 * with other checks. A check never throws for DNS trouble or a broken record; those are
 * {@code temperror} and {@code permerror} results with a {@code problem} saying what happened.
 * It blocks the calling (virtual) thread for its DNS queries, at most about the time limit.
 */
public final class SpfVerifier {
    /** The overall limit of one check (section 4.6.4 asks for at least 20 seconds). */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);

    private final Resolver dns;
    private final Clock clock;
    private final Duration timeLimit;
    private final String receivingHost;

    /** A verifier with a 20-second limit per check and "unknown" as its own name ({@code %{r}}). */
    public SpfVerifier(Resolver dns) {
        this(dns, Clock.systemUTC(), DEFAULT_TIME_LIMIT, "unknown");
    }

    /**
     * @param dns           where every lookup goes
     * @param clock         for the time limit and the {@code %{t}} macro
     * @param timeLimit     how long one check may take before it is {@code temperror}
     * @param receivingHost this host's name, for the {@code %{r}} macro in explanations
     */
    public SpfVerifier(Resolver dns, Clock clock, Duration timeLimit, String receivingHost) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        this.receivingHost = Objects.requireNonNull(receivingHost, "receivingHost");
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new IllegalArgumentException("timeLimit must be positive");
    }

    /**
     * The MAIL FROM identity (section 2.4). A null reverse-path ({@code ""} or {@code "<>"}) checks
     * {@code postmaster@helo} instead; an address without a local part ({@code @example.com}, or a
     * bare {@code example.com}) gets {@code postmaster} (section 4.3). Angle brackets around the
     * address are allowed; the domain is whatever follows the last {@code @}.
     *
     * @param ip       the SMTP client's address (IPv4-mapped IPv6 addresses count as IPv4)
     * @param mailFrom the reverse-path as received, without parameters
     * @param helo     the HELO/EHLO name, for the null reverse-path and the {@code %{h}} macro
     */
    public SpfResult checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        Objects.requireNonNull(ip, "ip");
        String heloName = helo == null ? "" : helo.strip();
        String path = mailFrom == null ? "" : mailFrom.strip();
        if (path.startsWith("<") && path.endsWith(">")) path = path.substring(1, path.length() - 1);
        String localPart;
        String domain;
        if (path.isEmpty()) {
            localPart = "postmaster";
            domain = heloName;
        } else {
            int at = path.lastIndexOf('@');
            localPart = at <= 0 ? "postmaster" : path.substring(0, at);
            domain = at < 0 ? path : path.substring(at + 1);
        }
        return check("mailfrom", ip, localPart, domain, heloName);
    }

    /**
     * The HELO identity (section 2.3): the HELO/EHLO name, with sender {@code postmaster@helo}.
     * An address literal or a name that is not fully qualified gives {@code none}.
     */
    public SpfResult checkHelo(InetAddress ip, String helo) {
        Objects.requireNonNull(ip, "ip");
        String heloName = helo == null ? "" : helo.strip();
        return check("helo", ip, "postmaster", heloName, heloName);
    }

    private SpfResult check(String identity, InetAddress ip, String localPart, String domain, String helo) {
        String name = DomainNames.withoutTrailingDot(domain);
        if (name.isEmpty()) return new SpfResult(SpfResult.Kind.NONE, identity, null, null, null);
        return new SpfEvaluation(dns, clock, timeLimit, ip, localPart, name, helo, receivingHost).run(identity, name);
    }
}
