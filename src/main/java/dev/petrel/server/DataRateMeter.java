package dev.petrel.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * [limits] min_data_rate for one connection: the average rate of a DATA or BDAT transfer, measured
 * from its start, must stay at or above the minimum once the grace period is over, while the server
 * is busy ([limits] busy_connections). Slow senders
 * (slowloris-style clients holding a connection and a spool file open) are cut off with 421
 * 4.4.2 by {@link Connection}, which owns the clock; this class only does the arithmetic.
 *
 * <p>The check is a deadline: a transfer that has brought {@code n} octets is too slow from
 * {@code start + max(grace, n / rate)} on, so the connection can use it as its read timeout
 * and catch a client that sends nothing at all, not only one that trickles.
 */
final class DataRateMeter {
    /** Long enough for a slow start (TCP slow start, a busy client) before the average means anything. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private final int minOctetsPerSecond;
    private final long graceMillis;
    private final BooleanSupplier busy;
    private long start;
    private long octets;

    /** @param minOctetsPerSecond 0 turns the check off */
    DataRateMeter(int minOctetsPerSecond, Duration grace) {
        this(minOctetsPerSecond, grace, () -> true);
    }

    /**
     * @param busy whether the server is busy now; the minimum applies only then, because a slow
     *             client costs nothing while there are connection slots to spare
     */
    DataRateMeter(int minOctetsPerSecond, Duration grace, BooleanSupplier busy) {
        this.minOctetsPerSecond = minOctetsPerSecond;
        this.graceMillis = grace.toMillis();
        this.busy = busy;
    }

    /** Whether the minimum applies now (asked before each read, so it follows the load as it changes). */
    boolean enabled() {
        return minOctetsPerSecond > 0 && busy.getAsBoolean();
    }

    /** A transfer begins (the session has just started expecting content). */
    void start(long nowMillis) {
        start = nowMillis;
        octets = 0;
    }

    void received(int n) {
        octets += n;
    }

    /** The instant (in the clock's milliseconds) from which the transfer is too slow, unless more arrives. */
    long deadline() {
        return start + Math.max(graceMillis, octets * 1000 / minOctetsPerSecond);
    }
}
