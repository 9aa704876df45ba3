package dev.petrel.mailauth.spf;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * One SPF check: check_host() of RFC 7208 sections 4 to 6 for one client address and sender,
 * with its counters (DNS-querying terms, void lookups) and its deadline. Used once, by one thread,
 * then dropped: {@link SpfVerifier} makes a new one for every check, so checks share nothing.
 *
 * <p>Where the RFC leaves room: a void lookup (NXDOMAIN or an empty answer) is counted once per
 * term, for the lookup the term is about (the address lookup of {@code a}, the MX lookup of
 * {@code mx}, the PTR lookup of {@code ptr}, the A lookup of {@code exists}), not for the address
 * lookups of MX or PTR names, which have their own limit of 10. A target name that no DNS query
 * can be made for (empty label, label over 63) is treated as non-existent without a query.
 */
final class SpfEvaluation {
    /** Section 4.6.4: at most this many include, a, mx, ptr, exists and redirect terms per check. */
    static final int MAX_DNS_TERMS = 10;
    /** Section 4.6.4: at most this many void lookups per check (the RFC's recommended default). */
    static final int MAX_VOID_LOOKUPS = 2;
    /** Section 4.6.4: an mx term with more MX names than this is a permerror. */
    static final int MAX_MX_NAMES = 10;
    /** Section 4.6.4: only the first this many PTR names are looked at (ptr and %{p}). */
    static final int MAX_PTR_NAMES = 10;

    /** What one check_host() call produced; {@code why} tells why it is {@code none}. */
    record Outcome(SpfResult.Kind kind, String explanation, String why) {
        static Outcome none(String why) {
            return new Outcome(SpfResult.Kind.NONE, null, why);
        }
    }

    private final Resolver dns;
    private final Clock clock;
    private final Instant deadline;
    private final Duration timeLimit;
    private final InetAddress ip;
    private final boolean ipv4;
    private final String sender;
    private final String localPart;
    private final String senderDomain;
    private final String helo;
    private final String receivingHost;

    private int dnsTerms;
    private int voidLookups;
    private List<String> validatedNames; // for %{p}, found once per check

    SpfEvaluation(Resolver dns, Clock clock, Duration timeLimit, InetAddress ip, String localPart, String senderDomain,
                  String helo, String receivingHost) {
        this.dns = dns;
        this.clock = clock;
        this.timeLimit = timeLimit;
        this.deadline = clock.instant().plus(timeLimit);
        this.ip = IpAddresses.normalize(ip);
        this.ipv4 = this.ip instanceof Inet4Address;
        this.localPart = localPart;
        this.senderDomain = senderDomain;
        this.sender = localPart + "@" + senderDomain;
        this.helo = helo;
        this.receivingHost = receivingHost;
    }

    /** check_host() for the identity's domain; never throws for anything DNS or a record can do. */
    SpfResult run(String identity, String domain) {
        try {
            Outcome outcome = checkHost(domain, true);
            return new SpfResult(outcome.kind(), identity, domain, outcome.explanation(), null);
        } catch (SpfAbort abort) {
            return new SpfResult(abort.kind(), identity, domain, null, abort.getMessage());
        }
    }

    // ---- sections 4.3 to 4.7: check_host() ----

    private Outcome checkHost(String domain, boolean wantExplanation) {
        String name = DomainNames.toAscii(DomainNames.withoutTrailingDot(domain));
        if (name == null || !DomainNames.isValidDomain(name)) {
            return Outcome.none("'" + domain + "' is not a valid domain name");
        }
        List<String> txt = switch (query(() -> dns.txt(name))) {
            case DnsResult.Found<String> found -> found.records();
            case DnsResult.NxDomain<String> nx -> List.of();
            case DnsResult.NoData<String> nodata -> List.of();
            case DnsResult.TempFail<String> fail -> throw SpfAbort.temperror(lookupFailed("TXT", name, fail));
        };
        List<String> spf = txt.stream().filter(SpfRecordParser::isSpfRecord).toList();
        if (spf.isEmpty()) return Outcome.none("no SPF record at " + name);
        if (spf.size() > 1) {
            throw SpfAbort.permerror(name + " has " + spf.size() + " SPF records; there must be only one (RFC 7208 4.5)");
        }
        SpfRecord record;
        try {
            record = SpfRecordParser.parse(spf.getFirst());
        } catch (SpfSyntaxException e) {
            throw SpfAbort.permerror("SPF record of " + name + ": " + e.getMessage());
        }
        return evaluate(record, name, wantExplanation);
    }

