package dev.petrel.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-IP count must hold while acceptor threads admit and connection threads release at the
 * same time. Before the fix, a release that dropped an IP's counter to zero removed it from the
 * map while an acquire was about to increment it, so the increment was lost and the IP got a
 * second slot over its limit (seen here within a second: two live connections with a limit of 1).
 */
@Timeout(60)
class ConnectionLimiterRaceTest {
    @Test
    void perIpLimitHoldsUnderConcurrentAcquireAndRelease() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1_000_000, 1);
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < deadline) {
                    if (limiter.acquire(ip) == ConnectionLimiter.Admission.ADMITTED) {
                        int now = live.incrementAndGet();
                        maxSeen.accumulateAndGet(now, Math::max);
                        live.decrementAndGet();
                        limiter.release(ip);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(maxSeen.get()).isEqualTo(1);
        // Everything released: the full allowance is available again, and no more.
        assertThat(limiter.acquire(ip)).isEqualTo(ConnectionLimiter.Admission.ADMITTED);
        assertThat(limiter.acquire(ip)).isEqualTo(ConnectionLimiter.Admission.TOO_MANY_FROM_IP);
        assertThat(limiter.open()).isEqualTo(1);
    }
}
