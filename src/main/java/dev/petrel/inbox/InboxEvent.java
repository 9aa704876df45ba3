package dev.petrel.inbox;

import java.util.List;

/**
 * What changed in the store, told to {@link InboxListener}s after the change is committed. Events
 * of one store come in commit order, from the store's writer thread.
 */
public sealed interface InboxEvent {
    /** Messages were stored (one committed batch, oldest first). */
    record Stored(List<MessageSummary> messages) implements InboxEvent {
        public Stored {
            messages = List.copyOf(messages);
        }
    }

    /** Messages were deleted, by request or by retention. */
    record Deleted(List<String> ids) implements InboxEvent {
        public Deleted {
            ids = List.copyOf(ids);
        }
    }

    /** Messages were marked read or unread. */
    record ReadChanged(List<String> ids, boolean read) implements InboxEvent {
        public ReadChanged {
            ids = List.copyOf(ids);
        }
    }
}
