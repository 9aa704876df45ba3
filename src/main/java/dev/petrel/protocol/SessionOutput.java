package dev.petrel.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the session wants done after one call: replies to send (in one write, which matters for
 * PIPELINING and for latency) and what to do with the connection next.
 */
public record SessionOutput(List<Reply> replies, Action action) {
    public enum Action {
        /** Keep reading. */
        CONTINUE,
        /** Send the replies, then start the TLS handshake; all unread plaintext has been discarded. */
        START_TLS,
        /** Send the replies, then close the connection. */
        CLOSE
    }

    public SessionOutput {
        replies = List.copyOf(replies);
    }

    public byte[] toWire() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Reply r : replies) out.writeBytes(r.toWire());
        return out.toByteArray();
    }

    static SessionOutput of(List<Reply> replies, Action action) {
        return new SessionOutput(new ArrayList<>(replies), action);
    }
}