    private Outcome evaluate(SpfRecord record, String domain, boolean wantExplanation) {
        for (Directive directive : record.directives()) {
            if (matches(directive, domain)) {
                SpfResult.Kind kind = directive.qualifier().result();
                String explanation = kind == SpfResult.Kind.FAIL && wantExplanation ? explanation(record, domain) : null;
                return new Outcome(kind, explanation, null);
            }
        }
        // Section 6.1: redirect applies only when nothing matched (an "all" would have matched).
        if (record.redirect() != null) {
            String term = "redirect=" + record.redirect();
            countDnsTerm(term);
            String target = expandDomain(record.redirect(), domain);
            Outcome outcome = checkHost(target, wantExplanation); // the redirect target's exp= replaces ours
            if (outcome.kind() == SpfResult.Kind.NONE) {
                throw SpfAbort.permerror(term + " at " + domain + ": " + outcome.why());
            }
            return outcome;
        }
        return new Outcome(SpfResult.Kind.NEUTRAL, null, null);
    }

    // ---- section 5: mechanisms ----

    private boolean matches(Directive directive, String domain) {
        Mechanism mechanism = directive.mechanism();
        if (mechanism.queriesDns()) countDnsTerm(directive.text());
        return switch (mechanism) {
            case Mechanism.All all -> true;
            case Mechanism.Ip4 ip4 -> ipv4 && ip4.network().contains(ip);
            case Mechanism.Ip6 ip6 -> !ipv4 && ip6.network().contains(ip);
            case Mechanism.Include include -> include(directive, domain, include);
            case Mechanism.A a -> {
                String target = targetName(a.target(), domain);
                int prefix = ipv4 ? a.ip4Prefix() : a.ip6Prefix();
                yield addresses(target, true, directive.text()).stream().anyMatch(address -> samePrefix(address, prefix));
            }
            case Mechanism.Mx mx -> mx(directive, targetName(mx.target(), domain), ipv4 ? mx.ip4Prefix() : mx.ip6Prefix());
            case Mechanism.Ptr ptr -> ptr(directive, targetName(ptr.target(), domain));
            case Mechanism.Exists exists -> exists(directive, targetName(exists.target(), domain));
        };
    }

    /** Section 5.2: pass matches; fail, softfail, neutral do not; errors and none end the check. */
    private boolean include(Directive directive, String domain, Mechanism.Include include) {
        String target = expandDomain(include.target(), domain);
        Outcome outcome = checkHost(target, false); // an included record's exp= is never used (6.2)
        return switch (outcome.kind()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case NONE -> throw SpfAbort.permerror("'" + directive.text() + "' at " + domain + ": " + outcome.why());
            // checkHost() throws these rather than returning them; kept for an exhaustive switch.
            case TEMPERROR -> throw SpfAbort.temperror("'" + directive.text() + "' at " + domain + " failed");
            case PERMERROR -> throw SpfAbort.permerror("'" + directive.text() + "' at " + domain + " failed");
        };
    }

    /** Section 5.4: the addresses of at most 10 MX hosts; no implicit MX. */
    private boolean mx(Directive directive, String target, int prefix) {
        if (!DomainNames.isQueryable(target)) return false;
        List<MxRecord> hosts = switch (query(() -> dns.mx(target))) {
            case DnsResult.Found<MxRecord> found -> found.records();
            case DnsResult.NxDomain<MxRecord> nx -> {
                voidLookup(directive.text(), target);
                yield List.of();
            }
            case DnsResult.NoData<MxRecord> nodata -> {
                voidLookup(directive.text(), target);
                yield List.of();
            }
            case DnsResult.TempFail<MxRecord> fail -> throw SpfAbort.temperror("'" + directive.text() + "': "
                    + lookupFailed("MX", target, fail));
        };
        if (hosts.size() > MAX_MX_NAMES) {
            throw SpfAbort.permerror("'" + directive.text() + "': " + target + " has " + hosts.size()
                    + " MX records; at most " + MAX_MX_NAMES + " may be looked up (RFC 7208 4.6.4)");
        }
        List<MxRecord> ordered = hosts.stream().sorted(Comparator.comparingInt(MxRecord::preference)).toList();
        for (MxRecord host : ordered) {
            if (host.isNullMx()) continue; // RFC 7505 "no mail": no addresses to compare
            for (InetAddress address : addresses(host.exchange(), false, directive.text())) {
                if (samePrefix(address, prefix)) return true;
            }
        }
        return false;
    }

