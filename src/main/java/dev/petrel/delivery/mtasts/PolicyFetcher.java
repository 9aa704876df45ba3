package dev.petrel.delivery.mtasts;

import java.io.IOException;

/** Gets a domain's policy text. {@link HttpsPolicyFetcher} in production; a lambda in unit tests. */
@FunctionalInterface
public interface PolicyFetcher {
    /**
     * @return the policy text of {@code domain}, as served
     * @throws IOException for any failure (no address, refused, TLS, not 200, too large, too slow); the message says which
     */
    String fetch(String domain) throws IOException;
}
