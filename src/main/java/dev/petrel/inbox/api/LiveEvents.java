package dev.petrel.inbox.api;

import dev.petrel.inbox.InboxEvent;
import dev.petrel.inbox.InboxListener;
import dev.petrel.inbox.InboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans the store's committed changes out to the connected live-events clients. It runs on the
 * store's writer thread, so it only formats each change once and offers the frames to every
 * client's bounded {@link ClientQueue}: a client that falls behind is dropped, never waited for.
 * At most {@code maxClients} clients are connected at once.
 */
final class LiveEvents implements InboxListener, AutoCloseable {
    static final int DEFAULT_MAX_CLIENTS = 64;
    static final int DEFAULT_QUEUE_CAPACITY = 1024;
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final int maxClients;
    private final int queueCapacity;
    private final Duration heartbeat;
    private final Set<ClientQueue> clients = ConcurrentHashMap.newKeySet();
    private final AutoCloseable subscription;
    private volatile boolean closed;

    LiveEvents(InboxStore store, int maxClients, int queueCapacity, Duration heartbeat) {
        this.maxClients = maxClients;
        this.queueCapacity = queueCapacity;
        this.heartbeat = heartbeat;
        this.subscription = store.subscribe(this);
    }

    static LiveEvents withDefaults(InboxStore store) {
        return new LiveEvents(store, DEFAULT_MAX_CLIENTS, DEFAULT_QUEUE_CAPACITY, DEFAULT_HEARTBEAT);
    }

    int maxClients() {
        return maxClients;
    }

    Duration heartbeat() {
        return heartbeat;
    }

    int clientCount() {
        return clients.size();
    }

    /** A queue for a new client, or empty when {@code maxClients} are connected or the server is closing. */
    synchronized Optional<ClientQueue> join(Runnable abortConnection) {
        if (closed || clients.size() >= maxClients) return Optional.empty();
        ClientQueue queue = new ClientQueue(queueCapacity, abortConnection);
        clients.add(queue);
        return Optional.of(queue);
    }

    void leave(ClientQueue queue) {
        clients.remove(queue);
    }

    @Override
    public void onEvent(InboxEvent event) {
        if (clients.isEmpty()) return;
        List<String> frames = SseFrames.of(event);
        for (ClientQueue client : clients) {
            for (String frame : frames) {
                if (!client.offer(frame)) {
                    clients.remove(client);
                    LOG.info("inbox events: dropped a client that stopped reading ({} events queued); it may reconnect", queueCapacity);
                    break;
                }
            }
        }
    }

    /** Stops listening to the store and ends every stream. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("inbox events: could not unsubscribe from the store: {}", e.toString());
        }
        for (ClientQueue client : clients) client.close();
        clients.clear();
    }
}
