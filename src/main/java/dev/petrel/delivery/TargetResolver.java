package dev.petrel.delivery;

/** Turns a destination into addresses to connect to: MX lookup for a domain, or a relay's address. */
public interface TargetResolver {
    /**
     * @param host    the recipient domain (mx = true) or a relay host name or IP literal
     * @param port    the port to connect to (25 for MX delivery)
     * @param mx      true: look up MX records of {@code host} and fall back to its A/AAAA records
     *                (RFC 5321 5.1); false: use {@code host}'s own addresses
     */
    Resolution resolve(String host, int port, boolean mx);
}
