package dev.petrel.delivery;

import dev.petrel.message.DeliveryStatus;

import java.util.List;

/**
 * Something that can deliver a message: SMTP to MX hosts or a relay, Maildir, LMTP.
 * Implementations are thread-safe; many deliveries run at once.
 */
public interface Transport {
    /**
     * Attempts the delivery and returns one status per recipient, in the order of
     * {@code delivery.recipients()}. Never throws for a failure of the destination (refused
     * connection, 4xx, 5xx, timeouts, DNS): those are statuses. Logs nothing per recipient; the
     * scheduler logs each status.
     */
    List<DeliveryStatus> deliver(Delivery delivery, Route route);
}
