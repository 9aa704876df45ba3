package dev.petrel.queue;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;

import java.time.Instant;
import java.util.List;

/**
 * Builds delivery status notifications for the scheduler, which queues them like any message.
 * The seam keeps the queue free of MIME details (those live in {@code dsn}).
 */
public interface Notices {
    /** Failed for good, still being retried, or delivered (NOTIFY=SUCCESS). */
    enum Kind { FAILED, DELAYED, DELIVERED }

    /** One recipient to report on, with its final (or latest) status. */
    record Entry(Recipient recipient, DeliveryStatus status) {}

    /** A notice ready to queue. */
    record Notice(Envelope envelope, byte[] content) {}

    /**
     * The notice about {@code entries} of message {@code id}, or null when none is due: a null
     * sender (never a bounce for a bounce) or NOTIFY parameters that exclude all of them.
     *
     * @param retryUntil for DELAYED: when the message will be given up
     */
    Notice build(Kind kind, QueueId id, Envelope envelope, byte[] content, List<Entry> entries, Instant now,
                 Instant retryUntil);
}
