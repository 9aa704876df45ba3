package dev.petrel.delivery;

import java.net.InetAddress;

/**
 * One address to try, in order: an MX host's (or relay's) name, one of its IP addresses and the port.
 * The name is what TLS certificates and logs refer to.
 */
public record Target(String hostname, InetAddress address, int port) {
    /** {@code host[ip]:port}, as in Postfix's {@code relay=} log field. */
    @Override
    public String toString() {
        return hostname + "[" + address.getHostAddress() + "]:" + port;
    }
}
