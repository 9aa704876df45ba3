package dev.petrel.delivery.smtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Idle connections kept for the next delivery to the same destination, so a burst of mail to
 * one domain pays for TCP, TLS and EHLO once (Postfix's connection cache does the same).
 *
 * <p>Contract: {@link #take} hands a connection to exactly one caller (it leaves the pool);
 * {@link #release} gives it back after a clean transaction, or closes it when reuse is off, it
 * has carried {@code maxMessages} messages, or the pool is closed. A connection idle longer than
 * {@code idle} is never handed out; a reaper thread sends QUIT to such connections and closes
 * them. Thread-safe. QUIT and close happen outside the lock, since they wait on the network.
 */
final class ConnectionPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final Duration idle;
    private final int maxMessages;
    private final Map<Object, Deque<SmtpConnection>> idleByKey = new HashMap<>();
    private final ScheduledExecutorService reaper;
    private boolean closed;

    ConnectionPool(Duration idle, int maxMessages) {
        this.idle = idle;
        this.maxMessages = maxMessages;
        if (idle.isZero() || idle.isNegative()) {
            reaper = null;
        } else {
            reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "smtp-client-reaper");
                t.setDaemon(true);
                return t;
            });
            long period = Math.clamp(idle.toMillis() / 2, 50, 5_000);
            reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** An idle, unexpired connection for {@code key}, now the caller's; or null. */
    SmtpConnection take(Object key) {
        List<SmtpConnection> expired = new ArrayList<>();
        SmtpConnection found = null;
        synchronized (this) {
            Deque<SmtpConnection> q = idleByKey.get(key);
            while (q != null && !q.isEmpty() && found == null) {
                SmtpConnection c = q.pollLast(); // the most recently used is the least likely to be stale
                if (isExpired(c) || c.isClosed() || c.hasUnreadInput()) expired.add(c);
                else found = c;
            }
            if (q != null && q.isEmpty()) idleByKey.remove(key);
        }
        expired.forEach(SmtpConnection::quit);
        return found;
    }

    /**
     * Whether {@code key} has idle connections (some may turn out expired at {@link #take}): lets
     * a caller skip work it only needs before a reuse.
     */
    synchronized boolean hasIdle(Object key) {
        Deque<SmtpConnection> q = idleByKey.get(key);
        return q != null && !q.isEmpty();
    }

    /** Gives a connection back after a clean transaction (or closes it, see the class comment). */
    void release(Object key, SmtpConnection c) {
        boolean keep;
        synchronized (this) {
            keep = !closed && reaper != null && c.messages() < maxMessages && !c.isClosed();
            if (keep) {
                c.markIdle();
                idleByKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(c);
            }
        }
        if (!keep) c.quit();
    }

    /** Number of idle connections held (for tests and metrics). */
    synchronized int idleCount() {
        return idleByKey.values().stream().mapToInt(Deque::size).sum();
    }

    private boolean isExpired(SmtpConnection c) {
        return System.nanoTime() - c.idleSinceNanos() >= idle.toNanos();
    }

    private void reap() {
        List<SmtpConnection> expired = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Deque<SmtpConnection>> it = idleByKey.values().iterator(); it.hasNext(); ) {
                Deque<SmtpConnection> q = it.next();
                q.removeIf(c -> {
                    boolean gone = isExpired(c) || c.isClosed();
                    if (gone) expired.add(c);
                    return gone;
                });
                if (q.isEmpty()) it.remove();
            }
        }
        for (SmtpConnection c : expired) {
            log.debug("closing idle connection to {}", c);
            c.quit();
        }
    }

    /** Sends QUIT on every idle connection and stops the reaper; later releases just close. */
    @Override
    public void close() {
        List<SmtpConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idleByKey.values().forEach(all::addAll);
            idleByKey.clear();
        }
        if (reaper != null) reaper.shutdownNow();
        all.forEach(SmtpConnection::quit);
    }
}
