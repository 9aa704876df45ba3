package dev.petrel.dns;

import org.xbill.DNS.Record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small TTL-respecting cache of lookup results for {@link DnsjavaResolver}: bounded by entry
 * count (least recently used goes first) and by time (each entry lives for its TTL, capped).
 * Temporary failures are never stored: a retry should ask again. Thread-safe (one lock; lookups
 * are rare next to the SMTP work around them).
 *
 * <p>Our own rather than dnsjava's {@code Cache}: that one also holds referrals and credibility
 * levels we do not need, and is shared statically by {@code Lookup} unless care is taken.
 */
final class DnsCache {
    /** Longest we keep a positive answer whatever its TTL, so a changed MX is seen within the hour. */
    static final Duration MAX_TTL = Duration.ofHours(1);
    /** Longest we keep NXDOMAIN/NODATA (RFC 2308 suggests 1-3 hours; a fixed typo should be seen soon). */
    static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(5);

    private record Cached(DnsResult<Record> result, Instant expires) {}

    private final Clock clock;
    private final Map<String, Cached> entries;

    DnsCache(int maxEntries, Clock clock) {
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized DnsResult<Record> get(String key) {
        Cached e = entries.get(key);
        if (e == null) return null;
        if (!clock.instant().isBefore(e.expires)) {
            entries.remove(key);
            return null;
        }
        return e.result;
    }

    /** Stores {@code result} for {@code ttlSeconds}, capped; a TTL of 0 (or a TempFail) is not stored. */
    synchronized void put(String key, DnsResult<Record> result, long ttlSeconds) {
        if (result instanceof DnsResult.TempFail<Record>) return;
        Duration cap = result instanceof DnsResult.Found<Record> ? MAX_TTL : MAX_NEGATIVE_TTL;
        long seconds = Math.min(ttlSeconds, cap.toSeconds());
        if (seconds <= 0) return;
        entries.put(key, new Cached(result, clock.instant().plusSeconds(seconds)));
    }

    synchronized int size() {
        return entries.size();
    }
}
