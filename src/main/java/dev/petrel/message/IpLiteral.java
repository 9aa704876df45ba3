package dev.petrel.message;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses a numeric IPv4 or IPv6 address without ever consulting DNS (Java 21 has no
 * {@code InetAddress.ofLiteral}; {@code getByName} only skips DNS for strings that are literals,
 * so the characters are checked first).
 */
public final class IpLiteral {
    private IpLiteral() {}

    /** @throws IllegalArgumentException when {@code text} is not a numeric IP address */
    public static InetAddress parse(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v6 = s.indexOf(':') >= 0;
        boolean ok = !s.isEmpty() && s.chars().allMatch(c -> v6
                ? Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%'
                : (c >= '0' && c <= '9') || c == '.');
        if (ok && !v6 && s.chars().filter(c -> c == '.').count() != 3) ok = false;
        if (!ok) throw new IllegalArgumentException("'" + text + "' is not a numeric IP address");
        try {
            return InetAddress.getByName(v6 ? "[" + s + "]" : s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IP address", e);
        }
    }
}
