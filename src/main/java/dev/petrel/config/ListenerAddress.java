package dev.petrel.config;

import dev.petrel.message.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Listener addresses: {@code host:port} or {@code [ipv6]:port}, where the host is a numeric IP or
 * {@code localhost}. Host names are refused so that loading a configuration never touches DNS
 * and a listener never binds to whatever a name happens to resolve to today.
 */
public final class ListenerAddress {
    static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    static final String HINT = "write it as \"127.0.0.1:2525\", \"0.0.0.0:25\" or \"[::1]:2525\" (a numeric IP or localhost, and a port from 1 to 65535)";

    private ListenerAddress() {}

    /**
     * @throws IllegalArgumentException whose message continues a sentence about the value
     *         ("is not a listener address; write it as ...")
     */
    public static InetSocketAddress parse(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !s.startsWith(":", close + 1)) throw notAnAddress();
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (host.indexOf(':') < 0) throw notAnAddress();
        } else {
            int colon = s.lastIndexOf(':');
            // Two colons and no brackets is a bare IPv6 address: its port cannot be told apart.
            if (colon < 0 || s.indexOf(':') != colon) throw notAnAddress();
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        return new InetSocketAddress(host(host), port(port));
    }

    /** The inverse of {@link #parse}: {@code 127.0.0.1:2525} or {@code [::1]:2525}. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static InetAddress host(String host) {
        if (host.equals("localhost")) return InetAddress.getLoopbackAddress();
        boolean numeric = host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
        if (!numeric) {
            throw new IllegalArgumentException("does not have a numeric IP address; host names are not looked up; " + HINT);
        }
        try {
            return IpLiteral.parse(host); // never consults DNS
        } catch (IllegalArgumentException e) {
            throw notAnAddress();
        }
    }

    private static int port(String port) {
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw notAnAddress();
        }
        if (n < 1 || n > 65535) throw new IllegalArgumentException("has port " + n + ", outside 1-65535; " + HINT);
        return n;
    }

    private static IllegalArgumentException notAnAddress() {
        return new IllegalArgumentException("is not a listener address; " + HINT);
    }
}
