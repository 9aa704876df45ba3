package dev.petrel.protocol;

import dev.petrel.message.MailAddress;

import java.nio.charset.StandardCharsets;

/**
 * Parses the {@code <path>} of MAIL FROM and RCPT TO following RFC 5321 section 4.1.2, with the
 * UTF-8 extensions of RFC 6531 section 3.3 when the transaction uses SMTPUTF8.
 *
 * <p>Accepted: dot-atom and quoted local parts, domain names, IPv4 and IPv6 address literals.
 * Refused with a reply: source routes ({@code <@a,@b:user@c>}, which RFC 5321 lets servers
 * ignore but which only serve to trick relays), general address literals, trailing dots, empty
 * labels, and anything over the RFC 5321 section 4.5.3.1 size limits (64-octet local part,
 * 255-octet domain, 256-octet path).
 */
public final class PathParser {
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;
    static final int MAX_LABEL = 63;

    private PathParser() {}

    /** The result of parsing a path: the address, or null for {@code <>}. */
    public record Path(MailAddress address, boolean isPostmaster) {}

    /**
     * Parses {@code <...>} (the angle brackets included).
     *
     * @param allowNull  true for MAIL FROM, where {@code <>} is the null sender
     * @param allowUtf8  true when the transaction declared SMTPUTF8
     */
    public static Path parse(String text, boolean allowNull, boolean allowUtf8) throws AddressSyntaxException {
        if (text.length() < 2 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>') {
            throw new AddressSyntaxException(Replies.badAddress("enclose the address in <>"));
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.isEmpty()) {
            if (allowNull) return new Path(null, false);
            throw new AddressSyntaxException(Replies.badAddress("empty address"));
        }
        if (inner.charAt(0) == '@') {
            throw new AddressSyntaxException(Replies.SOURCE_ROUTE);
        }
        if (utf8Length(text) > MAX_PATH) {
            throw new AddressSyntaxException(Replies.badAddress("path longer than " + MAX_PATH + " octets"));
        }
        if (!allowNull && inner.equalsIgnoreCase("postmaster")) {
            return new Path(null, true);
        }
        int at = localPartEnd(inner);
        if (at >= inner.length() || inner.charAt(at) != '@') {
            throw new AddressSyntaxException(Replies.badAddress("missing @domain"));
        }
        String local = inner.substring(0, at);
        String domain = inner.substring(at + 1);
        boolean utf8 = !isAscii(inner);
        if (utf8 && !allowUtf8) throw new AddressSyntaxException(Replies.UTF8_NEEDS_SMTPUTF8);
        checkLocalPart(local);
        checkDomainOrLiteral(domain);
        return new Path(new MailAddress(local, domain), false);
    }

    /** Index just past the local part: the end of a quoted string, or the first '@'. */
    private static int localPartEnd(String s) throws AddressSyntaxException {
        if (s.charAt(0) != '"') {
            int at = s.indexOf('@');
            return at < 0 ? s.length() : at;
        }
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new AddressSyntaxException(Replies.badAddress("unterminated quoted local part"));
    }

    private static void checkLocalPart(String local) throws AddressSyntaxException {
        if (local.isEmpty()) throw new AddressSyntaxException(Replies.badAddress("empty local part"));
        if (utf8Length(local) > MAX_LOCAL_PART) {
            throw new AddressSyntaxException(Replies.badAddress("local part longer than " + MAX_LOCAL_PART + " octets"));
        }
        if (local.charAt(0) == '"') {
            checkQuotedString(local);
        } else {
            checkDotString(local);
        }
    }

    private static void checkQuotedString(String q) throws AddressSyntaxException {
        for (int i = 1; i < q.length() - 1; i++) {
            char c = q.charAt(i);
            if (c == '\\') {
                i++;
                char next = i < q.length() - 1 ? q.charAt(i) : 0;
                if (next < 32 || next > 126) {
                    throw new AddressSyntaxException(Replies.badAddress("bad quoted pair in local part"));
                }
            } else if (!(c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) || c > 127)) {
                throw new AddressSyntaxException(Replies.badAddress("character not allowed in quoted local part"));
            }
        }
    }

    private static void checkDotString(String s) throws AddressSyntaxException {
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            throw new AddressSyntaxException(Replies.badAddress("misplaced dot in local part"));
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) {
                throw new AddressSyntaxException(Replies.badAddress("character '" + printable(c) + "' not allowed in local part"));
            }
        }
    }

    /** RFC 5322 atext, plus any non-ASCII character (RFC 6531 UTF8-non-ascii). */
    private static boolean isAtext(char c) {
        if (c > 127) return true;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static void checkDomainOrLiteral(String d) throws AddressSyntaxException {
        if (d.isEmpty()) throw new AddressSyntaxException(Replies.badAddress("empty domain"));
        if (d.charAt(0) == '[') {
            checkAddressLiteral(d);
        } else {
            checkDomain(d);
        }
    }

    /** Checks a domain name as RFC 5321 {@code Domain} (with U-labels allowed); public for EHLO. */
    public static void checkDomain(String d) throws AddressSyntaxException {
        if (utf8Length(d) > MAX_DOMAIN) {
            throw new AddressSyntaxException(Replies.badAddress("domain longer than " + MAX_DOMAIN + " octets"));
        }
        if (d.endsWith(".")) throw new AddressSyntaxException(Replies.badAddress("trailing dot in domain"));
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty()) throw new AddressSyntaxException(Replies.badAddress("empty label in domain"));
            if (utf8Length(label) > MAX_LABEL) {
                throw new AddressSyntaxException(Replies.badAddress("domain label longer than " + MAX_LABEL + " octets"));
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new AddressSyntaxException(Replies.badAddress("domain label starts or ends with '-'"));
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c > 127 || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!ok) {
                    throw new AddressSyntaxException(Replies.badAddress("character '" + printable(c) + "' not allowed in domain"));
                }
            }
        }
    }

    private static void checkAddressLiteral(String d) throws AddressSyntaxException {
        if (!d.endsWith("]")) throw new AddressSyntaxException(Replies.badAddress("unterminated address literal"));
        String body = d.substring(1, d.length() - 1);
        if (body.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = body.substring(5);
            if (v6.isEmpty() || !v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                    || !v6.contains(":") || !isIpv6(v6)) {
                throw new AddressSyntaxException(Replies.badAddress("bad IPv6 address literal"));
            }
        } else if (!isIpv4(body)) {
            throw new AddressSyntaxException(Replies.badAddress("address literals must be [IPv4] or [IPv6:...]"));
        }
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static boolean isIpv6(String s) {
        try {
            // Only hex digits, ':' and '.' reach here, so this parses a literal and never queries DNS.
            java.net.InetAddress.getByName("[" + s + "]");
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 127) return false;
        return true;
    }

    private static String printable(char c) {
        return c < 32 || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
