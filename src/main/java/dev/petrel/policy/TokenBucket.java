package dev.petrel.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket holding at most {@code capacity} tokens, refilled continuously at
 * {@code capacity} tokens per {@code window}: a burst of {@code capacity} is allowed at once, and
 * after that one token every {@code window / capacity}. It starts full. Thread-safe.
 */
public final class TokenBucket {
    private final int capacity;
    private final long windowNanos;
    private double tokens;
    private Instant updated;

    public TokenBucket(int capacity, Duration window, Instant now) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        if (!window.isPositive()) throw new IllegalArgumentException("window must be positive: " + window);
        this.capacity = capacity;
        this.windowNanos = window.toNanos();
        this.tokens = capacity;
        this.updated = now;
    }

    /**
     * Takes {@code n} tokens if there are that many.
     *
     * @return {@link Duration#ZERO} when taken; otherwise (nothing taken) how long until there
     *         would be {@code n}, at least 1 ns
     */
    public synchronized Duration tryTake(int n, Instant now) {
        if (n < 1 || n > capacity) throw new IllegalArgumentException("n must be from 1 to " + capacity + ": " + n);
        refill(now);
        if (tokens >= n) {
            tokens -= n;
            return Duration.ZERO;
        }
        double missing = n - tokens;
        return Duration.ofNanos(Math.max(1, (long) Math.ceil(missing * windowNanos / capacity)));
    }

    /** True when the bucket has refilled completely by {@code now}: it then remembers nothing and may be dropped. */
    public synchronized boolean isFull(Instant now) {
        refill(now);
        return tokens >= capacity;
    }

    private void refill(Instant now) {
        // A clock that steps back must not mint tokens or make the bucket owe time.
        if (!now.isAfter(updated)) return;
        long elapsed = Duration.between(updated, now).toNanos(); // saturates only after ~292 years
        tokens = Math.min(capacity, tokens + (double) elapsed * capacity / windowNanos);
        updated = now;
    }
}
