package dev.petrel.inbox.api;

/** A request the API refuses with 400; the message tells the client what to send instead. */
final class BadRequest extends RuntimeException {
    BadRequest(String message) {
        super(message);
    }
}
