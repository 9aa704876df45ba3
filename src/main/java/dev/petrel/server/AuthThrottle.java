package dev.petrel.server;

import dev.petrel.protocol.Replies;
import dev.petrel.protocol.Reply;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down and then stops password guessing from one IP: each failed AUTH is answered after a
 * pause that doubles with every recent failure (up to 8 times the base), and once an IP has failed
 * {@code maxFailures} times within the window it gets 454 4.7.0 until old failures age out.
 */
final class AuthThrottle {
    private static final int MAX_TRACKED_IPS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Duration baseDelay;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();

    AuthThrottle(int maxFailures, Duration window, Duration baseDelay, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.baseDelay = baseDelay;
        this.clock = clock;
    }

    Optional<Reply> beforeAuth(InetAddress ip) {
        return recentFailures(ip) >= maxFailures ? Optional.of(Replies.AUTH_TOO_MANY_FAILURES) : Optional.empty();
    }

    /** Records a failure and returns how long to pause before answering. */
    Duration failed(InetAddress ip) {
        if (failures.size() > MAX_TRACKED_IPS) pruneExpired(); // bounded memory under a spray from many IPs
        Deque<Instant> times = failures.computeIfAbsent(ip, k -> new ArrayDeque<>());
        int count;
        synchronized (times) {
            times.addLast(clock.instant());
            count = times.size();
        }
        int factor = 1 << Math.min(3, Math.max(0, count - 1));
        return baseDelay.multipliedBy(factor);
    }

    void succeeded(InetAddress ip) {
        // Deliberately no reset: with one valid account an attacker could otherwise clear the
        // count between guesses at other accounts. Failures age out of the window instead.
    }

    private void pruneExpired() {
        Instant cutoff = clock.instant().minus(window);
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Instant newest = e.getValue().peekLast();
                return newest == null || newest.isBefore(cutoff);
            }
        });
        if (failures.size() > MAX_TRACKED_IPS) failures.clear(); // still too many: a spray; start over
    }

    private int recentFailures(InetAddress ip) {
        Deque<Instant> times = failures.get(ip);
        if (times == null) return 0;
        Instant cutoff = clock.instant().minus(window);
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) times.removeFirst();
            return times.size();
        }
    }
}
