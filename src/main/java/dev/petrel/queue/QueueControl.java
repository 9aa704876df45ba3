package dev.petrel.queue;

import dev.petrel.message.QueueId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an operator can do to the queue of a running server ({@code petrel queue ...} reaches it
 * through the admin endpoint). Every change is durable before the method returns.
 */
public interface QueueControl {
    /** All messages in the queue, oldest first. */
    List<QueueEntry> list();

    Optional<QueueEntry> show(QueueId id);

    /** Retries deferred recipients now: one message, or all when {@code id} is empty. Returns how many messages. */
    int flush(Optional<QueueId> id);

    /** Stops delivery attempts for a message until it is released. False when there is no such message. */
    boolean hold(QueueId id);

    boolean release(QueueId id);

    /** Removes a message without a bounce. */
    boolean delete(QueueId id);

    /** Gives up on a message's undelivered recipients now and bounces them to the sender. */
    boolean bounce(QueueId id);

    /** One queued message, as {@code mailq} shows it. */
    record QueueEntry(QueueId id, long size, Instant arrival, String sender, boolean held,
                      List<RecipientState> recipients) {
        public QueueEntry {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * @param nextAttempt when it is tried next, or null when it is final or held
     * @param lastError   the last failure reply, or null
     */
    record RecipientState(String recipient, State state, int attempts, Instant nextAttempt, String lastError) {}

    enum State { PENDING, DEFERRED, DELIVERED, FAILED }
}
