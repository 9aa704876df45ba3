package dev.petrel.inbox;

/** A wait-for was refused because {@link InboxStore#MAX_WAITERS} calls are already waiting. */
public final class TooManyWaitersException extends RuntimeException {
    public TooManyWaitersException(int limit) {
        super(limit + " wait-for calls are already waiting; retry when some have finished");
    }
}
