package dev.petrel.dsn;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Recipient;

import java.time.Instant;
import java.util.Objects;

/**
 * One recipient in a notice: who (with the DSN parameters of its RCPT command), what happened
 * last, and what we report.
 *
 * @param recipient   the envelope recipient, with NOTIFY and ORCPT
 * @param status      the outcome of the last attempt; its {@code dsn} becomes the {@code Status:}
 *                    field and its {@code reply} the diagnostic
 * @param action      what the notice says happened
 * @param lastAttempt when the last attempt was made, or null to use the time of the notice
 */
public record DsnEntry(Recipient recipient, DeliveryStatus status, Action action, Instant lastAttempt) {
    public DsnEntry {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(action, "action");
        // A status for another address would put the wrong diagnostic next to a recipient.
        if (!recipient.address().equals(status.recipient())) {
            throw new IllegalArgumentException("status is for " + status.recipient()
                    + " but the recipient is " + recipient.address());
        }
    }

    public DsnEntry(Recipient recipient, DeliveryStatus status, Action action) {
        this(recipient, status, action, null);
    }
}
