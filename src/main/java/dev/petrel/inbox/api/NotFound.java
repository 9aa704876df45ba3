package dev.petrel.inbox.api;

/** A message or part that does not exist: 404 with this text. */
final class NotFound extends RuntimeException {
    NotFound(String message) {
        super(message);
    }
}
