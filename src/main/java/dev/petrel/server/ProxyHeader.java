package dev.petrel.server;

import dev.petrel.message.IpLiteral;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2) that a load balancer sends before
 * anything else, naming the client it accepted the connection from. Read byte by byte, never past
 * the header, since what follows belongs to SMTP or TLS. Bounded: a version 1 line is at most 107
 * bytes and a version 2 address block at most 216 (anything larger is refused).
 */
final class ProxyHeader {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107;
    private static final int V2_MAX_BODY = 216; // unix addresses are the largest: 2 × 108

    /** A header that is not a valid PROXY header; the connection is closed. */
    static final class InvalidException extends IOException {
        InvalidException(String message) {
            super(message);
        }
    }

    private ProxyHeader() {}

    /**
     * Reads the header and returns the client it names, or {@code connected} when it names none
     * (v1 {@code UNKNOWN}, v2 {@code LOCAL}: the proxy's own health check, or an address family
     * other than TCP over IPv4 or IPv6).
     */
    static InetSocketAddress read(InputStream in, InetSocketAddress connected) throws IOException {
        int first = in.read();
        if (first == 'P') return readV1(in, connected);
        if (first == V2_SIGNATURE[0]) return readV2(in, connected);
        throw new InvalidException(first < 0 ? "the connection closed before a PROXY header" : "no PROXY header");
    }

    private static InetSocketAddress readV1(InputStream in, InetSocketAddress connected) throws IOException {
        StringBuilder line = new StringBuilder("P");
        while (true) {
            int b = in.read();
            if (b < 0) throw new InvalidException("the connection closed inside the PROXY line");
            line.append((char) b);
            if (line.length() > V1_MAX) throw new InvalidException("the PROXY line is longer than " + V1_MAX + " bytes");
            if (b == '\n') break;
        }
        if (!line.toString().endsWith("\r\n")) throw new InvalidException("the PROXY line does not end with CRLF");
        String[] f = line.substring(0, line.length() - 2).split(" ", -1);
        if (!f[0].equals("PROXY") || f.length < 2) throw new InvalidException("not a PROXY line");
        if (f[1].equals("UNKNOWN")) return connected;
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new InvalidException("a PROXY line needs TCP4|TCP6 source destination sport dport");
        }
        InetAddress source = literal(f[2], f[1].equals("TCP4") ? 4 : 16);
        literal(f[3], f[1].equals("TCP4") ? 4 : 16);
        return new InetSocketAddress(source, port(f[4]));
    }

    private static InetSocketAddress readV2(InputStream in, InetSocketAddress connected) throws IOException {
        byte[] rest = readExactly(in, V2_SIGNATURE.length - 1 + 4);
        if (!Arrays.equals(rest, 0, V2_SIGNATURE.length - 1, V2_SIGNATURE, 1, V2_SIGNATURE.length)) {
            throw new InvalidException("not a PROXY v2 signature");
        }
        int versionCommand = rest[11] & 0xFF;
        int family = rest[12] & 0xFF;
        int length = ((rest[13] & 0xFF) << 8) | (rest[14] & 0xFF);
        if (versionCommand >> 4 != 2) throw new InvalidException("PROXY v2 header with version " + (versionCommand >> 4));
        if (length > V2_MAX_BODY + 1024) throw new InvalidException("PROXY v2 header of " + length + " bytes");
        byte[] body = readExactly(in, length); // addresses, then TLVs we do not use
        int command = versionCommand & 0x0F;
        if (command == 0) return connected; // LOCAL
        if (command != 1) throw new InvalidException("PROXY v2 command " + command);
        int addressBytes = switch (family) {
            case 0x11 -> 4;   // TCP over IPv4
            case 0x21 -> 16;  // TCP over IPv6
            default -> 0;     // UNSPEC, UDP, unix: no client address for us
        };
        if (addressBytes == 0) return connected;
        if (length < 2 * addressBytes + 4) throw new InvalidException("PROXY v2 address block too short");
        InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(body, 0, addressBytes));
        int port = ((body[2 * addressBytes] & 0xFF) << 8) | (body[2 * addressBytes + 1] & 0xFF);
        return new InetSocketAddress(source, port);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new InvalidException("the connection closed inside the PROXY header");
        return b;
    }

    /** A numeric address of the expected length (never a name lookup: {@link IpLiteral}). */
    private static InetAddress literal(String text, int bytes) throws InvalidException {
        InetAddress a;
        try {
            a = IpLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidException("'" + text + "' is not an IPv" + (bytes == 4 ? "4" : "6") + " address");
        }
        if (a.getAddress().length != bytes) throw new InvalidException("'" + text + "' is not an IPv" + (bytes == 4 ? "4" : "6") + " address");
        return a;
    }

    private static int port(String text) throws InvalidException {
        if (!text.matches("\\d{1,5}")) throw new InvalidException("'" + text + "' is not a port");
        int p = Integer.parseInt(text);
        if (p > 65535) throw new InvalidException("'" + text + "' is not a port");
        return p;
    }
}
