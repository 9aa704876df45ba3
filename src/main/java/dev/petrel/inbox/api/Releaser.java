package dev.petrel.inbox.api;

import java.io.IOException;
import java.util.List;

/**
 * Sends a captured message on through the real relay path ({@code POST /api/v1/message/{ID}/release}),
 * implemented by the assembly over the spool and the scheduler.
 */
@FunctionalInterface
public interface Releaser {
    /**
     * Queues {@code raw} for {@code recipients}, bypassing capture.
     *
     * @param mailFrom the envelope sender, or "" for the null sender
     * @return the queue id
     * @throws IllegalArgumentException when a recipient is not a valid address (the caller answers 400)
     * @throws IOException when the message could not be queued
     */
    String release(byte[] raw, String mailFrom, List<String> recipients) throws IOException;
}
