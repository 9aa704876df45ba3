package dev.petrel.message;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox {@code local-part@domain} as received on the wire.
 *
 * <p>The local part is kept exactly as the client sent it (including quotes, if it was a quoted
 * string) because RFC 5321 section 2.4 says only the destination host may interpret it. The
 * domain is a host name or an address literal such as {@code [192.0.2.1]}; comparisons of domains
 * are case-insensitive, so {@link #domainKey()} gives the lowercase form.
 */
public record MailAddress(String localPart, String domain) {
    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty()) throw new IllegalArgumentException("empty local part");
        if (domain.isEmpty()) throw new IllegalArgumentException("empty domain");
    }

    /** The domain in lowercase, for lookups and comparisons. */
    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** True when any part is outside US-ASCII, which needs SMTPUTF8 (RFC 6531). */
    public boolean needsSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The plus-address tag: {@code signup} for {@code bob+signup@example.com}; null without a {@code +}. */
    public String plusTag() {
        int plus = localPart.indexOf('+');
        return plus < 0 ? null : localPart.substring(plus + 1);
    }

    /** True when the domain is an address literal such as {@code [192.0.2.1]}. */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
