package dev.petrel.inbox;

import dev.petrel.inbox.search.SearchQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wait-for: each waiter holds a query and a cursor; every committed write group wakes each waiter
 * for one look at the messages stored since its last look (a database read on a virtual thread, at
 * most one per waiter at a time; wake-ups during a look cause exactly one more look). The first
 * match completes the waiter; a timer completes it empty at its deadline. Nothing polls.
 *
 * <p>The look runs the same SQL as search, so wait-for and search always agree on what matches.
 * A waiter registers before its first look, so a message committed between the call and the first
 * look is never missed.
 */
final class MessageWaiters implements InboxListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageWaiters.class);

    private final InboxStore store;
    private final int limit;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final ExecutorService lookers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inbox-wait-timer");
        t.setDaemon(true);
        return t;
    });

    MessageWaiters(InboxStore store, int limit) {
        this.store = store;
        this.limit = limit;
    }

    CompletableFuture<Optional<MessageSummary>> await(SearchQuery query, String cursor, Duration timeout) {
        Waiter waiter = new Waiter(query, cursor);
        synchronized (waiting) {
            if (waiting.size() >= limit) throw new TooManyWaitersException(limit);
            waiting.add(waiter);
        }
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> waiter.result.complete(Optional.empty()), Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.remove(waiter);
            throw new InboxStoreException("the inbox store is closed");
        }
        waiter.result.whenComplete((r, e) -> {
            waiting.remove(waiter);
            deadline.cancel(false);
        });
        waiter.wake();
        return waiter.result;
    }

    @Override
    public void onEvent(InboxEvent event) {
        if (event instanceof InboxEvent.Stored) {
            for (Waiter waiter : waiting) waiter.wake();
        }
    }

    @Override
    public void close() {
        for (Waiter waiter : waiting) waiter.result.completeExceptionally(new InboxStoreException("the inbox store is closed"));
        timer.shutdownNow();
        lookers.shutdownNow();
    }

    private final class Waiter {
        final SearchQuery query;
        final CompletableFuture<Optional<MessageSummary>> result = new CompletableFuture<>();
        final AtomicBoolean lookPending = new AtomicBoolean();
        volatile String cursor;

        Waiter(SearchQuery query, String cursor) {
            this.query = query;
            this.cursor = cursor;
        }

        void wake() {
            if (result.isDone() || !lookPending.compareAndSet(false, true)) return;
            try {
                lookers.execute(this::look);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.completeExceptionally(new InboxStoreException("the inbox store is closed"));
            }
        }

        private void look() {
            lookPending.set(false); // a wake-up from here on schedules one more look
            if (result.isDone()) return;
            try {
                InboxStore.MatchScan scan = store.firstMatchAfter(query, cursor);
                if (scan.match().isPresent()) {
                    result.complete(scan.match());
                } else if (scan.scannedTo() != null) {
                    cursor = scan.scannedTo();
                }
            } catch (RuntimeException e) {
                LOG.warn("inbox: wait-for look failed: {}", e.getMessage());
                result.completeExceptionally(e);
            }
        }
    }
}
