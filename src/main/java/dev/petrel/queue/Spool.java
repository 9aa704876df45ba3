package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

import java.io.IOException;
import java.util.List;

/**
 * Where accepted messages are kept until they are delivered. The contract that makes Petrel safe:
 * {@link SpoolWriter#commit()} returns only when the message's bytes, its envelope and its
 * directory entry are on stable storage, and a message that was not committed is never listed.
 */
public interface Spool {
    /**
     * Starts a new message with a fresh queue id. The envelope is known before the content
     * (MAIL and RCPT come before DATA).
     *
     * @throws SpoolFullException when there is not enough free space for {@code expectedSize} octets
     */
    SpoolWriter create(Envelope envelope, long expectedSize) throws IOException;

    /** True when a message of {@code size} octets would fit while keeping the configured reserve free. */
    boolean hasRoomFor(long size);

    /** Ids of all committed messages, oldest first. */
    List<QueueId> list() throws IOException;

    /** Reads a committed message. */
    SpooledMessage read(QueueId id) throws IOException;

    /**
     * Appends lines to the message's delivery status log (no line breaks within a record), with one fsync.
     * Durable when it returns: the scheduler records each recipient's outcome here before it
     * acts on it.
     */
    void appendStatus(QueueId id, List<String> records) throws IOException;

    /** The status log of a message, oldest first; empty when there is none. A torn last line is dropped. */
    List<String> readStatus(QueueId id) throws IOException;

    /**
     * Removes a message and its status log. When it returns, the message will not come back after
     * a crash. Removing a message that is not there is not an error.
     */
    void remove(QueueId id) throws IOException;
}
