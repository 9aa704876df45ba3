package dev.petrel.delivery;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import dev.petrel.message.IpLiteral;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link TargetResolver} over DNS, following RFC 5321 section 5.1:
 * <ol>
 * <li>MX records sorted by preference, shuffled among equal preferences (the {@link Random} is
 *     injectable so tests are deterministic); at most {@value #MAX_MX_HOSTS} hosts.</li>
 * <li>No MX records (NODATA): the domain itself is the only host (implicit MX).</li>
 * <li>A lone MX of "." is a null MX (RFC 7505): permanent 5.1.10.</li>
 * <li>Each host's A addresses, then its AAAA addresses when IPv6 is on (IPv4 first within a host,
 *     host order preserved: simple and predictable; happy-eyeballs can come later). Duplicate
 *     addresses keep their first place; at most {@value #MAX_TARGETS} targets.</li>
 * <li>A host that fails temporarily, has no address, or is an IP literal (not allowed in MX) is
 *     skipped when another host has addresses, as Postfix does.</li>
 * </ol>
 * Outcomes: NXDOMAIN → 5.1.2; no MX and no address → 5.1.2; MX hosts without any address →
 * 5.4.4; a temporary DNS failure that leaves no target → 4.4.3.
 *
 * <p>For a relay ({@code mx == false}) the host may be an IP literal ({@code 192.0.2.1},
 * {@code [192.0.2.1]}, {@code ::1}), used as is and regardless of the IPv6 switch (it is explicit
 * configuration); otherwise its A/AAAA records. A relay whose name has no address is a temporary
 * failure (4.4.4): it is our configuration, and mail should wait for the fix rather than bounce.
 *
 * <p>Not done here: skipping our own addresses ({@link LoopGuard}), MTA-STS filtering (the SMTP
 * transport applies {@code delivery.mtasts} policies to these targets), DANE.
 * Thread-safe when the {@link Resolver} is ({@link Random} is).
 */
public final class MxResolver implements TargetResolver {
    static final int MAX_MX_HOSTS = 10;
    static final int MAX_TARGETS = 20;

    private final Resolver dns;
    private final boolean ipv6;
    private final Random random;

    public MxResolver(Resolver dns, boolean ipv6) {
        this(dns, ipv6, new Random());
    }

    public MxResolver(Resolver dns, boolean ipv6, Random random) {
        this.dns = dns;
        this.ipv6 = ipv6;
        this.random = random;
    }

    @Override
    public Resolution resolve(String host, int port, boolean mx) {
        // A relay's IP, or a recipient domain that is an address literal (user@[192.0.2.1]).
        InetAddress literal = mx && !host.startsWith("[") ? null : literal(host);
        if (literal != null) {
            return new Resolution.Targets(List.of(new Target(literal.getHostAddress(), literal, port)));
        }
        return mx ? resolveMx(host, port) : resolveRelay(host, port);
    }

    private Resolution resolveRelay(String host, int port) {
        Addresses a = addresses(host);
        if (!a.list.isEmpty()) return new Resolution.Targets(targets(host, a.list, port, new LinkedHashSet<>()));
        if (a.tempfail != null) return new Resolution.Temporary("4.4.3", a.tempfail);
        return new Resolution.Temporary("4.4.4", "relay host " + host + " has no "
                + (ipv6 ? "A or AAAA" : "A") + " record" + (a.nxdomain ? " (NXDOMAIN)" : "") + "; check the relay setting");
    }

    private Resolution resolveMx(String domain, int port) {
        List<String> hosts;
        boolean implicit = false;
        switch (dns.mx(domain)) {
            case DnsResult.NxDomain<MxRecord> nx -> {
                return new Resolution.Permanent("5.1.2", "domain " + domain + " does not exist (NXDOMAIN)");
            }
            case DnsResult.TempFail<MxRecord> fail -> {
                return new Resolution.Temporary("4.4.3", fail.reason());
            }
            case DnsResult.NoData<MxRecord> nodata -> {
                hosts = List.of(domain);
                implicit = true;
            }
            case DnsResult.Found<MxRecord> found -> {
                if (found.records().size() == 1 && found.records().get(0).isNullMx()) {
                    return new Resolution.Permanent("5.1.10", "domain " + domain + " does not accept mail (null MX)");
                }
                hosts = order(found.records());
            }
        }

        Set<InetAddress> seen = new LinkedHashSet<>();
        List<Target> targets = new ArrayList<>();
        String tempfail = null;
        boolean nxdomain = false;
        for (String host : hosts) {
            if (targets.size() >= MAX_TARGETS) break;
            if (literal(host) != null) continue; // RFC 5321 5.1: an MX must name a host, not an address
            Addresses a = addresses(host);
            if (a.tempfail != null && tempfail == null) tempfail = a.tempfail;
            nxdomain |= a.nxdomain;
            targets.addAll(targets(host, a.list, port, seen));
        }
        if (targets.size() > MAX_TARGETS) targets = targets.subList(0, MAX_TARGETS);
        if (!targets.isEmpty()) return new Resolution.Targets(targets);
        if (tempfail != null) return new Resolution.Temporary("4.4.3", tempfail);
        if (implicit) {
            return new Resolution.Permanent("5.1.2", "domain " + domain + " has no MX and no address record"
                    + (nxdomain ? " (NXDOMAIN)" : ""));
        }
        return new Resolution.Permanent("5.4.4", "no MX host of " + domain + " has an address: " + String.join(", ", hosts));
    }

    /** Preference order, shuffled within each preference, names deduplicated, "." dropped, capped. */
    private List<String> order(List<MxRecord> records) {
        TreeMap<Integer, List<String>> byPreference = new TreeMap<>();
        for (MxRecord r : records) {
            if (!r.isNullMx()) byPreference.computeIfAbsent(r.preference(), p -> new ArrayList<>()).add(r.exchange());
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (List<String> equal : byPreference.values()) {
            Collections.shuffle(equal, random);
            hosts.addAll(equal);
        }
        return hosts.stream().limit(MAX_MX_HOSTS).toList();
    }

    /** One host's addresses; {@code tempfail} set when a lookup failed and nothing was found. */
    private record Addresses(List<InetAddress> list, String tempfail, boolean nxdomain) {}

    private Addresses addresses(String host) {
        List<InetAddress> list = new ArrayList<>();
        String tempfail = null;
        boolean nxdomain = false;
        List<DnsResult<InetAddress>> results = new ArrayList<>();
        results.add(dns.a(host));
        // Skip AAAA after NXDOMAIN for A: the name does not exist whatever the type.
        if (ipv6 && !(results.get(0) instanceof DnsResult.NxDomain<InetAddress>)) results.add(dns.aaaa(host));
        for (DnsResult<InetAddress> r : results) {
            switch (r) {
                case DnsResult.Found<InetAddress> found -> list.addAll(found.records());
                case DnsResult.TempFail<InetAddress> fail -> tempfail = tempfail == null ? fail.reason() : tempfail;
                case DnsResult.NxDomain<InetAddress> nx -> nxdomain = true;
                case DnsResult.NoData<InetAddress> nodata -> { }
            }
        }
        return new Addresses(list, list.isEmpty() ? tempfail : null, nxdomain);
    }

    private static List<Target> targets(String host, List<InetAddress> addresses, int port, Set<InetAddress> seen) {
        List<Target> out = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (seen.add(address)) out.add(new Target(host, address, port));
        }
        return out;
    }

    /** The address when {@code host} is an IP literal ("192.0.2.1", "[192.0.2.1]", "[IPv6:2001:db8::1]", "::1"). */
    private static InetAddress literal(String host) {
        String s = host;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            if (s.toLowerCase(Locale.ROOT).startsWith("ipv6:")) s = s.substring(5);
        }
        try {
            return IpLiteral.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
