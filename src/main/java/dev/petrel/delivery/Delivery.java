package dev.petrel.delivery;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;

import java.util.List;

/**
 * One delivery job: some recipients of one message that share a destination.
 *
 * @param id         the queue id, for logs
 * @param envelope   the whole envelope (sender, BODY, SMTPUTF8, DSN parameters)
 * @param recipients the recipients to deliver in this job, all with the same route
 * @param content    the message exactly as spooled (starting with our Received: header), CRLF line ends
 */
public record Delivery(QueueId id, Envelope envelope, List<Recipient> recipients, byte[] content) {
    public Delivery {
        recipients = List.copyOf(recipients);
    }
}
