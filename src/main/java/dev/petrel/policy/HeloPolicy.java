package dev.petrel.policy;

import dev.petrel.dns.DnsResult;
import dev.petrel.dns.Resolver;
import dev.petrel.message.IpLiteral;

import java.util.regex.Pattern;

/**
 * The HELO stage: with [[listener]] reject_non_fqdn_helo, the name a client gives must be a fully
 * qualified domain name or an address literal, as RFC 5321 4.1.1.1 asks. Bots often send a bare
 * word, an IP without brackets or their own IP's PTR-less name. Replies follow Postfix's
 * reject_invalid_helo_hostname (501 5.5.2) and reject_non_fqdn_helo_hostname (504 5.5.2).
 */
public final class HeloPolicy {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern TLD = Pattern.compile(".*[A-Za-z].*");

    private HeloPolicy() {}

    public static Verdict check(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            String inner = name.substring(1, name.length() - 1);
            if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) inner = inner.substring(5);
            try {
                IpLiteral.parse(inner);
                return Verdict.ACCEPT;
            } catch (IllegalArgumentException e) {
                return invalid(name);
            }
        }
        String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (host.isEmpty() || host.length() > 253) return invalid(name);
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) return invalid(name);
        }
        // One label, or an all-numeric last label (a bare IP address), is not a fully qualified name.
        if (labels.length < 2 || !TLD.matcher(labels[labels.length - 1]).matches()) {
            return new Verdict.Reject(504, "5.5.2", "<" + printable(name) + ">: Helo command rejected: need fully-qualified hostname",
                    "helo_fqdn");
        }
        return Verdict.ACCEPT;
    }

    /**
     * With [[listener]] reject_unknown_helo: a name (not an address literal) that DNS says has no A,
     * AAAA or MX record gets 450 4.7.1, as Postfix's reject_unknown_helo_hostname with its default
     * reply code: temporary, since DNS may be fixed. A DNS failure accepts: it never blocks mail.
     */
    public static Verdict checkResolves(String name, Resolver dns) {
        if (name.startsWith("[")) return Verdict.ACCEPT;
        String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (host.isEmpty()) return Verdict.ACCEPT; // the syntax check, if on, has its say
        // In turn, stopping at the first answer: most names have an A record, so one lookup.
        boolean known = knownOrUnsure(dns.a(host)) || knownOrUnsure(dns.aaaa(host)) || knownOrUnsure(dns.mx(host));
        return !known ? new Verdict.Defer(450, "4.7.1", "<" + printable(name) + ">: Helo command rejected: Host not found",
                "helo_unknown") : Verdict.ACCEPT;
    }

    private static boolean knownOrUnsure(DnsResult<?> r) {
        return r instanceof DnsResult.Found<?> || r instanceof DnsResult.TempFail<?>;
    }

    private static Verdict invalid(String name) {
        return new Verdict.Reject(501, "5.5.2", "<" + printable(name) + ">: Helo command rejected: Invalid name", "helo_invalid");
    }

    /** The name as echoed back: printable ASCII only, bounded. */
    private static String printable(String s) {
        String clean = s.chars().map(c -> c < 33 || c > 126 ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
