package dev.petrel.mailauth.spf;

import java.net.IDN;
import java.util.Locale;

/**
 * Domain name rules SPF applies to its {@code <domain>} and to expanded target names: the
 * validity test of RFC 7208 section 4.3, the left truncation of section 7.3, and the subdomain
 * test of the {@code ptr} mechanism. Names are compared without case and without a trailing dot.
 */
final class DomainNames {
    /** The longest domain name in its dotted text form (RFC 7208 section 7.3). */
    static final int MAX_NAME_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;

    private DomainNames() {}

    /** {@code name} without one trailing dot. */
    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * The A-label form of a domain given with U-labels (section 4.3: internationalized names are
     * looked up as A-labels); null when it cannot be converted.
     */
    static String toAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                try {
                    return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return name;
    }

    /**
     * Section 4.3: a {@code <domain>} check_host() can work with: a fully qualified, multi-label
     * name of at most 253 octets whose labels are 1 to 63 octets of visible US-ASCII. An address
     * literal ({@code [192.0.2.1]}) or a bare IP address (all-numeric top label) is not a domain.
     */
    static boolean isValidDomain(String name) {
        if (!isQueryable(name) || name.startsWith("[")) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return false;
        }
        int lastDot = name.lastIndexOf('.');
        if (lastDot < 0) return false; // a single label is not fully qualified
        String top = name.substring(lastDot + 1);
        return !top.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Whether a DNS query can be composed for {@code name} (without its trailing dot): at most 253
     * octets, no empty label, no label over 63 octets. The characters are not checked: a macro can
     * legitimately produce names such as {@code macro%percent.example.com}.
     */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) return false;
        int start = 0;
        while (true) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            int length = end - start;
            if (length == 0 || length > MAX_LABEL_LENGTH) return false;
            if (dot < 0) return true;
            start = dot + 1;
        }
    }

    /**
     * Section 7.3: an expanded name over 253 characters loses labels from the left until it fits.
     * (A single label over 253 cannot be shortened; it stays, and is not queryable.)
     */
    static String truncateLeft(String name) {
        String n = name;
        while (n.length() > MAX_NAME_LENGTH) {
            int dot = n.indexOf('.');
            if (dot < 0) return n;
            n = n.substring(dot + 1);
        }
        return n;
    }

    /** True when {@code name} is {@code parent} or below it, ignoring case and trailing dots. */
    static boolean isSameOrSubdomain(String name, String parent) {
        String n = withoutTrailingDot(name).toLowerCase(Locale.ROOT);
        String p = withoutTrailingDot(parent).toLowerCase(Locale.ROOT);
        return n.equals(p) || n.endsWith("." + p);
    }
}
