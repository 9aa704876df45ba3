package dev.petrel.server;

import dev.petrel.message.IpNetwork;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * [limits] max_new_connections_per_ip_per_minute: how many connections one client IP may open in
 * a sliding minute (like Postfix's smtpd_client_connection_rate_limit), against bots that
 * reconnect after every refusal.
 *
 * <p>The sliding minute is estimated from two fixed minutes, as many rate limiters do: the count
 * of the previous minute weighted by how much of it still lies within the last 60 seconds, plus
 * the count of this minute. That keeps three numbers per IP instead of a timestamp per connection,
 * so a botnet of many addresses costs little memory; entries older than two minutes are swept.
 * Refused attempts are not counted, so a client is let in again as soon as it slows down.
 *
 * <p>Loopback and the trusted networks are never limited (Postfix exempts $mynetworks too):
 * they are this host's own programs, or a local proxy through which many clients come.
 */
final class ConnectionRate {
    private static final long MINUTE = 60_000;

    private final int perMinute;
    private final List<IpNetwork> exempt;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    private record Window(long start, int previous, int current) {}

    /** @param perMinute 0 turns the limit off */
    ConnectionRate(int perMinute, List<IpNetwork> exempt, Clock clock) {
        this.perMinute = perMinute;
        this.exempt = List.copyOf(exempt);
        this.clock = clock;
    }

    /** Counts a new connection from {@code ip}; false when it is one too many (and then it is not counted). */
    boolean admit(InetAddress ip) {
        if (perMinute == 0 || ip.isLoopbackAddress() || exempt.stream().anyMatch(n -> n.contains(ip))) return true;
        long now = clock.millis();
        long minute = now - Math.floorMod(now, MINUTE);
        sweep(now, minute);
        double stillInWindow = 1 - (now - minute) / (double) MINUTE;
        boolean[] admitted = {false};
        windows.compute(ip, (k, w) -> {
            Window cur = w == null || w.start() < minute - MINUTE ? new Window(minute, 0, 0)
                    : w.start() < minute ? new Window(minute, w.current(), 0)
                    : w;
            if (cur.previous() * stillInWindow + cur.current() >= perMinute) return cur;
            admitted[0] = true;
            return new Window(cur.start(), cur.previous(), cur.current() + 1);
        });
        return admitted[0];
    }

    /** At most once a minute, forgets addresses not seen in the last two minutes. */
    private void sweep(long now, long minute) {
        if (now - lastSweep < MINUTE) return;
        lastSweep = now;
        windows.values().removeIf(w -> w.start() < minute - MINUTE);
    }

    /** Addresses currently tracked (for tests). */
    int tracked() {
        return windows.size();
    }
}
