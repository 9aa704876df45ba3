package dev.petrel.mailauth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of an SPF record by the ABNF of RFC 7208 section 12. The whole record is checked
 * before any of it is evaluated (section 4.6: a syntax error anywhere is a {@code permerror}), and
 * every error names the offending term.
 *
 * <p>Choices the grammar leaves to the reader: a term is a modifier when it starts with a name
 * followed by {@code =} (so {@code redirect:x} is an unknown mechanism, not a modifier); an unknown
 * modifier's value must still be a valid macro-string; the macro letters {@code c r t} are rejected
 * in every domain-spec, {@code exp=} included (section 7.2 allows them only in explanation text).
 */
public final class SpfRecordParser {
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern IP6_CIDR_SUFFIX = Pattern.compile("//([0-9]+)$");
    private static final Pattern IP4_CIDR_SUFFIX = Pattern.compile("/([0-9]+)$");
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/([0-9]+))?(?://([0-9]+))?");

    private SpfRecordParser() {}

    /**
     * Section 4.5: whether a TXT record is an SPF record: it starts with {@code v=spf1} (in any
     * case) followed by a space or the end.
     */
    public static boolean isSpfRecord(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** @throws SpfSyntaxException with a precise problem when {@code text} is not a valid SPF record */
    public static SpfRecord parse(String text) throws SpfSyntaxException {
        if (!isSpfRecord(text)) throw new SpfSyntaxException("the record does not start with 'v=spf1'");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new SpfSyntaxException(String.format("the record has the character U+%04X at position %d; "
                        + "only printable US-ASCII is allowed, and terms are separated by spaces only", (int) c, i));
            }
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString explanation = null;
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) continue; // several spaces between terms are allowed
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect" -> {
                        if (redirect != null) throw new SpfSyntaxException("redirect= appears twice; it may appear at most once");
                        redirect = domainSpec(term, value);
                    }
                    case "exp" -> {
                        if (explanation != null) throw new SpfSyntaxException("exp= appears twice; it may appear at most once");
                        explanation = domainSpec(term, value);
                    }
                    default -> {
                        try {
                            MacroString.parseModifierValue(value);
                        } catch (SpfSyntaxException e) {
                            throw new SpfSyntaxException("'" + term + "': " + e.getMessage());
                        }
                    }
                }
            } else {
                directives.add(directive(term));
            }
        }
        return new SpfRecord(directives, redirect, explanation);
    }

    private static Directive directive(String term) throws SpfSyntaxException {
        Qualifier qualifier = Qualifier.of(term.charAt(0));
        String body = qualifier == null ? term : term.substring(1);
        if (qualifier == null) qualifier = Qualifier.PASS;
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') end++;
        String name = body.substring(0, end).toLowerCase(Locale.ROOT);
        String rest = body.substring(end);
        Mechanism mechanism = switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) throw new SpfSyntaxException("'" + term + "': all takes no argument");
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(requiredDomain(term, rest));
            case "exists" -> new Mechanism.Exists(requiredDomain(term, rest));
            case "ptr" -> {
                if (rest.startsWith("/")) throw new SpfSyntaxException("'" + term + "': ptr takes no CIDR length");
                yield new Mechanism.Ptr(rest.isEmpty() ? null : requiredDomain(term, rest));
            }
            case "a", "mx" -> addressMechanism(term, name, rest);
            case "ip4" -> new Mechanism.Ip4(network(term, rest, false));
            case "ip6" -> new Mechanism.Ip6(network(term, rest, true));
            case "redirect", "exp" -> throw new SpfSyntaxException("'" + term + "': " + name
                    + " is a modifier and is written " + name + "=domain");
            default -> throw new SpfSyntaxException("'" + term + "': unknown mechanism '" + name
                    + "' (known: all, include, a, mx, ptr, ip4, ip6, exists)");
        };
        return new Directive(qualifier, mechanism, term);
    }

    /** {@code ":" domain-spec}, as include and exists require. */
    private static MacroString requiredDomain(String term, String rest) throws SpfSyntaxException {
        if (!rest.startsWith(":")) throw new SpfSyntaxException("'" + term + "' needs ':' and a domain");
        return domainSpec(term, rest.substring(1));
    }

    private static MacroString domainSpec(String term, String text) throws SpfSyntaxException {
        try {
            return MacroString.parseDomainSpec(text);
        } catch (SpfSyntaxException e) {
            throw new SpfSyntaxException("'" + term + "': " + e.getMessage());
        }
    }

    /** {@code a} and {@code mx}: [ ":" domain-spec ] [ ip4-cidr-length ] [ "/" ip6-cidr-length ]. */
    private static Mechanism addressMechanism(String term, String name, String rest) throws SpfSyntaxException {
        MacroString target = null;
        int ip4 = 32;
        int ip6 = 128;
        if (rest.startsWith(":")) {
            String spec = rest.substring(1);
            Matcher m6 = IP6_CIDR_SUFFIX.matcher(spec);
            if (m6.find()) {
                ip6 = prefix(term, m6.group(1), 128);
                spec = spec.substring(0, m6.start());
            }
            Matcher m4 = IP4_CIDR_SUFFIX.matcher(spec);
            if (m4.find()) {
                String before = spec.substring(0, m4.start());
                if (IP4_CIDR_SUFFIX.matcher(before).find()) {
                    throw new SpfSyntaxException("'" + term + "': two CIDR lengths are written /IPV4//IPV6, e.g. /24//64");
                }
                ip4 = prefix(term, m4.group(1), 32);
                spec = before;
            }
            if (spec.isEmpty()) throw new SpfSyntaxException("'" + term + "': the domain after ':' is missing");
            target = domainSpec(term, spec);
        } else if (!rest.isEmpty()) {
            Matcher dual = DUAL_CIDR.matcher(rest);
            if (!dual.matches()) {
                throw new SpfSyntaxException("'" + term + "': '" + rest + "' is not a CIDR length; write /24, //64 or /24//64");
            }
            if (dual.group(1) != null) ip4 = prefix(term, dual.group(1), 32);
            if (dual.group(2) != null) ip6 = prefix(term, dual.group(2), 128);
        }
        return name.equals("a") ? new Mechanism.A(target, ip4, ip6) : new Mechanism.Mx(target, ip4, ip6);
    }

    /** {@code ip4:} or {@code ip6:} network [ "/" length ]. */
    private static CidrNetwork network(String term, String rest, boolean v6) throws SpfSyntaxException {
        String family = v6 ? "IPv6" : "IPv4";
        if (!rest.startsWith(":")) throw new SpfSyntaxException("'" + term + "' needs ':' and an " + family + " network");
        String value = rest.substring(1);
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = v6 ? IpAddresses.parseIp6(address) : IpAddresses.parseIp4(address);
        if (bytes == null) {
            throw new SpfSyntaxException("'" + term + "': '" + address + "' is not an " + family + " address"
                    + (v6 ? "" : " (four decimal octets 0-255, no leading zeros)"));
        }
        int max = v6 ? 128 : 32;
        int length = slash < 0 ? max : prefix(term, value.substring(slash + 1), max);
        return new CidrNetwork(bytes, length);
    }

    /** A CIDR length: decimal, no leading zero, at most {@code max}. */
    private static int prefix(String term, String digits, int max) throws SpfSyntaxException {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SpfSyntaxException("'" + term + "': '" + digits + "' is not a CIDR length");
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw new SpfSyntaxException("'" + term + "': CIDR length '" + digits + "' has a leading zero");
        }
        int value = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (value > max) {
            throw new SpfSyntaxException("'" + term + "': CIDR length " + digits + " is over " + max);
        }
        return value;
    }
}
