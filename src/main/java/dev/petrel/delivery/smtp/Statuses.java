package dev.petrel.delivery.smtp;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.message.MailAddress;
import dev.petrel.protocol.ClientReply;

/** Turns remote replies into {@link DeliveryStatus}es, keeping the reply text verbatim. */
final class Statuses {
    private Statuses() {}

    /**
     * 2xx delivered, 5xx permanent, anything else temporary. The dsn is the reply's enhanced code,
     * or X.0.0 of its class; a 3xx where none belongs (a confused server) counts as 4.5.0.
     */
    static DeliveryStatus fromReply(MailAddress rcpt, ClientReply reply, String relay) {
        Outcome outcome = reply.isPositive() ? Outcome.DELIVERED
                : reply.isPermanent() ? Outcome.PERMANENT_FAILURE : Outcome.TEMPORARY_FAILURE;
        String dsn = reply.isIntermediate() ? "4.5.0" : reply.dsn();
        return new DeliveryStatus(rcpt, outcome, dsn, reply.verbatim(), relay, true);
    }

    /** A temporary failure with our own text, or the remote reply when {@code remote}. */
    static DeliveryStatus temporary(MailAddress rcpt, String dsn, String text, String relay, boolean remote) {
        return new DeliveryStatus(rcpt, Outcome.TEMPORARY_FAILURE, dsn, text, relay, remote);
    }
}
