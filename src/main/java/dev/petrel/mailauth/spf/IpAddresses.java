package dev.petrel.mailauth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The IP address text SPF needs, written here rather than taken from {@link InetAddress}: the
 * record grammar (RFC 7208 section 12) is stricter than the JDK's parser (no leading zeros in an
 * IPv4 octet, no scope ids), and the JDK turns {@code ::ffff:1.2.3.4} into an IPv4 address, which
 * would make {@code ip6:::ffff:1.2.3.4} match IPv4 clients. Addresses are kept as raw bytes (4 or 16).
 */
final class IpAddresses {
    private IpAddresses() {}

    /** {@code ip}, or the IPv4 address inside it when it is IPv4-mapped (section 5: treated as IPv4). */
    static InetAddress normalize(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen: four bytes
            }
        }
        try {
            return InetAddress.getByAddress(b); // drop any host name or scope
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * Parses {@code ip4-network} of RFC 7208: four decimal octets 0-255 without leading zeros.
     *
     * @return the 4 bytes, or null when {@code text} is not of that form
     */
    static byte[] parseIp4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
            for (int k = 0; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') return null;
            int value = Integer.parseInt(p);
            if (value > 255) return null;
            out[i] = (byte) value;
        }
        return out;
    }

    /**
     * Parses the textual IPv6 forms of RFC 4291 section 2.2: eight groups of 1-4 hex digits, at
     * most one {@code ::}, optionally ending in a dotted IPv4 address.
     *
     * @return the 16 bytes, or null when {@code text} is not of that form
     */
    static byte[] parseIp6(String text) {
        if (text.isEmpty()) return null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') return null;
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        int[] headGroups = groups(head, gap < 0); // a dotted IPv4 part must come last, after any "::"
        int[] tailGroups = gap < 0 ? new int[0] : groups(tail, true);
        if (headGroups == null || tailGroups == null) return null;
        int count = headGroups.length + tailGroups.length;
        if (gap < 0 ? count != 8 : count > 7) return null;
        byte[] out = new byte[16];
        for (int i = 0; i < headGroups.length; i++) put(out, i, headGroups[i]);
        for (int i = 0; i < tailGroups.length; i++) put(out, 8 - tailGroups.length + i, tailGroups[i]);
        return out;
    }

    private static void put(byte[] out, int group, int value) {
        out[group * 2] = (byte) (value >>> 8);
        out[group * 2 + 1] = (byte) value;
    }

    /** Colon-separated groups; the last may be a dotted IPv4 address (two groups) when {@code last}. */
    private static int[] groups(String part, boolean last) {
        if (part.isEmpty()) return new int[0];
        String[] texts = part.split(":", -1);
        int[] values = new int[texts.length + 1];
        int n = 0;
        for (int i = 0; i < texts.length; i++) {
            String t = texts[i];
            if (t.indexOf('.') >= 0) {
                if (!last || i != texts.length - 1) return null;
                byte[] v4 = parseIp4(t);
                if (v4 == null) return null;
                values[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                values[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else {
                if (t.isEmpty() || t.length() > 4) return null;
                values[n++] = Integer.parseInt(t, 16);
            }
        }
        return Arrays.copyOf(values, n);
    }

    /** True when the first {@code prefix} bits of {@code a} and {@code b} (same length) are equal. */
    static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        if (a.length != b.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != b[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (b[full] & mask);
    }

    /** The {@code %{i}} form: dotted decimal for IPv4, 32 dotted lower-case nibbles for IPv6 (section 7.3). */
    static String dotted(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder s = new StringBuilder();
        if (b.length == 4) {
            for (int i = 0; i < 4; i++) s.append(i == 0 ? "" : ".").append(b[i] & 0xff);
            return s.toString();
        }
        for (int i = 0; i < 16; i++) {
            if (i > 0) s.append('.');
            s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b[i] & 0xf, 16));
        }
        return s.toString();
    }

    /** The readable form ({@code %{c}}): dotted decimal, or RFC 5952 IPv6 ({@code 2001:db8::1}). */
    static String readable(InetAddress ip) {
        if (ip instanceof Inet4Address) return dotted(ip);
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        // RFC 5952 4.2: the longest run of two or more zero groups becomes "::" (the first on a tie).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }
}
