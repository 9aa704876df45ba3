package dev.petrel.inbox;

/**
 * Told of every committed change of a store (for live views and wait-for). Called on the store's
 * writer thread: return quickly and never block (hand work to another thread), or every capture
 * waits. An exception thrown here is logged and does not affect the store or other listeners.
 */
@FunctionalInterface
public interface InboxListener {
    void onEvent(InboxEvent event);
}
