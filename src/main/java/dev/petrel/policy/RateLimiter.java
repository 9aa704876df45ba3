package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (a user name, a client IP), all with the same rate. Memory is
 * bounded: a full bucket carries no information, so when the map reaches {@code maxKeys} full
 * buckets are dropped; if it is still full (a flood from that many keys at once), new keys are
 * let through untracked rather than resetting the keys already being limited. Thread-safe.
 */
public final class RateLimiter<K> {
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** Sweeps cost a pass over the whole map, so under a flood of new keys run at most one a second. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final PetrelConfig.Rate rate;
    private final Clock clock;
    private final int maxKeys;
    private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.MIN;

    public RateLimiter(PetrelConfig.Rate rate, Clock clock) {
        this(rate, clock, DEFAULT_MAX_KEYS);
    }

    public RateLimiter(PetrelConfig.Rate rate, Clock clock, int maxKeys) {
        this.rate = rate;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    public PetrelConfig.Rate rate() {
        return rate;
    }

    /** Takes one token for {@code key}: {@link Duration#ZERO} when allowed, else how long until it would be. */
    public Duration tryTake(K key) {
        if (rate.unlimited()) return Duration.ZERO;
        Instant now = clock.instant();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys && !sweep(now)) return Duration.ZERO;
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate.count(), rate.window(), now));
        }
        return bucket.tryTake(1, now);
    }

    /** Keys currently tracked (for tests). */
    public int size() {
        return buckets.size();
    }

    /** Drops full buckets; true when there is room for a new key afterwards. */
    private synchronized boolean sweep(Instant now) {
        if (buckets.size() < maxKeys) return true; // another thread just swept
        if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) < 0) return false;
        lastSweep = now;
        buckets.values().removeIf(b -> b.isFull(now));
        return buckets.size() < maxKeys;
    }
}
