package dev.petrel.dsn;

import dev.petrel.message.Envelope;

import java.util.Objects;

/**
 * A finished notice, ready to be queued like any other message.
 *
 * @param envelope null sender {@code <>}, the original sender as the one recipient, BODY and
 *                 SMTPUTF8 set to what the content needs
 * @param content  the whole message, headers and MIME body, CRLF line ends, no line over 998 octets
 */
public record Bounce(Envelope envelope, byte[] content) {
    public Bounce {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
    }
}
