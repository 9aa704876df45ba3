package dev.petrel.delivery;

import java.util.List;

/** Where mail for a domain should go, or why it cannot go anywhere. */
public sealed interface Resolution {
    /** Addresses to try in order: MX preference, random among equals, each host's addresses. */
    record Targets(List<Target> targets) implements Resolution {
        public Targets {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) throw new IllegalArgumentException("no targets");
        }
    }

    /** Permanent: the domain does not exist, has a null MX (RFC 7505: dsn 5.1.10) or no address. */
    record Permanent(String dsn, String reason) implements Resolution {}

    /** Temporary: DNS failed (SERVFAIL, timeout); try again later (dsn 4.4.3). */
    record Temporary(String dsn, String reason) implements Resolution {}
}
