package dev.petrel.server;

import java.time.Duration;

/**
 * The time by which one connection's current read or write must finish. The connection arms it
 * around each blocking call and {@link DeadlineWatch} enforces it from one thread for all
 * connections, so reads and writes themselves are untimed. (A timed read parks a virtual thread
 * with a timeout, which schedules and cancels a timer on every read: a few percent of the CPU
 * of a busy server.) Thread-safe: armed by the connection's thread, expired by the watch's.
 */
final class Deadline {
    private static final long NONE = Long.MAX_VALUE;

    private volatile long at = NONE;
    private volatile boolean writing;
    private volatile boolean expired;

    /** From now, the next {@code limit} is allowed for a read ({@code writing} false) or a write. */
    void arm(Duration limit, boolean writing) {
        this.writing = writing;
        long nanos = limit.isNegative() ? 0 : limit.toNanos(); // toNanos saturates for huge limits
        at = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
    }

    void disarm() {
        at = NONE;
    }

    /** Whether the watch found this deadline passed; once true it stays true. */
    boolean expired() {
        return expired;
    }

    /** Whether the blocking call that expired was a write. */
    boolean writing() {
        return writing;
    }

    /**
     * Called by the watch with {@link System#nanoTime()}: marks the deadline expired when it has
     * passed, and answers true exactly once.
     */
    boolean expire(long now) {
        long due = at;
        if (due == NONE || expired || now - due < 0) return false;
        expired = true;
        return true;
    }
}
