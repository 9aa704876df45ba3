package dev.petrel.queue;

import java.io.IOException;

/** The spool's file system is full (or below its reserve): the client should get 452 4.3.1 and retry later. */
public final class SpoolFullException extends IOException {
    public SpoolFullException(String message) {
        super(message);
    }

    public SpoolFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
