package dev.petrel.mailauth.dmarc;

import java.net.IDN;
import java.util.Locale;

/**
 * One spelling for every domain DMARC compares: lower case, A-labels for internationalized names,
 * no trailing dot. The From domain, the SPF domain and DKIM's {@code d=} all go through here, so
 * that "Example.COM", "example.com." and a U-label spelling compare equal to their A-label form.
 */
final class DomainNames {
    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private DomainNames() {}

    /**
     * The normalized form of {@code domain}, or null when it is not a usable DNS domain name (empty,
     * a domain literal, an empty or over-long label, characters other than letters, digits,
     * hyphen and underscore after IDNA conversion).
     */
    static String normalize(String domain) {
        if (domain == null) return null;
        String d = domain.strip();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        if (d.isEmpty() || d.startsWith("[")) return null;
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > MAX_LENGTH) return null;
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) return null;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return null;
            }
        }
        return ascii;
    }
}
