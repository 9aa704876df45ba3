package dev.petrel.inbox;

/** The inbox database failed (disk full, file damaged, store closed); the message says which. */
public final class InboxStoreException extends RuntimeException {
    public InboxStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public InboxStoreException(String message) {
        super(message);
    }
}
