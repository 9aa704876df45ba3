package dev.petrel.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time by which one connection's current read or write must finish. The connection arms it
 * around each blocking call and {@link DeadlineWatch} enforces it from one thread for all
 * connections, so reads and writes themselves are untimed. (A timed read parks a virtual thread
 * with a timeout, which schedules and cancels a timer on every read: a few percent of the CPU
 * of a busy server.) Thread-safe: armed by the connection's thread, expired by the watch's.
 */
final class Deadline {
    private static final long NONE = Long.MAX_VALUE;
    /** About 73 years: far enough, and System.nanoTime() plus it cannot overflow. */
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);

    private final AtomicLong at = new AtomicLong(NONE);
    private volatile boolean writing;
    private volatile boolean expired;

    /**
     * From now, the next {@code limit} is allowed for a read ({@code writing} false) or a write.
     * May be armed again after it expired (the timeout reply is itself a write that must end).
     */
    void arm(Duration limit, boolean writing) {
        this.writing = writing;
        Duration bounded = limit.isNegative() ? Duration.ZERO : limit.compareTo(LONGEST) > 0 ? LONGEST : limit;
        at.set(System.nanoTime() + bounded.toNanos());
    }

    void disarm() {
        at.set(NONE);
    }

    /** Whether the watch found a deadline passed; once true it stays true. */
    boolean expired() {
        return expired;
    }

    /** Whether the blocking call that expired was a write. */
    boolean writing() {
        return writing;
    }

    /**
     * Called by the watch with {@link System#nanoTime()}: marks the deadline expired when it has
     * passed, and answers true once per arming. The compare-and-set leaves alone a deadline the
     * connection disarmed or armed anew meanwhile.
     */
    boolean expire(long now) {
        long due = at.get();
        if (due == NONE || now - due < 0 || !at.compareAndSet(due, NONE)) return false;
        expired = true;
        return true;
    }
}
