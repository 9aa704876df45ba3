package dev.petrel.mailauth.spf;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The network of an {@code ip4} or {@code ip6} mechanism: raw address bytes (4 or 16) and a prefix
 * length. Kept apart from {@link InetAddress} so that {@code ip6:::ffff:192.0.2.1} stays an IPv6
 * network (IPv4 clients never match {@code ip6}, RFC 7208 section 5).
 */
public record CidrNetwork(byte[] address, int prefixLength) {
    public CidrNetwork {
        address = address.clone();
        if (address.length != 4 && address.length != 16) throw new IllegalArgumentException("4 or 16 bytes");
        if (prefixLength < 0 || prefixLength > address.length * 8) throw new IllegalArgumentException("prefix " + prefixLength);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** True when {@code ip} (already normalized: IPv4-mapped addresses as IPv4) is inside this network. */
    public boolean contains(InetAddress ip) {
        return IpAddresses.samePrefix(ip.getAddress(), address, prefixLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrNetwork other && other.prefixLength == prefixLength && Arrays.equals(other.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            String text = address.length == 4 ? IpAddresses.dotted(InetAddress.getByAddress(address))
                    : IpAddresses.readable(InetAddress.getByAddress(address));
            return text + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
