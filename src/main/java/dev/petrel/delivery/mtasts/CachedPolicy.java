package dev.petrel.delivery.mtasts;

import java.time.Instant;

/**
 * A policy as fetched: the TXT id it was fetched for, the parsed policy, the text it was parsed
 * from (kept so the disk copy is exactly what the domain served) and when it was fetched.
 */
public record CachedPolicy(String id, StsPolicy policy, String text, Instant fetchedAt) {
    /** When it stops applying: fetched plus max_age (RFC 8461 section 3.2). */
    public Instant expiresAt() {
        return fetchedAt.plus(policy.maxAge());
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt());
    }
}
