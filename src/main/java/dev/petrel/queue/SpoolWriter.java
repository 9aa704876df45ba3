package dev.petrel.queue;

import dev.petrel.message.QueueId;

import java.io.IOException;

/**
 * Receives one message's content. Call order: {@link #write} any number of times, then exactly one
 * of {@link #commit} or {@link #abort}; {@link #close} aborts when neither happened. Not
 * thread-safe: one writer belongs to one SMTP session.
 */
public interface SpoolWriter extends AutoCloseable {
    QueueId id();

    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Replaces the envelope written at {@link Spool#create}, for a decision made once the whole
     * message was seen (a DMARC quarantine). Only before the first {@link #write}: afterwards it
     * throws {@link IllegalStateException}.
     */
    void replaceEnvelope(dev.petrel.message.Envelope envelope) throws IOException;

    /**
     * Makes the message durable. When this returns, a crash at any instant cannot lose it; when it
     * throws, the message is not in the spool. A full disk throws {@link SpoolFullException}.
     */
    void commit() throws IOException;

    /** Discards the message; never throws. */
    void abort();

    /** Octets written so far. */
    long size();

    @Override
    void close();
}