    /**
     * Section 5.5: a validated PTR name at or below the target. DNS errors here make the
     * mechanism not match (the RFC's words), rather than temperror.
     */
    private boolean ptr(Directive directive, String target) {
        if (!DomainNames.isQueryable(target)) return false;
        DnsResult<String> names = query(() -> dns.ptr(ip));
        if (names instanceof DnsResult.NxDomain<String> || names instanceof DnsResult.NoData<String>) {
            voidLookup(directive.text(), "the PTR of " + IpAddresses.readable(ip));
            return false;
        }
        for (String name : firstPtrNames(names)) {
            // Only names that could match need validating: fewer lookups, same answer.
            if (DomainNames.isSameOrSubdomain(name, target) && isValidated(name)) return true;
        }
        return false;
    }

    /** Section 5.7: any A record, whatever the client's family. */
    private boolean exists(Directive directive, String target) {
        if (!DomainNames.isQueryable(target)) return false;
        return switch (query(() -> dns.a(target))) {
            case DnsResult.Found<InetAddress> found -> true;
            case DnsResult.NxDomain<InetAddress> nx -> voidLookup(directive.text(), target);
            case DnsResult.NoData<InetAddress> nodata -> voidLookup(directive.text(), target);
            case DnsResult.TempFail<InetAddress> fail -> throw SpfAbort.temperror("'" + directive.text() + "': "
                    + lookupFailed("A", target, fail));
        };
    }

    /**
     * The A (IPv4 client) or AAAA (IPv6 client) addresses of {@code name}; a temporary failure
     * ends the check with temperror (section 5, except where noted).
     */
    private List<InetAddress> addresses(String name, boolean countVoid, String term) {
        if (!DomainNames.isQueryable(name)) return List.of();
        String type = ipv4 ? "A" : "AAAA";
        return switch (query(() -> ipv4 ? dns.a(name) : dns.aaaa(name))) {
            case DnsResult.Found<InetAddress> found -> found.records();
            case DnsResult.NxDomain<InetAddress> nx -> {
                if (countVoid) voidLookup(term, name);
                yield List.of();
            }
            case DnsResult.NoData<InetAddress> nodata -> {
                if (countVoid) voidLookup(term, name);
                yield List.of();
            }
            case DnsResult.TempFail<InetAddress> fail -> throw SpfAbort.temperror("'" + term + "': "
                    + lookupFailed(type, name, fail));
        };
    }

    private boolean samePrefix(InetAddress address, int prefix) {
        return IpAddresses.samePrefix(address.getAddress(), ip.getAddress(), prefix);
    }

    /** The first 10 PTR names of a PTR answer (section 4.6.4: the rest are ignored). */
    private static List<String> firstPtrNames(DnsResult<String> answer) {
        List<String> names = answer.recordsOrEmpty();
        return names.size() > MAX_PTR_NAMES ? names.subList(0, MAX_PTR_NAMES) : names;
    }

    /** Whether {@code name}'s addresses include the client; a failed lookup just skips the name. */
    private boolean isValidated(String name) {
        String host = DomainNames.withoutTrailingDot(name);
        if (!DomainNames.isQueryable(host)) return false;
        DnsResult<InetAddress> answer = query(() -> ipv4 ? dns.a(host) : dns.aaaa(host));
        return answer.recordsOrEmpty().stream().anyMatch(address -> samePrefix(address, ipv4 ? 32 : 128));
    }

    // ---- section 4.6.4: limits ----

    private void countDnsTerm(String term) {
        dnsTerms++;
        if (dnsTerms > MAX_DNS_TERMS) {
            throw SpfAbort.permerror("'" + term + "' is DNS-querying term number " + dnsTerms + "; at most "
                    + MAX_DNS_TERMS + " (include, a, mx, ptr, exists, redirect) are allowed (RFC 7208 4.6.4)");
        }
    }

