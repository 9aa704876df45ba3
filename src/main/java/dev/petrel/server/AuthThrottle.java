package dev.petrel.server;

import dev.petrel.policy.FailureWindow;
import dev.petrel.protocol.Replies;
import dev.petrel.protocol.Reply;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down and then stops password guessing from one IP: each failed AUTH is answered after a
 * pause that doubles with every recent failure (up to 8 times the base), and once an IP has failed
 * {@code maxFailures} times within the window it gets 454 4.7.0 until old failures age out.
 * Separately, a user name that failed {@code maxFailuresPerUser} times within its window, from
 * any IPs, is locked out ({@link #userLocked}): guessing one user's password from many addresses
 * is held to that many tries per window. Attempts at a locked name do not count, so the lock
 * lifts when the failures that caused it age out. Names are counted whether or not they exist,
 * so a lockout says nothing about which users exist.
 */
final class AuthThrottle {
    private static final int MAX_TRACKED_IPS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Duration baseDelay;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final int maxFailuresPerUser;
    private final FailureWindow<String> userFailures;

    AuthThrottle(int maxFailures, Duration window, Duration baseDelay, Clock clock) {
        this(maxFailures, window, baseDelay, 0, window, clock);
    }

    /** @param maxFailuresPerUser failures of one user name within {@code userWindow} before it is locked; 0: no per-user lock */
    AuthThrottle(int maxFailures, Duration window, Duration baseDelay, int maxFailuresPerUser, Duration userWindow, Clock clock) {
        this.maxFailuresPerUser = maxFailuresPerUser;
        this.userFailures = new FailureWindow<>(userWindow, maxFailuresPerUser, MAX_TRACKED_IPS, clock);
        this.maxFailures = maxFailures;
        this.window = window;
        this.baseDelay = baseDelay;
        this.clock = clock;
    }

    Optional<Reply> beforeAuth(InetAddress ip) {
        return recentFailures(ip) >= maxFailures ? Optional.of(Replies.AUTH_TOO_MANY_FAILURES) : Optional.empty();
    }

    /** True when {@code username} may not authenticate now (too many recent failures, from any IP). */
    boolean userLocked(String username) {
        return maxFailuresPerUser > 0 && username != null && userFailures.count(userKey(username)) >= maxFailuresPerUser;
    }

    /** Records a failure of {@code username} (null when unknown) from {@code ip}; returns how long to pause. */
    Duration failed(InetAddress ip, String username) {
        Duration pause = failed(ip);
        if (maxFailuresPerUser == 0 || username == null || userLocked(username)) return pause;
        int count = userFailures.add(userKey(username));
        // Spread over many IPs, each pause would stay short: let the user's count grow it too.
        Duration byUser = baseDelay.multipliedBy(1L << Math.min(3, count - 1));
        return byUser.compareTo(pause) > 0 ? byUser : pause;
    }

    /** Case folded, so that "Alice" cannot dodge the lock of "alice". */
    private static String userKey(String username) {
        return username.toLowerCase(Locale.ROOT);
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
