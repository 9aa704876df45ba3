package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

/** Told about each message right after it is durably committed (the scheduler, to try it at once). */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (id, envelope, size) -> { };

    void committed(QueueId id, Envelope envelope, long size);
}
