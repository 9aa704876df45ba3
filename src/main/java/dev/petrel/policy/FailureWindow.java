package dev.petrel.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key (failed AUTH attempts per user name) within a sliding window. Keys are
 * chosen by clients, so memory is bounded twice: each key keeps at most {@code maxPerKey} times,
 * and past {@code maxKeys} keys the expired ones are dropped (and, if that is not enough, all).
 * Thread-safe.
 */
public final class FailureWindow<K> {
    private final Duration window;
    private final int maxPerKey;
    private final int maxKeys;
    private final Clock clock;
    private final ConcurrentHashMap<K, Deque<Instant>> times = new ConcurrentHashMap<>();

    public FailureWindow(Duration window, int maxPerKey, int maxKeys, Clock clock) {
        this.window = window;
        this.maxPerKey = Math.max(1, maxPerKey);
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Records one event now and returns the events of {@code key} within the window, this one included. */
    public int add(K key) {
        if (times.size() >= maxKeys) prune();
        Deque<Instant> d = times.computeIfAbsent(key, k -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (d) {
            d.addLast(now);
            if (d.size() > maxPerKey) d.removeFirst();
            return trim(d, now);
        }
    }

    /** The events of {@code key} within the window. */
    public int count(K key) {
        Deque<Instant> d = times.get(key);
        if (d == null) return 0;
        synchronized (d) {
            return trim(d, clock.instant());
        }
    }

    private int trim(Deque<Instant> d, Instant now) {
        Instant cutoff = now.minus(window);
        while (!d.isEmpty() && d.peekFirst().isBefore(cutoff)) d.removeFirst();
        return d.size();
    }

    private void prune() {
        Instant now = clock.instant();
        times.values().removeIf(d -> {
            synchronized (d) {
                return trim(d, now) == 0;
            }
        });
        // Still full: a spray of names. Forgetting them all is the lesser evil; per-IP limits still apply.
        if (times.size() >= maxKeys) times.clear();
    }
}
