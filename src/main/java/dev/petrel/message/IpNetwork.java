package dev.petrel.message;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 127.0.0.0/8} or {@code ::1/128}.
 * A bare address means a single host.
 */
public record IpNetwork(InetAddress base, int prefixLength) {
    public IpNetwork {
        int bits = base.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits);
        }
    }

    /**
     * Parses {@code address[/prefix]}. Only numeric addresses are accepted, never host names, so
     * parsing never touches DNS.
     *
     * @throws IllegalArgumentException with a message fit for a config error
     */
    public static IpNetwork parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (!looksNumeric(addr)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP network; write it like 192.0.2.0/24 or 2001:db8::/32");
        }
        InetAddress base;
        try {
            base = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
        int bits = base.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length", e);
            }
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + "; it must be 0.." + bits);
        }
        return new IpNetwork(base, prefix);
    }

    private static boolean looksNumeric(String addr) {
        if (addr.isEmpty()) return false;
        if (addr.indexOf(':') >= 0) return addr.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        return addr.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] b = base.getAddress();
        if (a.length != b.length) {
            // An IPv4-mapped IPv6 client (::ffff:a.b.c.d) matches IPv4 networks.
            if (a.length == 16 && b.length == 4 && isV4Mapped(a)) {
                a = Arrays.copyOfRange(a, 12, 16);
            } else {
                return false;
            }
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) return false;
        }
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return base.getHostAddress() + "/" + prefixLength;
    }
}
