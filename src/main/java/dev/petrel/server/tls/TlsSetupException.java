package dev.petrel.server.tls;

/**
 * TLS could not be set up: a certificate or key file is missing, unreadable, malformed, or the two
 * do not belong together. The message starts with the file it is about and says what is wrong, so
 * the server can print it as-is and refuse to start.
 */
public final class TlsSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
