package dev.petrel.queue;

import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

/** A committed message as read back from the spool: its envelope and its exact content bytes. */
public record SpooledMessage(QueueId id, Envelope envelope, byte[] content) {}
