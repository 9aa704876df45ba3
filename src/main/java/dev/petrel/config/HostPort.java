package dev.petrel.config;

import dev.petrel.message.IpLiteral;

import java.net.InetAddress;
import java.util.Locale;

/**
 * An outbound address as written in the delivery-side tables: {@code host}, {@code host:port},
 * {@code [ipv6]} or {@code [ipv6]:port}, where the host is a name or a numeric IP. Unlike
 * {@link ListenerAddress} names are allowed (a relay is usually known by name), but they are never
 * looked up here: loading a configuration must not depend on DNS.
 *
 * @param host the host name in lower case, or the IP address as written (IPv6 without brackets)
 * @param port the port, or the caller's default when none was written
 * @param ip   the address when the host is numeric or {@code localhost}; null for other names
 */
record HostPort(String host, int port, InetAddress ip) {

    /**
     * @param allowPortZero true where 0 means "pick a free port" (the admin listener)
     * @throws IllegalArgumentException whose message continues a sentence about the value
     *         ("is not an address"); callers append their own example
     */
    static HostPort parse(String text, int defaultPort, boolean allowPortZero) {
        String s = text.strip();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw notAnAddress();
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (host.indexOf(':') < 0 || !(rest.isEmpty() || rest.startsWith(":"))) throw notAnAddress();
            if (!rest.isEmpty()) port = rest.substring(1);
        } else {
            int colon = s.indexOf(':');
            // With two colons and no brackets the port of an IPv6 address cannot be told apart.
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("is not an address: write an IPv6 address in brackets, such as [2001:db8::1]:25");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = s.substring(colon + 1);
        }
        if (host.isEmpty()) throw notAnAddress();
        int p = port == null ? defaultPort : port(port, allowPortZero);
        if (host.indexOf(':') >= 0) return new HostPort(host, p, literal(host));
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost")) return new HostPort(name, p, InetAddress.getLoopbackAddress());
        if (name.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            // Checked before IpLiteral, which would hand a malformed "999.1.1.1" to DNS.
            if (!ListenerAddress.IPV4.matcher(name).matches()) throw new IllegalArgumentException("is not a valid IP address");
            return new HostPort(name, p, literal(name));
        }
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        if (name.length() > 253 || !ConfigBinder.HOSTNAME.matcher(name).matches()) throw notAnAddress();
        return new HostPort(name, p, null);
    }

    private static InetAddress literal(String host) {
        try {
            return IpLiteral.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid IP address");
        }
    }

    private static int port(String port, boolean allowZero) {
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw notAnAddress();
        }
        int min = allowZero ? 0 : 1;
        if (n < min || n > 65535) throw new IllegalArgumentException("has port " + n + ", outside " + min + "-65535");
        return n;
    }

    private static IllegalArgumentException notAnAddress() {
        return new IllegalArgumentException("is not an address");
    }
}
