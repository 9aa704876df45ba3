package dev.petrel.server;

import dev.petrel.message.Envelope;
import dev.petrel.protocol.SessionHandler.MessageSink;

import java.io.IOException;

/**
 * Where an accepted message is kept: the spool ({@link IntakeHandler.SpoolSink}), or, in capture
 * mode when every recipient is captured, the test inbox directly ({@link CaptureSink}). What
 * {@link AuthenticatingSink} writes its result into.
 */
interface IntakeSink extends MessageSink {
    Envelope envelope();

    /** Marks the message quarantined for {@code reason}; before the first write only. */
    void quarantine(String reason) throws IOException;
}
