package dev.petrel.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections in total and per client IP; a connection over a limit is refused. */
final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    enum Admission { ADMITTED, TOO_MANY, TOO_MANY_FROM_IP }

    /** Reserves a slot; on {@code ADMITTED} the caller must {@link #release} it later. */
    Admission acquire(InetAddress ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Admission.TOO_MANY;
        }
        AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerIp) {
            release(ip);
            return Admission.TOO_MANY_FROM_IP;
        }
        return Admission.ADMITTED;
    }

    void release(InetAddress ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    int open() {
        return total.get();
    }
}
