package dev.petrel.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections in total and per client IP; a connection over a limit is refused. */
final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    /** Open connections per IP; every change is one atomic compute, so a release cannot orphan a counter. */
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

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
        boolean[] admitted = {false};
        perIp.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerIp) return n;
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Admission.TOO_MANY_FROM_IP;
        }
        return Admission.ADMITTED;
    }

    void release(InetAddress ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
    }

    int open() {
        return total.get();
    }
}
