package dev.petrel.auth;

/** The users file could not be read or is wrong; the message names the file, and the line when there is one. */
public final class UserFileException extends RuntimeException {
    public UserFileException(String message) {
        super(message);
    }

    public UserFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
