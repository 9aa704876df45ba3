package dev.petrel.server;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Enforces every open connection's {@link Deadline} from one platform thread that looks at them
 * all a few times a second. A connection past its deadline is cut off from its blocked call (see
 * {@link Connection#expireIfDue}); it then answers the timeout itself. Timeouts are therefore
 * exact to within one {@link #TICK_MILLIS}.
 */
final class DeadlineWatch implements AutoCloseable {
    static final long TICK_MILLIS = 100;

    private final Collection<Connection> open;
    private final Thread thread;
    private volatile boolean closed;

    DeadlineWatch(Collection<Connection> open) {
        this.open = open;
        this.thread = Thread.ofPlatform().name("smtp-deadlines").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : open) c.expireIfDue(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