    /**
     * Counts a void lookup (NXDOMAIN or no records); permerror past the limit.
     *
     * @return false, the match result of a term whose lookup was void
     */
    private boolean voidLookup(String term, String name) {
        voidLookups++;
        if (voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfAbort.permerror("'" + term + "': " + name + " does not exist or has no records; that is void lookup "
                    + voidLookups + ", and at most " + MAX_VOID_LOOKUPS + " are allowed (RFC 7208 4.6.4)");
        }
        return false;
    }

    /**
     * "TYPE lookup of NAME failed: REASON", or the resolver's reason alone when it already says
     * which lookup failed (as {@code DnsjavaResolver}'s do), so the problem does not repeat itself.
     */
    private static String lookupFailed(String type, String name, DnsResult.TempFail<?> fail) {
        String reason = fail.reason();
        return reason.startsWith(type + " lookup") ? reason : type + " lookup of " + name + " failed: " + reason;
    }

    /** Every DNS query goes through here, so that the overall time limit holds. */
    private <T> DnsResult<T> query(Supplier<DnsResult<T>> lookup) {
        checkDeadline();
        DnsResult<T> result = lookup.get();
        checkDeadline();
        return result;
    }

    private void checkDeadline() {
        if (!clock.instant().isBefore(deadline)) {
            throw SpfAbort.temperror("the SPF check took longer than its limit of " + timeLimit.toMillis() / 1000.0
                    + " s (RFC 7208 4.6.4)");
        }
    }

    // ---- section 6.2 and 7: explanations and macros ----

    /** The exp= text for a fail, or the default one when there is none or it cannot be used. */
    private String explanation(SpfRecord record, String domain) {
        if (record.explanation() != null) {
            try {
                String target = expandDomain(record.explanation(), domain);
                if (DomainNames.isQueryable(target)) {
                    // Not counted against either limit (section 4.6.4; exp is looked up after the result).
                    DnsResult<String> answer = query(() -> dns.txt(target));
                    if (answer instanceof DnsResult.Found<String> found && found.records().size() == 1) {
                        String text = MacroString.parseExplanation(found.records().getFirst()).expand(macroValues(domain));
                        if (text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) return text; // SMTP replies are ASCII
                    }
                }
            } catch (SpfSyntaxException | SpfAbort e) {
                // Section 6.2: any problem with the explanation means the default one.
            }
        }
        return defaultExplanation(domain);
    }

    /** Said when the record gives no usable explanation (section 6.2 lets the verifier choose). */
    private String defaultExplanation(String domain) {
        return domain + " does not designate " + IpAddresses.readable(ip) + " as a permitted sender";
    }

    /** The target of a mechanism: its expanded domain-spec, or the current domain when it has none. */
    private String targetName(MacroString spec, String domain) {
        return spec == null ? domain : expandDomain(spec, domain);
    }

    /** Section 7.3: expand, drop a trailing dot, and shorten from the left to 253 characters. */
    private String expandDomain(MacroString spec, String domain) {
        return DomainNames.truncateLeft(DomainNames.withoutTrailingDot(spec.expand(macroValues(domain))));
    }

    private MacroString.Values macroValues(String domain) {
        return letter -> switch (letter) {
            case 's' -> sender;
            case 'l' -> localPart;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> IpAddresses.dotted(ip);
            case 'p' -> validatedName(domain);
            case 'v' -> ipv4 ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> IpAddresses.readable(ip);
            case 'r' -> receivingHost;
            case 't' -> Long.toString(clock.instant().getEpochSecond());
            default -> throw new IllegalStateException("letter " + letter + " passed MacroString's checks");
        };
    }

    /**
     * Section 7.3 {@code %{p}}: the validated name equal to {@code domain}, else one below it, else
     * any; "unknown" when none validates or DNS fails.
     */
    private String validatedName(String domain) {
        if (validatedNames == null) {
            List<String> found = new ArrayList<>();
            DnsResult<String> names = query(() -> dns.ptr(ip));
            for (String name : firstPtrNames(names)) {
                if (isValidated(name)) found.add(DomainNames.withoutTrailingDot(name));
            }
            validatedNames = List.copyOf(found);
        }
        return validatedNames.stream().filter(n -> n.equalsIgnoreCase(domain)).findFirst()
                .or(() -> validatedNames.stream().filter(n -> DomainNames.isSameOrSubdomain(n, domain)).findFirst())
                .or(() -> validatedNames.stream().findFirst())
                .orElse("unknown");
    }
}
