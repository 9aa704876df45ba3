package dev.petrel.server;

import dev.petrel.message.Envelope;

import java.io.IOException;

/**
 * Capture mode's short cut: when every recipient of a message is captured, it goes straight into
 * the test inbox at the end of DATA, durably, before the 250, instead of through the spool and the
 * scheduler. The result is the same (a captured copy per inbox), at one group-committed write instead
 * of a spool file, its fsyncs and its removal. Implemented by the assembly over the capture transport.
 */
public interface DirectCapture {
    /** Whether every recipient of {@code envelope} is captured. */
    boolean takesAll(Envelope envelope);

    /**
     * Stores the message; returns when it is durable.
     *
     * @return what was stored, for the log (e.g. "captured as ID in inbox NAME")
     * @throws IOException when it could not be stored (the client is told to try again)
     */
    String store(Envelope envelope, byte[] content) throws IOException;
}
